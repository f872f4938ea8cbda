"""The Mastodon REST API as the Mastodon channel uses it, following docs.joinmastodon.org
(methods/apps, methods/oauth, methods/accounts, methods/media, methods/statuses,
api/rate-limits): app registration (`POST /api/v1/apps`), the authorisation code flow
(`GET /oauth/authorize`, `POST /oauth/token`), `GET /api/v1/accounts/verify_credentials`,
`GET /api/v1/accounts/:id/statuses`, media (`POST /api/v2/media`, answered 202 while the
file is processed, then `GET /api/v1/media/:id`: 206 until done, 200 when done) and
`POST /api/v1/statuses` with its `Idempotency-Key` header.

Every request goes through channels.http (timeouts, 5xx and 429 retried, a dropped reply
an unknown outcome). Mastodon answers errors as `{"error": "..."}` (OAuth errors add
`error_description`); its own words are what a person reads. Its rate limiter answers 429
with `X-RateLimit-Reset` (an ISO 8601 time) rather than Retry-After: both are honoured."""
import time
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from flask_babel import gettext as _

from . import http
from .base import AuthError, PermanentError, RetryableError

PLATFORM = "Mastodon"
SCOPES = "read write:statuses write:media"
# Mastodon refuses a media description over 1,500 characters.
MAX_DESCRIPTION = 1500
# Waiting for an uploaded image to be processed: the pauses between polls (seconds).
PROCESSING_POLLS = (0.1, 0.2, 0.4, 0.8, 1.5, 2, 2, 3, 3, 4, 4, 5)


class ClientRejected(PermanentError):
    """The instance no longer knows the registered app (client id and secret)."""


def error_text(response):
    """Mastodon's own words for a refusal ("error", and an OAuth "error_description")."""
    body = http.json_or_none(response)
    if isinstance(body, dict):
        text = body.get("error_description") or body.get("error")
        if text:
            return str(text)[:300]
    return f"HTTP {response.status_code} {response.reason or ''}".strip()


def refusal(response, instance_url):
    """The ChannelError for a reply that will not change by trying again as it is."""
    host = urlsplit(instance_url).netloc
    text = error_text(response)
    if response.status_code in (401, 403):
        return AuthError(_("Mastodon (%(host)s) refused the channel's access: %(error)s",
                           host=host, error=text))
    if 300 <= response.status_code < 400:
        return PermanentError(_("%(host)s redirects to %(location)s; connect the channel "
                                "with that address.", host=host,
                                location=response.headers.get("Location", "?")))
    return PermanentError(_("Mastodon (%(host)s) did not accept it (HTTP %(status)d): "
                            "%(error)s", host=host, status=response.status_code, error=text))


def _reset_seconds(value):
    """Seconds until an X-RateLimit-Reset time (ISO 8601), or None."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, int((when - datetime.now(UTC)).total_seconds()) + 1)


def call(method, instance_url, path, token=None, **kwargs):
    """One request to the instance; returns the response (any status but 429/5xx)."""
    seen = {}

    def keep(response, *args, **kw):
        seen["status"], seen["reset"] = (response.status_code,
                                         response.headers.get("X-RateLimit-Reset"))

    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        return http.request(method, instance_url.rstrip("/") + path, PLATFORM,
                            headers=headers, hooks={"response": keep}, **kwargs)
    except RetryableError as exc:
        if exc.retry_after is None and seen.get("status") == 429:
            exc.retry_after = _reset_seconds(seen.get("reset"))
        raise


def json_of(response, instance_url, expected=(200,)):
    """The JSON object of a successful reply, else the refusal raised."""
    if response.status_code not in expected:
        raise refusal(response, instance_url)
    body = http.json_or_none(response)
    if not isinstance(body, dict | list):
        raise PermanentError(_("Mastodon answered with something that is not JSON."))
    return body


def register_app(instance_url, redirect_uri, website):
    """Register commsdesk on the instance; returns (client_id, client_secret)."""
    response = call("POST", instance_url, "/api/v1/apps", data={
        "client_name": "commsdesk", "redirect_uris": redirect_uri, "scopes": SCOPES,
        "website": website})
    app = json_of(response, instance_url)
    if not app.get("client_id") or not app.get("client_secret"):
        raise PermanentError(_("The instance did not register the app (no client id)."))
    return app["client_id"], app["client_secret"]


def authorize_url(instance_url, client_id, redirect_uri, state, force_login=False):
    """Where the person signs in on the instance and allows commsdesk to post."""
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
             "scope": SCOPES, "state": state}
    if force_login:
        query["force_login"] = "true"
    return f"{instance_url.rstrip('/')}/oauth/authorize?{urlencode(query)}"


def exchange_code(instance_url, client_id, client_secret, redirect_uri, code):
    """The user's access token for an authorisation code."""
    response = call("POST", instance_url, "/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": client_id,
        "client_secret": client_secret, "redirect_uri": redirect_uri, "scope": SCOPES})
    if response.status_code == 401 and (http.json_or_none(response) or {}).get(
            "error") == "invalid_client":
        raise ClientRejected(error_text(response))
    if response.status_code != 200:
        raise PermanentError(_("Mastodon did not give an access token: %(error)s",
                               error=error_text(response)))
    token = json_of(response, instance_url).get("access_token")
    if not token:
        raise PermanentError(_("Mastodon did not give an access token."))
    return token


def verify_credentials(instance_url, token):
    """The account the token belongs to (id, acct, url, ...)."""
    response = call("GET", instance_url, "/api/v1/accounts/verify_credentials", token)
    account = json_of(response, instance_url)
    if not isinstance(account, dict) or not account.get("id"):
        raise PermanentError(_("Mastodon answered with something that is not an account."))
    return account


def handle(instance_url, account):
    """The account as people write it: @name@instance."""
    acct = str(account.get("acct") or account.get("username") or "?")
    return "@" + (acct if "@" in acct else f"{acct}@{urlsplit(instance_url).netloc}")


def upload_media(instance_url, token, data, description):
    """Upload one JPEG with its description; returns (media id, processed yet)."""
    response = call("POST", instance_url, "/api/v2/media", token,
                    files={"file": ("image.jpg", data, "image/jpeg")},
                    data={"description": (description or "")[:MAX_DESCRIPTION]})
    media = json_of(response, instance_url, expected=(200, 202))
    if not media.get("id"):
        raise PermanentError(_("Mastodon answered the upload without a media id."))
    return str(media["id"]), response.status_code == 200 and bool(media.get("url"))


def wait_processed(instance_url, token, media_id, sleep=time.sleep):
    """Poll an uploaded image until the instance has processed it."""
    for pause in PROCESSING_POLLS:
        sleep(pause)
        response = call("GET", instance_url, f"/api/v1/media/{media_id}", token)
        if response.status_code == 200:
            return
        if response.status_code != 206:
            raise refusal(response, instance_url)
    raise RetryableError(_("Mastodon is still processing an image; trying again later."),
                         retry_after=30)


def post_status(instance_url, token, fields, idempotency_key):
    """Post one status (form fields as pairs); returns the Status."""
    response = call("POST", instance_url, "/api/v1/statuses", token, data=fields,
                    headers={"Idempotency-Key": idempotency_key})
    status = json_of(response, instance_url)
    if not isinstance(status, dict) or not status.get("id"):
        raise PermanentError(_("Mastodon answered with something that is not a status."))
    return status


def latest_statuses(instance_url, token, account_id, limit=40):
    """The account's latest statuses, replies included, newest first."""
    response = call("GET", instance_url, f"/api/v1/accounts/{account_id}/statuses", token,
                    params={"limit": limit, "exclude_reblogs": "true"})
    statuses = json_of(response, instance_url)
    return statuses if isinstance(statuses, list) else []
