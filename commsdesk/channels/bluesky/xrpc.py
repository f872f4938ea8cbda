"""Talking XRPC to a Bluesky PDS: the session of handle + app password, and each call's
reply classified into the errors the sender understands.

Follows the lexicons com.atproto.server.createSession / refreshSession (bluesky-social/atproto,
lexicons/com/atproto/server) and the PDS's own errors (packages/pds/src/auth-verifier.ts):
an expired access token is answered `400 {"error": "ExpiredToken"}`, a token that cannot be
verified `400 InvalidToken`, a wrong or revoked app password `401 AuthenticationRequired
"Invalid identifier or password"`, a suspended account `401 AccountTakedown`.

The session (accessJwt, refreshJwt, did, handle) is kept in the channel's encrypted
credentials beside the app password, with a fingerprint of what it was made from, so new
connection details never reuse an old session. An expired access token is refreshed with
refreshSession; a refresh token that is refused (rotated by another worker, revoked) falls
back to createSession with the app password, which is never dropped. Only when the app
password itself is refused is the channel marked as needing reconnecting (AuthError)."""
import base64
import hashlib
import json
import time

from flask_babel import gettext as _

from ...extensions import db
from .. import credentials, http
from ..base import AuthError, PermanentError

PLATFORM = "Bluesky"
DEFAULT_PDS = "https://bsky.social"
# Errors that say the account's credentials are refused, not the request.
AUTH_ERRORS = frozenset({"AuthenticationRequired", "AccountTakedown", "AuthMissing",
                         "AuthFactorTokenRequired"})
# Errors about the access token alone: a new session may fix them.
TOKEN_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})
# Seconds of margin before a JWT's `exp` at which it is refreshed beforehand.
EXPIRY_MARGIN = 30


def pds_url(channel):
    """The PDS's address without a trailing slash."""
    return ((channel.settings or {}).get("pds_url") or DEFAULT_PDS).rstrip("/")


def url(channel, nsid):
    return f"{pds_url(channel)}/xrpc/{nsid}"


def error_of(response):
    """(error name, message) of an XRPC error reply."""
    body = http.json_or_none(response)
    if not isinstance(body, dict):
        return "", response.reason or ""
    return str(body.get("error") or ""), str(body.get("message") or body.get("error") or "")


def refusal(response):
    """The PermanentError for a reply that will not change by trying again."""
    error, message = error_of(response)
    if response.status_code == 401 or error in AUTH_ERRORS or error in TOKEN_ERRORS:
        return AuthError(_("Bluesky refused the app password: %(message)s Create a new app "
                           "password in Bluesky's settings and save it on the channel.",
                           message=_sentence(message or error)))
    return PermanentError(_("Bluesky did not accept the post (HTTP %(status)d %(error)s): "
                            "%(message)s", status=response.status_code, error=error or "-",
                            message=message[:300]))


def _sentence(text):
    text = (text or "").strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _stored(channel):
    return credentials.for_sending(channel)


def _fingerprint(channel, values):
    raw = "\n".join((pds_url(channel), (channel.settings or {}).get("handle", ""),
                     values.get("app_password", "")))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def expires_at(token):
    """The `exp` of a JWT (seconds since the epoch), or None for an opaque token."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(data["exp"])
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def _fresh(token):
    exp = expires_at(token or "")
    return bool(token) and (exp is None or exp > time.time() + EXPIRY_MARGIN)


class Session:
    """A signed-in session on the channel's PDS; `call` makes authenticated requests."""

    def __init__(self, channel):
        self.channel = channel
        values = _stored(channel)
        if not values.get("app_password"):
            raise AuthError(_("The Bluesky channel has no app password; add it under "
                              "Channels."))
        self.fingerprint = _fingerprint(channel, values)
        cached = values.get("session") or {}
        self.data = cached if cached.get("fingerprint") == self.fingerprint else {}

    @property
    def did(self):
        return self.data["did"]

    @property
    def handle(self):
        return self.data.get("handle") or (self.channel.settings or {}).get("handle", "")

    def ensure(self):
        """Signed in with an access token that has not expired (refreshed or created)."""
        if _fresh(self.data.get("accessJwt")):
            return self
        if _fresh(self.data.get("refreshJwt")) and self.refresh():
            return self
        return self.create()

    def create(self):
        """createSession with the handle and the app password."""
        values = _stored(self.channel)
        response = http.request(
            "POST", url(self.channel, "com.atproto.server.createSession"), PLATFORM,
            json={"identifier": (self.channel.settings or {}).get("handle", ""),
                  "password": values.get("app_password", "")})
        if response.status_code != 200:
            raise refusal(response)
        return self._keep(http.json_or_none(response))

    def refresh(self):
        """refreshSession with the refresh token; False when the PDS refuses it."""
        response = http.request(
            "POST", url(self.channel, "com.atproto.server.refreshSession"), PLATFORM,
            headers={"Authorization": f"Bearer {self.data['refreshJwt']}"})
        if response.status_code != 200:
            error, _message = error_of(response)
            if error == "AccountTakedown":
                raise refusal(response)
            return False
        self._keep(http.json_or_none(response))
        return True

    def _keep(self, body):
        if not isinstance(body, dict) or not body.get("accessJwt") or not body.get("did"):
            raise PermanentError(_("Bluesky answered the sign-in with something that is not "
                                   "a session."))
        self.data = {"accessJwt": body["accessJwt"], "refreshJwt": body.get("refreshJwt"),
                     "did": body["did"], "handle": body.get("handle"),
                     "fingerprint": self.fingerprint}
        values = _stored(self.channel)
        values["session"] = self.data
        self.channel.credentials = credentials.encrypt(values)
        db.session.commit()  # a later worker reuses the session instead of signing in again
        return self

    def call(self, method, nsid, **kwargs):
        """An authenticated request; an access token refused as expired or invalid is
        renewed once and the request repeated (it was refused, so it did nothing)."""
        self.ensure()
        response = self._request(method, nsid, **kwargs)
        if response.status_code in (400, 401) and error_of(response)[0] in TOKEN_ERRORS:
            if not (_fresh(self.data.get("refreshJwt")) and self.refresh()):
                self.create()
            response = self._request(method, nsid, **kwargs)
        return response

    def _request(self, method, nsid, headers=None, **kwargs):
        headers = {**(headers or {}), "Authorization": f"Bearer {self.data['accessJwt']}"}
        return http.request(method, url(self.channel, nsid), PLATFORM, headers=headers,
                            **kwargs)


def resolve_handle(channel, handle):
    """The DID of a handle (com.atproto.identity.resolveHandle), or None if it has none."""
    response = http.request("GET", url(channel, "com.atproto.identity.resolveHandle"),
                            PLATFORM, params={"handle": handle})
    if response.status_code != 200:
        return None
    body = http.json_or_none(response)
    did = body.get("did") if isinstance(body, dict) else None
    return did if isinstance(did, str) and did.startswith("did:") else None
