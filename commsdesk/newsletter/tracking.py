"""Counting opens and clicks of a send-out, only when the organisation turned it on: an open
pixel and links through a counting redirect. Counts only, nothing per person: the tokens
name the send (a document and a random key written into its HTML), never a recipient, and
a click's target is signed, so the redirect never goes anywhere an email did not link."""
import re
import secrets
from urllib.parse import quote

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update

from ..extensions import db
from ..models import Mailing

HREF_RE = re.compile(r'href="(https?://[^"]+)"')


class InvalidLink(Exception):
    """A tracking token or click target that was altered or is not ours."""


def _serializer(salt):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def new_token(doc):
    """A token for one composed send of the document (its key is unique to that HTML)."""
    return _serializer("commsdesk-track").dumps([doc.id, secrets.token_hex(8)])


def read_token(token):
    """(document_id, key) of a tracking token; InvalidLink if it is not ours."""
    try:
        document_id, key = _serializer("commsdesk-track").loads(token)
    except (BadSignature, ValueError, TypeError):
        raise InvalidLink() from None
    return document_id, key


def _base(token):
    return f"{current_app.config['BASE_URL'].rstrip('/')}/m/{token}"


def pixel_url(token):
    """The open pixel's address."""
    return f"{_base(token)}/open.gif"


def wrap(url, token):
    """The counting redirect's address for a link of the email."""
    signed = _serializer("commsdesk-click").dumps(url)
    return f"{_base(token)}/click?u={quote(signed, safe='')}"


def wrap_links(html, token):
    """The HTML with its web links going through the counting redirect (the unsubscribe,
    preference and answer links are placeholders, not web links yet, and stay direct)."""
    return HREF_RE.sub(lambda m: f'href="{wrap(_unescape(m.group(1)), token)}"', html)


def _unescape(url):
    return url.replace("&amp;", "&")


def read_url(signed):
    """The link a click goes to; InvalidLink if its signature does not hold."""
    try:
        url = _serializer("commsdesk-click").loads(signed or "")
    except (BadSignature, ValueError, TypeError):
        raise InvalidLink() from None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise InvalidLink()
    return url


def count(token, what):
    """Add one open or click ("opens" / "clicks") to the send the token names; commits."""
    document_id, _key = read_token(token)
    column = getattr(Mailing, what)
    # The token (with its random key) stands in that send's HTML and no other.
    db.session.execute(
        update(Mailing).where(Mailing.document_id == document_id,
                              Mailing.html_template.contains(token, autoescape=True))
        .values({column: column + 1}).execution_options(synchronize_session=False))
    db.session.commit()
