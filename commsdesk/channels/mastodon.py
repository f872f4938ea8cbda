"""The Mastodon channel: statuses on any instance (several accounts per organisation), with
images and their alt text, a content warning, the channel's visibility and a numbered
thread for a long text, each part a reply to the one before. Connected with OAuth
(publishing/mastodon_connect.py); the API calls are in mastodon_api.py.

Exactly once. Each part is posted with `Idempotency-Key: <row key>-<part number>`;
Mastodon keeps the key for an hour and answers a repeated request with the status it
already created instead of a new one. Each step that went out is recorded on the row at
once (`base.remember`): the uploaded media ids (a retry never uploads them again), each
posted part's id and address. A retry after a timeout, a dropped reply or a dead worker
therefore continues at the first part not recorded, with the same key, and gets the status
the lost attempt created if it did create one.

After an hour the key is forgotten, so before re-posting a part whose first attempt is older
than that, the account's latest statuses (`GET /api/v1/accounts/:id/statuses`) are searched
for it: the same text replying to the same status, created after the attempt. Found, it is
recorded instead of posted again."""
import html
import re
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import utcnow
from . import credentials, mastodon_api, social
from .base import Adapter, SendResult, progress, remember

TYPE = "mastodon"
VISIBILITIES = (
    ("public", _l("Public")),
    ("unlisted", _l("Quiet public (not in public timelines)")),
    ("private", _l("Followers only")),
)
DEFAULT_VISIBILITY = "public"
# Mastodon keeps an Idempotency-Key for an hour; past this age a part is searched for on the
# account before it is posted again (a margin for clocks and slow requests).
KEY_TRUSTED_FOR = timedelta(minutes=50)
TAG_RE = re.compile(r"<[^>]*>")
BREAK_RE = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)
SPACE_RE = re.compile(r"\s+")
REMOTE_MENTION_RE = re.compile(r"(?<![\w@])(@[\w.]+)@[\w.-]+\.\w+")


def instance_url(channel):
    return (channel.settings or {}).get("instance_url", "").rstrip("/")


def access_token(channel):
    """The channel's access token, or AuthError when there is none to use."""
    return credentials.for_sending(
        channel, "access_token",
        missing=_("The Mastodon channel has no access token; reconnect it."))["access_token"]


def idempotency_key(publication, number):
    """The key of one part of the row's thread: the same on every attempt."""
    return f"{publication.idempotency_key}-{number}"


def plain_text(content):
    """A status's HTML content as comparable text (tags gone, whitespace dropped)."""
    text = html.unescape(TAG_RE.sub("", BREAK_RE.sub(" ", content or "")))
    return SPACE_RE.sub("", text)


def comparable(text):
    """Our text as Mastodon shows it: a remote mention without its domain."""
    return SPACE_RE.sub("", REMOTE_MENTION_RE.sub(r"\1", text or ""))


class MastodonAdapter(Adapter):
    type = TYPE
    label = _l("Mastodon")
    kinds = social.KINDS
    supports_images = True
    can_look_up = True
    connect_endpoint = "mastodon.connect"
    summary = _l("An account on any Mastodon server, connected by signing in there.")

    def format(self, doc, revision, channel):
        payload = social.payload(doc, revision, "mastodon", rendition="large", max_images=4)
        payload["visibility"] = (channel.settings or {}).get("visibility", DEFAULT_VISIBILITY)
        return payload

    def test_connection(self, channel):
        """The account the token signs in as (verify_credentials), as @name@instance."""
        account = mastodon_api.verify_credentials(instance_url(channel), access_token(channel))
        return mastodon_api.handle(instance_url(channel), account)

    def send(self, channel, publication):
        token = access_token(channel)
        parts = publication.payload["parts"]
        posted = self._recover(channel, publication, token)
        for number in range(len(posted) + 1, len(parts) + 1):
            media_ids = self._media_ids(channel, publication, token) if number == 1 else []
            self._attempting(publication, number)
            status = mastodon_api.post_status(
                instance_url(channel), token,
                self.status_fields(publication, number, posted, media_ids),
                idempotency_key(publication, number))
            posted.append({"id": str(status["id"]), "url": status.get("url")})
            remember(publication, statuses=posted, attempt=None)
        return self._result(posted)

    def lookup(self, channel, publication):
        """The result when every part is recorded (after checking an old attempt on the
        account); None when parts are missing: `send` continues at the first of them."""
        posted = self._recover(channel, publication, access_token(channel))
        if len(posted) == len(publication.payload["parts"]):
            return self._result(posted)
        return None

    def status_fields(self, publication, number, posted, media_ids):
        """The form fields of one part: text, reply, content warning, visibility, media."""
        payload = publication.payload
        fields = [("status", payload["parts"][number - 1]),
                  ("visibility", payload.get("visibility") or DEFAULT_VISIBILITY)]
        if posted:
            fields.append(("in_reply_to_id", posted[-1]["id"]))
        warning = (payload.get("content_warning") or "").strip()
        if warning:
            fields += [("spoiler_text", warning), ("sensitive", "true")]
        fields += [("media_ids[]", media_id) for media_id in media_ids]
        return fields

    def _media_ids(self, channel, publication, token):
        """Upload the images not yet uploaded (each recorded at once), wait until the
        instance has processed them, and return their ids in order."""
        media = [dict(item) for item in progress(publication, "media", [])]
        for image in publication.payload.get("images", [])[len(media):]:
            media_id, ready = mastodon_api.upload_media(
                instance_url(channel), token, social.image_bytes(image), image.get("alt"))
            media.append({"id": media_id, "ready": ready})
            remember(publication, media=media)
        for item in media:
            if not item["ready"]:
                mastodon_api.wait_processed(instance_url(channel), token, item["id"])
                item["ready"] = True
                remember(publication, media=media)
        return [item["id"] for item in media]

    def _attempting(self, publication, number):
        """Record when a part was first tried (its key's hour starts then at the latest)."""
        attempt = progress(publication, "attempt")
        if not attempt or attempt.get("part") != number:
            remember(publication, attempt={"part": number, "at": utcnow().isoformat()})

    def _recover(self, channel, publication, token):
        """The parts recorded so far, plus the next one if it was tried over an hour ago
        and the account's latest statuses show it went out."""
        posted = [dict(item) for item in progress(publication, "statuses", [])]
        attempt = progress(publication, "attempt")
        parts = publication.payload["parts"]
        if not attempt or attempt.get("part") != len(posted) + 1 or len(posted) >= len(parts):
            return posted
        started = datetime.fromisoformat(attempt["at"])
        if utcnow() - started < KEY_TRUSTED_FOR:
            return posted  # the key still holds: posting again returns the same status
        found = self._find(channel, token, parts[len(posted)],
                           posted[-1]["id"] if posted else None, started)
        if found is not None:
            posted.append(found)
            remember(publication, statuses=posted, attempt=None)
        return posted

    def _find(self, channel, token, text, reply_to, since):
        """The account's recent status with this text replying to `reply_to`, or None."""
        account_id = (channel.settings or {}).get("account_id") or \
            mastodon_api.verify_credentials(instance_url(channel), token)["id"]
        wanted = comparable(text)
        earliest = since - timedelta(minutes=5)
        for status in mastodon_api.latest_statuses(instance_url(channel), token, account_id):
            created = _parse_time(status.get("created_at"))
            if (status.get("in_reply_to_id") or None) == reply_to \
                    and plain_text(status.get("content")) == wanted \
                    and (created is None or created >= earliest):
                return {"id": str(status["id"]), "url": status.get("url")}
        return None

    @staticmethod
    def _result(posted):
        return SendResult(external_id=posted[0]["id"], url=posted[0].get("url"))


def _parse_time(value):
    """A status's created_at as an aware UTC datetime (as utcnow), or None."""
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
