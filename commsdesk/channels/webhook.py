"""A signed webhook: every publication is POSTed as JSON to an address of the
organisation's choosing, signed as the Standard Webhooks specification says
(github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md):

- headers `webhook-id` (the outbox row's idempotency key: the same on every retry, so the
  receiver drops a repeat), `webhook-timestamp` (integer Unix seconds of this attempt) and
  `webhook-signature`: `v1,` + base64 of HMAC-SHA256 over `{id}.{timestamp}.{body}` keyed
  with the base64-decoded part of the `whsec_…` secret (24 random bytes); while a renewed
  secret is new, the previous one signs too (space-separated), so receivers can switch;
- body `{"type": "publication.published", "timestamp": …, "data": {…}}`, minified;
- 2xx is delivered; 410 Gone means the receiver gave up on us (failed at once); 429 and 5xx
  are retried, honouring Retry-After; any other answer is refused with the receiver's words.

A connection dropped after the request went out is simply retried: the receiver
deduplicates on webhook-id, which the specification asks of it (`retry_unknown`)."""
import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import utcnow
from . import credentials, http, social
from .base import Adapter, AuthError, Field, PermanentError, SendResult
from .website import WebsiteAdapter

PLATFORM = _l("The webhook receiver")
EVENT = "publication.published"
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24
# How long the previous secret still signs after a new one was made.
OVERLAP = timedelta(hours=24)


def new_secret():
    """A fresh signing secret in the specification's form: whsec_ + base64 of 24 bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature(secret, msg_id, timestamp, body):
    """`v1,<base64 HMAC-SHA256>` of `msg_id.timestamp.body` with the secret's key bytes."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signing_secrets(values, now=None):
    """The secrets that sign now: the current one, and the previous one while it is new."""
    found = [values["signing_secret"]] if values.get("signing_secret") else []
    until = values.get("previous_until")
    if values.get("previous_secret") and until \
            and datetime.fromisoformat(until) > (now or utcnow()):
        found.append(values["previous_secret"])
    return found


def renewed(values, now=None):
    """The stored secrets with a new signing secret, the old one kept for OVERLAP."""
    values = dict(values)
    if values.get("signing_secret"):
        values["previous_secret"] = values["signing_secret"]
        values["previous_until"] = ((now or utcnow()) + OVERLAP).isoformat()
    values["signing_secret"] = new_secret()
    return values


def _message(response):
    body = http.json_or_none(response)
    if isinstance(body, dict):
        text = body.get("message") or body.get("error") or body.get("detail")
        if text:
            return str(text)[:300]
    return (response.text or response.reason or "")[:300]


def _refusal(response):
    status = response.status_code
    if status == 410:
        return PermanentError(_("The receiver answered 410 Gone: it no longer takes webhooks "
                                "from us. Nothing more is sent there until the address is "
                                "changed."))
    if status in (401, 403):
        return AuthError(_("The receiver refused the signature (HTTP %(status)d): %(message)s. "
                           "Check that it has this channel's signing secret.", status=status,
                           message=_message(response)))
    if 300 <= status < 400:
        return PermanentError(_("The receiver redirects to %(location)s; save that address "
                                "instead.", location=response.headers.get("Location", "?")))
    return PermanentError(_("The receiver did not accept it (HTTP %(status)d): %(message)s",
                            status=status, message=_message(response)))


class WebhookAdapter(Adapter):
    type = "webhook"
    label = _l("Webhook")
    kinds = social.KINDS | WebsiteAdapter.kinds
    supports_images = True
    retry_unknown = True
    fields = (Field("url", _l("Address"), "url", placeholder="https://example.org/hooks/commsdesk"),)
    instructions = _l("Each publication is sent as JSON, signed the Standard Webhooks way "
                      "(webhook-id, webhook-timestamp, webhook-signature). The signing secret "
                      "is made for you and shown once, after saving.")

    def generated_secrets(self, stored):
        return {} if stored.get("signing_secret") else {"signing_secret": new_secret()}

    def address(self, channel):
        return (channel.settings or {}).get("url", "")

    def format(self, doc, revision, channel):
        """The event's data: what the newsroom or a social network would get, and the
        record (document, revision, content hash, channel)."""
        if doc.kind == "social_post":
            content = revision.content
            data = {"kind": doc.kind, "title": content["title"],
                    "text": (content.get("body") or "").strip(),
                    "variants": content.get("variants") or {},
                    "link": social.first_link(content.get("body") or ""),
                    "images": _images(doc), "organisation": doc.organisation.name,
                    "revision": revision.number, "content_hash": revision.content_hash}
        else:
            data = WebsiteAdapter().format(doc, revision, channel)
            data["url"] = social.newsroom_link(doc, revision)
            data["images"] = _absolute(data["images"])
        return {**data, "document_id": doc.id, "channel": channel.name}

    def body(self, publication):
        """The exact bytes sent (and signed): minified JSON, the same on every attempt."""
        event = {"type": EVENT, "timestamp": publication.due_at.isoformat(),
                 "data": {**publication.payload, "publication_id": publication.id}}
        return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()

    def send(self, channel, publication):
        response = _post(channel, publication.idempotency_key, self.body(publication))
        answer = http.json_or_none(response)
        answer = answer if isinstance(answer, dict) else {}
        url = answer.get("url") if isinstance(answer.get("url"), str) else None
        external_id = str(answer["id"])[:300] if answer.get("id") else publication.idempotency_key
        return SendResult(external_id=external_id, url=url)

    def test_connection(self, channel):
        """A signed `webhook.test` event; the receiver must answer 2xx."""
        body = json.dumps({"type": "webhook.test", "timestamp": utcnow().isoformat(),
                           "data": {"channel": channel.name}}, separators=(",", ":")).encode()
        _post(channel, "test_" + secrets.token_hex(12), body)
        return self.address(channel)


def _post(channel, msg_id, body):
    """POST the signed body; the response when it is 2xx, else the refusal raised."""
    values = _values(channel)
    timestamp = int(utcnow().timestamp())
    signed = " ".join(signature(s, msg_id, timestamp, body) for s in signing_secrets(values))
    response = http.request("POST", (channel.settings or {}).get("url", ""), str(PLATFORM),
                            data=body, headers={"Content-Type": "application/json",
                                                "webhook-id": msg_id,
                                                "webhook-timestamp": str(timestamp),
                                                "webhook-signature": signed})
    if not 200 <= response.status_code < 300:
        raise _refusal(response)
    return response


def _values(channel):
    return credentials.for_sending(
        channel, "signing_secret",
        missing=_("The webhook has no signing secret; make a new one under Channels."))


def _images(doc):
    from .. import media  # media reaches workflow, which queues through channels

    return _absolute(media.images_payload(doc))


def _absolute(images):
    """Rendition paths as absolute addresses (the receiver is elsewhere)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return [{**image, "renditions": {name: base + path for name, path in
                                     (image.get("renditions") or {}).items()}}
            for image in images]
