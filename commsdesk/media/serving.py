"""Who may fetch a rendition. Anyone, when the image belongs to a text the newsroom shows
(its newest website publication is sent, not withdrawn, and its embargo has lifted) or is
the organisation's logo; otherwise only signed-in users of the owning organisation, or of
an organisation a text carrying the image is shared with. Anything else is 404."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from ..models import DocumentMedia, Media, Rendition, Share
from ..newsroom.texts import shown_document
from . import images
from .library import logo_ids


def is_public(media, now=None):
    """Whether anyone may fetch this image's renditions now."""
    if media.id in logo_ids(media.organisation_id):
        return True
    return db.session.execute(
        select(DocumentMedia.id).where(DocumentMedia.media_id == media.id,
                                       shown_document(DocumentMedia.document_id, now))
        .limit(1)).first() is not None


def _member_may_see(user, media):
    if user is None or not getattr(user, "is_authenticated", False) \
            or user.organisation_id is None:
        return False
    if media.organisation_id == user.organisation_id:
        return True
    return db.session.execute(
        select(DocumentMedia.id).join(Share, Share.document_id == DocumentMedia.document_id)
        .where(DocumentMedia.media_id == media.id,
               Share.organisation_id == user.organisation_id).limit(1)).first() is not None


def rendition_for(user, media_id, name):
    """(rendition, public) for a request, or NotFound. The rendition's data is loaded."""
    missing = NotFound(_("There is nothing here."))
    if name not in images.SIZES:
        raise missing
    media = db.session.get(Media, media_id)
    if media is None or media.deleted_at is not None:
        raise missing
    public = is_public(media)
    if not public and not _member_may_see(user, media):
        raise missing
    rendition = db.session.execute(
        select(Rendition).where(Rendition.media_id == media.id, Rendition.name == name,
                                Rendition.state == "done")).scalar_one_or_none()
    if rendition is None or not rendition.data:
        raise missing
    return rendition, public
