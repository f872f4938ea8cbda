"""What the Facebook Page, Instagram and Threads channels share: one request to Meta's Graph
API (graph.facebook.com) or Threads API (graph.threads.net) with the channel's token, Meta's
error object turned into the errors the sender understands, container polling, and the
marker lookup that makes a send exactly once where Meta has no idempotency key.

Errors follow developers.facebook.com/docs/graph-api/guides/error-handling: a failed request
answers `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`. Code 190
(OAuthException: the token expired, was revoked or is invalid) or HTTP 401 means the channel
needs reconnecting; codes 1 and 2 (temporary) and 4, 17, 32, 613 and 80001-80014 (rate
limits, docs/graph-api/overview/rate-limiting) are tried again later; anything else is
refused with Meta's own message.

Exactly once (see `find_marked`): before a step that creates a post, the step's start time
is stored on the row (`base.remember`); after an unknown outcome the account's recent posts
are searched for one with exactly the text we sent, created since that start time."""
import json
import re
import time
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from ...models import utcnow
from .. import credentials, http
from ..base import AuthError, PermanentError, RetryableError, progress, remember

AUTH_CODES = frozenset({190})
TRANSIENT_CODES = frozenset({1, 2, 4, 17, 32, 341, 613, *range(80001, 80015)})
VERSION_RE = re.compile(r"^v\d{1,3}\.\d{1,2}$")
# Clocks differ: a post counts as ours if created up to this long before our attempt began.
CLOCK_SLACK = timedelta(minutes=2)
# Waits between status checks of a container (seconds); after the last, retry later.
POLL_DELAYS = (0, 0.5, 1, 2, 3)
LOOKUP_LIMIT = 50


def check_version(value):
    """A Graph API version like v21.0, or None if it is not one."""
    value = (value or "").strip()
    return value if VERSION_RE.match(value) else None


def token(channel, platform):
    """The channel's access token, or AuthError when there is none or it cannot be read."""
    return credentials.for_sending(
        channel, "access_token",
        missing=_("The %(platform)s channel has no access token; add it under Channels.",
                  platform=platform))["access_token"]


class Graph:
    """Requests for one channel: `{base}/{version}/{path}` with its token as a Bearer."""

    def __init__(self, channel, platform, base_setting="GRAPH_API_URL", version="v21.0"):
        self.channel = channel
        self.platform = platform
        self.base = current_app.config.get(base_setting, "").rstrip("/")
        self.version = check_version((channel.settings or {}).get("api_version")) or version

    def url(self, path):
        return f"{self.base}/{self.version}/{path.lstrip('/')}"

    def call(self, method, path, params=None, data=None, files=None):
        """The JSON answer of one request, or a ChannelError (see the module)."""
        headers = {"Authorization": f"Bearer {token(self.channel, self.platform)}"}
        response = http.request(method, self.url(path), self.platform, headers=headers,
                                params=params, data=data, files=files)
        body = http.json_or_none(response)
        if response.status_code >= 400 or not isinstance(body, dict) or "error" in body:
            raise refusal(response, body, self.platform)
        return body

    def get(self, path, **params):
        return self.call("GET", path, params=params)

    def post(self, path, data=None, files=None):
        return self.call("POST", path, data=data, files=files)

    def permalink(self, object_id, field="permalink"):
        """An object's web address, or None if Meta does not say (the post is out anyway)."""
        try:
            return self.get(object_id, fields=field).get(field)
        except Exception:
            return None

    def wait_until_finished(self, container_id, field="status_code"):
        """Poll a container until it is ready to publish; returns its final status
        (FINISHED, PUBLISHED), raises PermanentError on ERROR or EXPIRED, RetryableError if
        it is still in progress after the last check (the container is remembered)."""
        status = "IN_PROGRESS"
        for delay in POLL_DELAYS:
            time.sleep(delay)
            found = self.get(container_id, fields=f"{field},status")
            status = found.get(field) or found.get("status") or "IN_PROGRESS"
            if status in ("FINISHED", "PUBLISHED"):
                return status
            if status in ("ERROR", "EXPIRED"):
                raise ContainerFailed(status, found)
        raise RetryableError(_("%(platform)s is still preparing the post; it is published "
                               "when ready.", platform=self.platform), retry_after=30)


class ContainerFailed(PermanentError):
    """A media container Meta could not process (ERROR) or that expired unpublished."""

    def __init__(self, status, found):
        self.status = status
        detail = found.get("error_message") or found.get("status") or status
        super().__init__(_("Meta could not prepare the post (%(status)s): %(detail)s",
                           status=status, detail=detail))


def refusal(response, body, platform):
    """The ChannelError for an answer that is an error object (or not JSON at all)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return PermanentError(_("%(platform)s answered with something unexpected (HTTP "
                                "%(status)d).", platform=platform, status=response.status_code))
    message = str(error.get("error_user_msg") or error.get("message") or response.reason)[:400]
    code = error.get("code")
    if code in AUTH_CODES or response.status_code == 401:
        return AuthError(_("%(platform)s refused the access token: %(message)s",
                           platform=platform, message=message))
    if code in TRANSIENT_CODES or error.get("is_transient"):
        return RetryableError(_("%(platform)s asked us to try again later: %(message)s",
                                platform=platform, message=message),
                              _regain_seconds(response))
    return PermanentError(_("%(platform)s did not accept the post: %(message)s (code "
                            "%(code)s)", platform=platform, message=message, code=code))


def _regain_seconds(response):
    """How long Meta says to wait: Retry-After, else the rate-limit headers'
    estimated_time_to_regain_access (minutes), else None."""
    waited = http.parse_retry_after(response.headers.get("Retry-After"))
    if waited is not None:
        return waited
    for header in ("X-Business-Use-Case-Usage",):
        try:
            usage = json.loads(response.headers.get(header) or "null")
        except ValueError:
            continue
        # {"<business id>": [{"type": ..., "estimated_time_to_regain_access": 5}, ...]}
        entries = [e for v in usage.values() if isinstance(v, list) for e in v] \
            if isinstance(usage, dict) else []
        minutes = [e.get("estimated_time_to_regain_access") for e in entries
                   if isinstance(e, dict)]
        minutes = [m for m in minutes if isinstance(m, int | float)]
        if minutes:
            return int(max(minutes) * 60)
    return None


# --- exactly once --------------------------------------------------------------------------
def mark(publication, step):
    """Store, before a step that creates a post, when its first attempt began (committed).
    A later attempt keeps the first start so the search covers every attempt."""
    if not progress(publication, f"{step}_started"):
        remember(publication, **{f"{step}_started": utcnow().isoformat()})


def started(publication, step):
    """When the first attempt of a step began, or None if it never did."""
    value = progress(publication, f"{step}_started")
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def normalise(text):
    """Text as compared with a post: line endings unified, outer space stripped."""
    return (text or "").replace("\r\n", "\n").strip()


def parse_time(value):
    """Meta's timestamps ("2024-05-01T12:00:00+0000") as aware datetimes, or None."""
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except (TypeError, ValueError):
        return None


def find_marked(graph, path, text_field, text, since, fields):
    """The first post of `path` (an account's feed, media or threads) whose `text_field` is
    exactly `text` and that was created at `since` (less CLOCK_SLACK) or later; None if
    there is none. Exact text within the time window: another post with the very same
    words in the same minutes would be taken for ours, which only a person posting our
    text by hand at that moment could cause."""
    since_at = since - CLOCK_SLACK
    answer = graph.get(path, fields=fields, since=int(since_at.timestamp()),
                       limit=LOOKUP_LIMIT)
    wanted = normalise(text)
    for post in answer.get("data") or []:
        created = parse_time(post.get("created_time") or post.get("timestamp"))
        if normalise(post.get(text_field)) == wanted and created and created >= since_at:
            return post
    return None
