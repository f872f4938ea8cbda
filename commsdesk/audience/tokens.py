"""Signed links for people without a login: one-click unsubscribe and the preference page
(which never expire: an old newsletter's link must still work), and the signup
confirmation (which does, after CONFIRM_MAX_AGE)."""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds a double opt-in link stays valid


class InvalidToken(Exception):
    """A link that was altered, belongs to something else, or has expired (`expired`)."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(salt):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def unsubscribe_token(organisation_id, email):
    """The token in an unsubscribe or preference link for this address."""
    return _serializer("commsdesk-unsubscribe").dumps([organisation_id, email.lower()])


def read_unsubscribe_token(token):
    """(organisation_id, email) of an unsubscribe token; InvalidToken if it is not ours."""
    try:
        organisation_id, email = _serializer("commsdesk-unsubscribe").loads(token)
    except (BadSignature, ValueError, TypeError):
        raise InvalidToken() from None
    return organisation_id, email


def confirm_token(member_id, email):
    """The token in a double opt-in confirmation link (expires after CONFIRM_MAX_AGE)."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                        salt="commsdesk-signup")
    return serializer.dumps([member_id, email.lower()])


def read_confirm_token(token, max_age=CONFIRM_MAX_AGE):
    """(member_id, email) of a confirmation token; InvalidToken(expired=...) otherwise."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                        salt="commsdesk-signup")
    try:
        member_id, email = serializer.loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidToken(expired=True) from None
    except (BadSignature, ValueError, TypeError):
        raise InvalidToken() from None
    return member_id, email
