"""LinkedIn organisation pages through the versioned Posts API (Marketing / Community
Management API, learn.microsoft.com/linkedin/marketing/community-management/shares).

Followed as documented: every request to https://api.linkedin.com/rest/ carries
`Authorization: Bearer`, `LinkedIn-Version: YYYYMM` and `X-Restli-Protocol-Version: 2.0.0`.
- `POST /rest/posts` with author `urn:li:organization:{id}`, `commentary` (the "little" text
  format: reserved characters escaped with a backslash), `visibility: PUBLIC`,
  `distribution.feedDistribution: MAIN_FEED`, `lifecycleState: PUBLISHED`,
  `isReshareDisabledByAuthor`; answered 201 with the post's URN in `x-restli-id`.
- Images API: `POST /rest/images?action=initializeUpload` ({initializeUploadRequest: {owner}})
  answers `value.uploadUrl` and `value.image` (urn:li:image:…), then the bytes are PUT to the
  upload URL; the post names the image in `content.media` (or `content.multiImage`).
- A text announced with its link gets `content.article` (source, title, description).
- `GET /rest/posts?author={urn}&q=author&start=…&count=…&sortBy=CREATED` lists the page's
  posts, newest first, a page at a time (Rest.li paging: shared/api-guide/concepts/pagination).
- `GET /rest/organizations/{id}` names the page (the connection test).
- Token refresh (programmatic refresh tokens): `POST https://www.linkedin.com/oauth/v2/
  accessToken` with grant_type=refresh_token; the answer has a new access token and may
  carry the refresh token again. Refresh tokens live a year and survive a refresh, so the
  stored one is kept unless a new one comes.

LinkedIn has no threads (3000 characters, refused with the count) and no idempotency key:
before sending, the attempt's start and its exact commentary are remembered on the row, and
before any retry `lookup` searches the page's posts since then for that commentary."""
from datetime import datetime
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import utcnow
from . import credentials, http, social
from .base import (
    Adapter,
    AuthError,
    Field,
    PermanentError,
    SendResult,
    UnknownOutcome,
    progress,
    remember,
)

PLATFORM = "LinkedIn"
DEFAULT_VERSION = "202605"
MAX_IMAGES = 4
LOOKUP_COUNT = 50  # posts per page of a lookup (the API allows up to 100)
LOOKUP_PAGES = 10
# The "little" text format's reserved characters (escaped to be read as plain text).
RESERVED = set("\\|{}@[]()<>#*_~")
POST_URL = "https://www.linkedin.com/feed/update/{urn}/"


def api_base():
    return current_app.config.get("LINKEDIN_API_URL", "https://api.linkedin.com").rstrip("/")


def oauth_base():
    return current_app.config.get("LINKEDIN_OAUTH_URL", "https://www.linkedin.com").rstrip("/")


def escape_little(text):
    """The text as plain "little" text: reserved characters escaped, except inside web
    addresses (so they still link) and the # of a hashtag (so it stays one)."""
    out, position = [], 0
    for match in social.URL_RE.finditer(text):
        out.append(_escape_plain(text[position:match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_escape_plain(text[position:]))
    return "".join(out)


def _escape_plain(text):
    chars = []
    for index, char in enumerate(text):
        hashtag = char == "#" and index + 1 < len(text) and text[index + 1].isalnum() \
            and (index == 0 or text[index - 1].isspace())
        chars.append(char if hashtag or char not in RESERVED else "\\" + char)
    return "".join(chars)


def organisation_urn(channel):
    return f"urn:li:organization:{(channel.settings or {}).get('page_id', '')}"


def _secrets(channel):
    return credentials.for_sending(
        channel, "access_token",
        missing=_("The LinkedIn channel has no access token; add it under Channels."))


def _message(response):
    body = http.json_or_none(response)
    message = body.get("message") if isinstance(body, dict) else None
    return str(message or response.reason or response.status_code)[:300]


class Client:
    """Requests to LinkedIn for one channel; a refused token is refreshed once."""

    def __init__(self, channel):
        self.channel = channel
        self.refreshed = False

    def headers(self, extra=None):
        version = (self.channel.settings or {}).get("api_version") or DEFAULT_VERSION
        return {"Authorization": f"Bearer {_secrets(self.channel)['access_token']}",
                "LinkedIn-Version": version, "X-Restli-Protocol-Version": "2.0.0",
                **(extra or {})}

    def request(self, method, path, **kwargs):
        """One API request; a 401 is answered by one refresh and one more try."""
        url = path if path.startswith("http") else api_base() + path
        extra = kwargs.pop("headers", None)
        response = http.request(method, url, PLATFORM, headers=self.headers(extra), **kwargs)
        if response.status_code == 401 and not self.refreshed:
            self.refresh(_message(response))
            response = http.request(method, url, PLATFORM, headers=self.headers(extra),
                                    **kwargs)
        if response.status_code == 401:
            raise AuthError(_("LinkedIn refused the access token: %(message)s. Reconnect the "
                              "channel with a new token.", message=_message(response)))
        return response

    def refresh(self, why):
        """Trade the refresh token for a new access token and store both (the refresh token
        kept unless LinkedIn sends a new one); AuthError if there is none or it is refused."""
        self.refreshed = True
        values = _secrets(self.channel)
        if not values.get("refresh_token"):
            raise AuthError(_("LinkedIn refused the access token: %(message)s. Reconnect the "
                              "channel with a new token.", message=why))
        response = http.request("POST", oauth_base() + "/oauth/v2/accessToken", PLATFORM, data={
            "grant_type": "refresh_token", "refresh_token": values["refresh_token"],
            "client_id": (self.channel.settings or {}).get("client_id", ""),
            "client_secret": values.get("client_secret", "")})
        body = http.json_or_none(response) or {}
        if response.status_code != 200 or not isinstance(body, dict) \
                or not body.get("access_token"):
            detail = body.get("error_description") if isinstance(body, dict) else None
            raise AuthError(_("LinkedIn refused the access token (%(message)s) and did not "
                              "renew it: %(detail)s. Reconnect the channel.", message=why,
                              detail=str(detail or response.status_code)[:300]))
        values["access_token"] = body["access_token"]
        values["refresh_token"] = body.get("refresh_token") or values["refresh_token"]
        self.channel.credentials = credentials.encrypt(values)
        from .. import audit  # audit reaches workflow, which queues through channels

        audit.record(None, "channel.token_refreshed", self.channel, name=self.channel.name,
                     type=self.channel.type)
        db.session.commit()


def _refusal(response):
    if response.status_code == 403:
        return AuthError(_("LinkedIn refused to post for this page (HTTP 403): %(message)s. "
                           "The connected member must administer the page.",
                           message=_message(response)))
    return PermanentError(_("LinkedIn did not accept the post (HTTP %(status)d): %(message)s",
                            status=response.status_code, message=_message(response)))


def _result(urn):
    return SendResult(external_id=urn, url=POST_URL.format(urn=urn))


class LinkedInAdapter(Adapter):
    type = "linkedin"
    label = _l("LinkedIn page")
    kinds = social.KINDS
    supports_images = True
    can_look_up = True
    fields = (
        Field("page_id", _l("Organisation id"), max_length=30,
              help=_l("The number in the page's admin address, "
                      "linkedin.com/company/NUMBER/admin.")),
        Field("access_token", _l("Access token"), "secret", max_length=2000),
        Field("refresh_token", _l("Refresh token"), "secret", required=False, max_length=2000),
        Field("client_id", _l("Client id"), required=False, max_length=200,
              help=_l("The app's client id and secret renew an expired access token with the "
                      "refresh token.")),
        Field("client_secret", _l("Client secret"), "secret", required=False, max_length=500),
        Field("api_version", _l("API version"), required=False, max_length=6,
              default=DEFAULT_VERSION,
              help=_l("LinkedIn-Version, as YYYYMM.")),
    )
    instructions = _l("Posts go to the organisation's LinkedIn page through the Posts API. "
                      "The member who created the token must be an administrator of the page "
                      "(w_organization_social). Tokens are stored encrypted and never shown "
                      "again.")

    def check_settings(self, settings, secrets):
        from ..errors import ValidationError

        if not settings.get("page_id", "").isdigit():
            raise ValidationError(_("The organisation id is a number."), field="page_id")
        version = settings.get("api_version") or DEFAULT_VERSION
        if not (version.isdigit() and len(version) == 6):
            raise ValidationError(_("Give the API version as YYYYMM."), field="api_version")
        return {**settings, "api_version": version}

    def address(self, channel):
        return organisation_urn(channel)

    def format(self, doc, revision, channel):
        return social.payload(doc, revision, "linkedin", threads=False, rendition="large",
                              max_images=MAX_IMAGES)

    def post_body(self, channel, publication, images):
        """The JSON of POST /rest/posts."""
        payload = publication.payload
        body = {"author": organisation_urn(channel),
                "commentary": escape_little(payload["text"]), "visibility": "PUBLIC",
                "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                                 "thirdPartyDistributionChannels": []},
                "lifecycleState": "PUBLISHED", "isReshareDisabledByAuthor": False}
        if payload.get("kind") != "social_post" and payload.get("link"):
            article = {"source": payload["link"], "title": payload["title"][:400]}
            if images:
                article.update(thumbnail=images[0]["id"], thumbnailAltText=images[0]["altText"])
            body["content"] = {"article": article}
        elif len(images) == 1:
            body["content"] = {"media": images[0]}
        elif images:
            body["content"] = {"multiImage": {"images": images}}
        return body

    def upload_images(self, client, channel, publication):
        """Upload each image once (remembered on the row); returns [{id, altText}]."""
        done = dict(progress(publication, "images", {}))
        for image in publication.payload.get("images") or []:
            key = str(image["media_id"])
            if key in done:
                continue
            response = client.request("POST", "/rest/images?action=initializeUpload", json={
                "initializeUploadRequest": {"owner": organisation_urn(channel)}})
            value = (http.json_or_none(response) or {}).get("value") \
                if response.status_code == 200 else None
            if not isinstance(value, dict) or not value.get("uploadUrl"):
                raise _refusal(response)
            put = client.request("PUT", value["uploadUrl"], data=social.image_bytes(image),
                                 headers={"Content-Type": "image/jpeg"})
            if put.status_code not in (200, 201):
                raise _refusal(put)
            done[key] = value["image"]
            remember(publication, images=done)
        return [{"id": done[str(i["media_id"])], "altText": (i.get("alt") or "")[:4086]}
                for i in publication.payload.get("images") or []]

    def send(self, channel, publication):
        client = Client(channel)
        images = self.upload_images(client, channel, publication)
        body = self.post_body(channel, publication, images)
        # The marker a lookup finds the post by, committed before the request goes out.
        remember(publication, marker={
            "since": progress(publication, "marker", {}).get("since")
            or utcnow().isoformat(), "commentary": body["commentary"]})
        response = client.request("POST", "/rest/posts", json=body)
        if response.status_code != 201:
            raise _refusal(response)
        urn = response.headers.get("x-restli-id")
        if not urn:
            raise PermanentError(_("LinkedIn accepted the post but did not say its id."))
        return _result(urn)

    def lookup(self, channel, publication):
        marker = progress(publication, "marker")
        if not marker:
            return None  # nothing was sent yet
        since = int(datetime.fromisoformat(marker["since"]).timestamp() * 1000) - 60_000
        author = quote(organisation_urn(channel), safe="")
        client = Client(channel)
        # Newest first, page by page back to the first attempt: a burst of other posts
        # since then must not push this one out of sight (that would post it twice).
        for start in range(0, LOOKUP_COUNT * LOOKUP_PAGES, LOOKUP_COUNT):
            response = client.request(
                "GET", f"/rest/posts?author={author}&q=author&start={start}"
                       f"&count={LOOKUP_COUNT}&sortBy=CREATED")
            if response.status_code != 200:
                raise _refusal(response)
            posts = (http.json_or_none(response) or {}).get("elements") or []
            for post in posts:
                if post.get("commentary") == marker["commentary"] \
                        and int(post.get("createdAt") or 0) >= since:
                    return _result(post["id"])
            if len(posts) < LOOKUP_COUNT or \
                    min(int(p.get("createdAt") or 0) for p in posts) < since:
                return None
        raise UnknownOutcome(_("LinkedIn lists too many posts since the attempt to tell "
                               "whether it went out."))

    def test_connection(self, channel):
        organisation_id = (channel.settings or {}).get("page_id", "")
        response = Client(channel).request("GET", f"/rest/organizations/{organisation_id}")
        if response.status_code != 200:
            raise _refusal(response)
        body = http.json_or_none(response) or {}
        return str(body.get("localizedName") or organisation_urn(channel))
