"""Which images a document carries, in order. Attaching is a document detail like its tags:
audited, and while nobody has approved the text it makes no revision. After approval it
changes what goes out, so it is recorded as a new revision with the same text: approvals go
stale, the approvers are told and approved or scheduled work goes back to review (its
queued publications are cancelled), exactly as after an edit. What a channel publishes is
frozen into the outbox payload when the text is queued."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..access import can_edit
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..models import Approval, DocumentMedia, Media
from . import images
from .library import get_media

MAX_IMAGES = 20


def attached(doc, role="image"):
    """The document's images (DocumentMedia rows with their Media), in order."""
    return db.session.execute(
        select(DocumentMedia).join(Media, Media.id == DocumentMedia.media_id)
        .where(DocumentMedia.document_id == doc.id, DocumentMedia.role == role,
               Media.deleted_at.is_(None))
        .order_by(DocumentMedia.position, DocumentMedia.id)).scalars().all()


def _require_edit(user, doc):
    from .. import workflow  # workflow calls check_alt_text from here

    if not can_edit(user, doc):
        raise Forbidden(_("You may read this document but not change it."))
    if doc.state not in workflow.EDITABLE:
        raise ValidationError(_("The images of a published, withdrawn or archived text "
                                "cannot change."))


def _changed(user, doc):
    """After approval an image change makes a new revision (see the module's docstring)."""
    from .. import documents, workflow  # both reach media

    approved = db.session.execute(select(Approval.id).where(
        Approval.revision_id == doc.current_revision_id).limit(1)).first()
    if approved is not None or doc.state in (workflow.APPROVED, workflow.SCHEDULED):
        documents.record_revision(user, doc, _("Images changed after approval"))


def attach(user, doc, media_id):
    """Add a library image at the end of the document's images."""
    _require_edit(user, doc)
    media = get_media(user, media_id)
    rows = attached(doc)
    if any(row.media_id == media.id for row in rows):
        return rows
    if len(rows) >= MAX_IMAGES:
        raise ValidationError(_("At most %(n)d images per text.", n=MAX_IMAGES))
    last = db.session.execute(select(func.max(DocumentMedia.position)).where(
        DocumentMedia.document_id == doc.id)).scalar_one()
    db.session.add(DocumentMedia(document_id=doc.id, media_id=media.id, role="image",
                                 position=(last or 0) + 1))
    audit.record(user, "document.image_attached", doc, media=media.id, filename=media.filename)
    _changed(user, doc)
    db.session.commit()
    return attached(doc)


def _row(doc, media_id):
    for row in attached(doc):
        if str(row.media_id) == str(media_id):
            return row
    raise NotFound(_("No such image on this text."))


def detach(user, doc, media_id):
    """Take an image off the document (it stays in the library)."""
    _require_edit(user, doc)
    row = _row(doc, media_id)
    audit.record(user, "document.image_detached", doc, media=row.media_id,
                 filename=row.media.filename)
    db.session.delete(row)
    _changed(user, doc)
    db.session.commit()


def move(user, doc, media_id, offset):
    """Move an image earlier (offset -1) or later (+1) among the document's images."""
    _require_edit(user, doc)
    row = _row(doc, media_id)
    rows = attached(doc)
    index = rows.index(row)
    target = max(0, min(len(rows) - 1, index + offset))
    if target == index:
        return  # already first or last: nothing changes
    rows.insert(target, rows.pop(index))
    for position, item in enumerate(rows, start=1):
        item.position = position
    audit.record(user, "document.images_ordered", doc, media=[r.media_id for r in rows])
    _changed(user, doc)
    db.session.commit()


def check_alt_text(doc, channels):
    """Before publishing or scheduling: every image must have alt text when one of the
    channels shows images. Refuses with the images' names."""
    from .. import channels as channel_registry  # channels format payloads through us

    if not any(channel_registry.adapter_for(c).supports_images for c in channels):
        return
    missing = [row.media.filename for row in attached(doc) if not row.media.alt_text.strip()]
    if missing:
        raise ValidationError(
            _("Describe every image before publishing: alt text is missing for %(names)s.",
              names=", ".join(missing)), field="images", images=missing)


def rendition_paths(media_id):
    """The URL path of each rendition of an image."""
    return {name: f"/media/{media_id}/{name}.jpg" for name in images.SIZES}


def images_payload(doc):
    """The document's images as the website payload carries them."""
    return [{"media_id": row.media_id, "alt": row.media.alt_text,
             "caption": row.media.caption, "width": row.media.width,
             "height": row.media.height, "renditions": rendition_paths(row.media_id)}
            for row in attached(doc)]
