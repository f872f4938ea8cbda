"""An organisation's media library: upload, describe, delete. Every query starts from the
user's organisation; another organisation's image is answered 404."""
import hashlib

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..access import STAFF, get_or_404
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..models import DocumentMedia, Media, OrganisationSetting, Rendition, utcnow
from . import images

MAX_FILENAME = 255
LIMITS = {"alt_text": 1000, "caption": 1000, "credit": 300}


def limits():
    """(max bytes, max pixels) of an upload."""
    config = current_app.config
    return (int(config.get("MAX_IMAGE_BYTES") or 15_000_000),
            int(config.get("MAX_IMAGE_PIXELS") or 40_000_000))


def library(user):
    """The organisation's uploaded images, newest first (originals not loaded)."""
    return db.session.execute(
        select(Media).where(Media.organisation_id == user.organisation_id,
                            Media.origin == "upload", Media.deleted_at.is_(None))
        .order_by(Media.id.desc())).scalars().all()


def get_media(user, media_id):
    """An image of the user's organisation's library, or NotFound."""
    return get_or_404(Media, media_id, Media.organisation_id == user.organisation_id,
                      Media.origin == "upload", Media.deleted_at.is_(None),
                      message=_("No such image."))


def _clean_name(filename):
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "").strip()
    return name[:MAX_FILENAME] or "image"


def _text(field, value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(_("%(field)s must be text.", field=field), field=field)
    value = value.strip()
    if len(value) > LIMITS[field] or "\x00" in value:
        raise ValidationError(_("%(field)s is too long: at most %(n)d characters.",
                                field=field, n=LIMITS[field]), field=field)
    return value


def upload(user, filename, data, alt_text="", caption="", credit=""):
    """Check and store an image, and queue its renditions for the worker. Anything refused
    raises ValidationError before a row is written. The same file uploaded again by the
    organisation is the same library image."""
    if user.organisation_id is None:
        raise Forbidden(_("You belong to no organisation."))
    texts = {name: _text(name, value) or "" for name, value in
             (("alt_text", alt_text), ("caption", caption), ("credit", credit))}
    checked = images.check(data, *limits())
    digest = hashlib.sha256(data).hexdigest()
    existing = db.session.execute(
        select(Media).where(Media.organisation_id == user.organisation_id,
                            Media.origin == "upload", Media.sha256 == digest,
                            Media.deleted_at.is_(None))).scalars().first()
    if existing is not None:
        return existing
    media = Media(organisation_id=user.organisation_id, uploaded_by_id=user.id,
                  filename=_clean_name(filename), content_type=checked.content_type,
                  width=checked.width, height=checked.height, bytes=len(data), sha256=digest,
                  data=data, **texts)
    media.renditions = [Rendition(name=name, state="queued") for name in images.SIZES]
    db.session.add(media)
    db.session.flush()
    audit.record(user, "media.uploaded", media, filename=media.filename, bytes=media.bytes,
                 sha256=digest)
    db.session.commit()
    return media


def describe(user, media, **changes):
    """Change an image's alt text, caption or credit (only the fields given)."""
    before = {}
    for field, value in changes.items():
        if field not in LIMITS:
            raise ValidationError(_("Unknown field %(field)s.", field=field), field=field)
        value = _text(field, value)
        if value is not None and value != getattr(media, field):
            before[field] = getattr(media, field)
            setattr(media, field, value)
    if before:
        audit.record(user, "media.described", media, before=before,
                     after={field: getattr(media, field) for field in before})
    db.session.commit()
    return media


def uses(media):
    """How many documents carry the image, plus one if it is the organisation's logo."""
    count = db.session.execute(
        select(func.count(DocumentMedia.id)).where(DocumentMedia.media_id == media.id)
    ).scalar_one()
    return count + (1 if media.id in logo_ids(media.organisation_id) else 0)


def logo_ids(organisation_id):
    """The media id named by the organisation's brand.logo_media_id setting, if any."""
    value = db.session.execute(
        select(OrganisationSetting.value).where(
            OrganisationSetting.organisation_id == organisation_id,
            OrganisationSetting.name == "brand.logo_media_id")).scalar_one_or_none()
    return {int(value)} if value and value.strip().isdigit() else set()


def delete(user, media):
    """Delete an image no document uses (and that is not the logo): its original and
    renditions are erased; the row stays, dated, for the audit trail."""
    if media.uploaded_by_id != user.id and user.role not in STAFF:
        raise Forbidden(_("Only editors, approvers, admins or the uploader delete an image."))
    if uses(media):
        raise ValidationError(_("%(name)s is in use; detach it from its texts first.",
                                name=media.filename))
    media.deleted_at = utcnow()
    media.data = b""
    media.renditions = []
    audit.record(user, "media.deleted", media, filename=media.filename, sha256=media.sha256)
    db.session.commit()
