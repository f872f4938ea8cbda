"""HTTP transport shared by adapters that talk to a platform's REST API: one request with
sensible timeouts, and the outcome classified into the errors the sender understands.

What may be repeated depends on whether the request can have reached the platform: a
refused connection or a connect timeout never did (retry); a reply of 429 or 5xx asks us to
come back later (retry, honouring Retry-After); a connection dropped after the request was
written may have done its work (unknown outcome: never repeated blindly)."""
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
from flask_babel import gettext as _

from .base import PermanentError, RetryableError, UnknownOutcome

# (connect, read) seconds: well below the sender's "stuck" threshold, so a row is never
# reconciled while its request may still be running.
TIMEOUT = (5, 30)
USER_AGENT = "commsdesk (+https://github.com/commsdesk)"


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP date; None if
    absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, int((when - (now or datetime.now(UTC))).total_seconds()))


def request(method, url, platform, auth=None, **kwargs):
    """Make one request; returns the response for 2xx-4xx other than 429, raises a
    ChannelError for what the caller cannot act on (retry, unknown outcome)."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json",
               **kwargs.pop("headers", {})}
    try:
        response = requests.request(method, url, auth=auth, headers=headers,
                                    timeout=TIMEOUT, allow_redirects=False, **kwargs)
    except (requests.ConnectTimeout, requests.exceptions.SSLError) as exc:
        raise RetryableError(_("%(platform)s could not be reached: %(error)s",
                               platform=platform, error=_short(exc))) from None
    except requests.ReadTimeout:
        # The request went out and no answer came: it may have been done. Retrying is safe
        # only because the sender looks the row up on the platform before any retry.
        raise RetryableError(_("%(platform)s did not answer in time.",
                               platform=platform)) from None
    except requests.ConnectionError as exc:
        if _never_connected(exc):
            raise RetryableError(_("%(platform)s could not be reached: %(error)s",
                                   platform=platform, error=_short(exc))) from None
        raise UnknownOutcome(_("The connection to %(platform)s broke off after the request "
                               "was sent; it may have gone through.",
                               platform=platform)) from None
    except requests.RequestException as exc:
        raise PermanentError(_("The request to %(platform)s could not be made: %(error)s",
                               platform=platform, error=_short(exc))) from None
    if response.status_code == 429:
        raise RetryableError(
            _("%(platform)s asked us to slow down (too many requests).", platform=platform),
            _rate_limit_wait(response.headers))
    if response.status_code >= 500:
        raise RetryableError(
            _("%(platform)s had a server error (HTTP %(status)d).", platform=platform,
              status=response.status_code),
            parse_retry_after(response.headers.get("Retry-After")))
    return response


def _rate_limit_wait(headers, now=None):
    """Seconds to wait after a 429: Retry-After, else the RateLimit-Reset header (epoch
    seconds, as the AT Protocol's PDS sends it); None if neither says."""
    wait = parse_retry_after(headers.get("Retry-After"), now)
    reset = (headers.get("RateLimit-Reset") or "").strip()
    if wait is None and reset.isdigit():
        wait = max(0, int(reset) - int((now or datetime.now(UTC)).timestamp()))
    return wait


def _never_connected(exc):
    """Whether a ConnectionError happened before anything was sent (refused, no route,
    name not found), as opposed to a connection that broke while the request was out."""
    text = repr(exc)
    return any(word in text for word in (
        "NewConnectionError", "Connection refused", "NameResolutionError",
        "Failed to resolve", "No route to host"))


def _short(exc):
    return str(exc)[:300]


def json_or_none(response):
    """The response body as JSON, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None
