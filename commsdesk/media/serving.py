"""Who may fetch a rendition. Anyone, when the image belongs to a text the newsroom shows
(its newest website publication is sent, not withdrawn, and its embargo has lifted) or is
the organisation's logo; otherwise only signed-in users of the owning organisation, or of
an organisation a text carrying the image is shared with, or anyone holding a signed link
made at the moment of publishing (Instagram and Threads fetch the image from us). Anything
else is 404."""
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
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


# A platform fetches the image within minutes of the request that names it; hours leave
# room for retries of that request, and the link stops working soon after.
SIGNED_MAX_AGE = 6 * 3600
SIGNED_SALT = "commsdesk.media.rendition"


def _signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SIGNED_SALT)


def signed_url(media_id, name):
    """An absolute link to one rendition that anyone may fetch for SIGNED_MAX_AGE seconds
    (COMMSDESK_BASE_URL must be reachable from the platform that fetches it)."""
    signature = _signer().dumps([int(media_id), name])
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/media/{int(media_id)}/{name}.jpg?sig={signature}"


def signature_valid(media_id, name, signature, max_age=SIGNED_MAX_AGE):
    """Whether a signed link's signature names this rendition and has not expired."""
    if not signature:
        return False
    try:
        signed = _signer().loads(signature, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return False
    return signed == [int(media_id), name]


def rendition_for(user, media_id, name, signature=None):
    """(rendition, public) for a request, or NotFound. The rendition's data is loaded. A
    valid signature lets anyone fetch it (answered as private: not for shared caches)."""
    missing = NotFound(_("There is nothing here."))
    if name not in images.SIZES:
        raise missing
    media = db.session.get(Media, media_id)
    if media is None or media.deleted_at is not None:
        raise missing
    public = is_public(media)
    if not public and not _member_may_see(user, media) \
            and not signature_valid(media.id, name, signature):
        raise missing
    rendition = db.session.execute(
        select(Rendition).where(Rendition.media_id == media.id, Rendition.name == name,
                                Rendition.state == "done")).scalar_one_or_none()
    if rendition is None or not rendition.data:
        raise missing
    return rendition, public
