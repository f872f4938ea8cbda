"""Channel credentials, encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256).

The keys come from COMMSDESK_CREDENTIALS_KEY: one or more Fernet keys separated by commas,
the first encrypts and every one decrypts (MultiFernet), so a key is rotated by putting the
new one first and running `flask --app commsdesk channels rotate-key`. Without it, one key
is derived from the secret key with HKDF; changing the secret key then makes stored
credentials unreadable (they must be entered again). Credentials are never shown again
after they are saved: only whether they are set."""
import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import gettext as _

from ..errors import ValidationError

HKDF_SALT = b"commsdesk channel credentials"
HKDF_INFO = b"fernet key v1"


class CredentialsUnreadable(Exception):
    """The stored credentials cannot be decrypted with the configured keys."""


def derived_key(secret_key):
    """A Fernet key derived from the app's secret key (used when no key is configured)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT,
               info=HKDF_INFO).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


def _fernet():
    configured = current_app.config.get("CREDENTIALS_KEY")
    if configured:
        keys = [k.strip() for k in configured.split(",") if k.strip()]
    else:
        keys = [derived_key(current_app.config["SECRET_KEY"])]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise RuntimeError("COMMSDESK_CREDENTIALS_KEY must be Fernet keys (32 url-safe "
                           "base64-encoded bytes), separated by commas") from None


def encrypt(values):
    """The dict of secrets as one encrypted token for Channel.credentials."""
    return _fernet().encrypt(json.dumps(values, sort_keys=True).encode()).decode()


def decrypt(token):
    """The dict of secrets stored in Channel.credentials ({} when none)."""
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        raise CredentialsUnreadable(_(
            "The channel's stored credentials cannot be read with the configured key; "
            "enter them again.")) from None


def for_sending(channel, *required, missing=None):
    """The channel's secrets for a send: AuthError (the channel then needs reconnecting)
    when they cannot be read, or when one of `required` is empty (saying `missing`)."""
    from .base import AuthError

    try:
        values = decrypt(channel.credentials)
    except CredentialsUnreadable as exc:
        raise AuthError(str(exc)) from None
    if any(not values.get(name) for name in required):
        raise AuthError(str(missing))
    return values


def rotate(token):
    """The token re-encrypted with the first configured key."""
    return _fernet().rotate(token.encode()).decode() if token else token


def require(values, *names):
    """Each named secret is present and non-empty, else a ValidationError naming it."""
    for name in names:
        if not (values.get(name) or "").strip():
            raise ValidationError(_("This field is required."), field=name)
