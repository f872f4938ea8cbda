"""People: organisations, users, passwords, login sessions, rate limits, invites, API tokens."""
import hashlib
import re
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, update

from . import audit, mail
from .access import ROLES, is_admin
from .channels import website_channel
from .errors import Forbidden, NotFound, RateLimited, ValidationError
from .extensions import db
from .models import ApiToken, LoginAttempt, LoginSession, Organisation, User, utcnow
from .validation import text_field

MIN_PASSWORD = 10
MAX_NAME = 200
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_HASHERS = {
    "default": PasswordHasher(),  # argon2id with the library's recommended costs
    # Only for test suites, which create hundreds of users: same algorithm, minimal cost.
    "fast": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_DUMMY = {}


def _hasher():
    return _HASHERS[current_app.config.get("PASSWORD_HASHER", "default")]


def _dummy_hash():
    """Verified against when the email is unknown, so both paths take the same time."""
    hasher = _hasher()
    if hasher not in _DUMMY:
        _DUMMY[hasher] = hasher.hash("not a real password")
    return _DUMMY[hasher]


def _sha256(raw):
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def check_password_strength(password):
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError(
            _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD),
            field="password",
        )


def hash_password(password):
    check_password_strength(password)
    return _hasher().hash(password)


def normalise_email(email):
    try:
        return validate_email(email or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationError(_("Not a valid email address: %(e)s", e=str(exc)),
                              field="email") from None


def create_organisation(name, slug, timezone=None):
    """Create an organisation (installation superusers and the CLI)."""
    name = text_field(name, MAX_NAME, _("Name"), "name", required=True, single_line=True)
    if not SLUG_RE.match(slug or ""):
        raise ValidationError(
            _("The slug may contain lower-case letters, digits and dashes."), field="slug"
        )
    if db.session.execute(select(Organisation).where(Organisation.slug == slug)).first():
        raise ValidationError(_("The slug %(slug)s is taken.", slug=slug), field="slug")
    try:
        ZoneInfo(timezone or current_app.config["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown time zone %(tz)s (use e.g. Europe/Stockholm).",
                                tz=timezone), field="timezone") from None
    org = Organisation(name=name, slug=slug,
                       timezone=timezone or current_app.config["TIMEZONE"])
    db.session.add(org)
    db.session.flush()
    # Every organisation has its newsroom from the start (not first made inside a page view).
    website_channel(org)
    audit.record(None, "organisation.created", org, organisation_id=org.id, slug=slug)
    db.session.commit()
    return org


def get_organisation(slug):
    org = db.session.execute(select(Organisation).where(Organisation.slug == slug)).scalar()
    if org is None:
        raise NotFound(_("No organisation with slug %(slug)s.", slug=slug))
    return org


def create_user(email, name, role, organisation, password=None, superuser=False, actor=None):
    """Create a user in an organisation; without a password the account waits for an invite."""
    email = normalise_email(email)
    if role not in ROLES:
        raise ValidationError(
            _("Unknown role %(role)s; choose one of %(roles)s.", role=role, roles=", ".join(ROLES)),
            field="role",
        )
    name = text_field(name, MAX_NAME, _("Name"), "name", required=True, single_line=True)
    if db.session.execute(select(User).where(func.lower(User.email) == email)).first():
        raise ValidationError(_("A user with that email exists already."), field="email")
    user = User(email=email, name=name, role=role, organisation=organisation,
                is_superuser=superuser,
                password_hash=hash_password(password) if password is not None else None)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.created", user,
                 organisation_id=organisation.id if organisation else None,
                 role=role)
    db.session.commit()
    return user


# --- logging in -----------------------------------------------------------------------

def _attempt_keys(email, ip):
    return [f"email:{(email or '').strip().lower()}", f"ip:{ip or '-'}"]


def _too_many_failures(keys):
    cfg = current_app.config
    since = utcnow() - timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"])
    for key in keys:
        count = db.session.execute(
            select(func.count()).where(LoginAttempt.key == key, LoginAttempt.at >= since)
        ).scalar_one()
        limit = cfg["LOGIN_MAX_FAILURES"] * (4 if key.startswith("ip:") else 1)
        if count >= limit:
            return True
    return False


def authenticate(email, password, ip):
    """The user for these credentials; counts failures in the shared database."""
    keys = _attempt_keys(email, ip)
    if _too_many_failures(keys):
        raise RateLimited(_("Too many failed attempts. Wait a few minutes and try again."))
    user = db.session.execute(
        select(User).where(func.lower(User.email) == (email or "").strip().lower())
    ).scalar_one_or_none()
    try:
        _hasher().verify(user.password_hash if user and user.password_hash else _dummy_hash(),
                       password or "")
        ok = user is not None and user.password_hash is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or not user.active:
        for key in keys:
            db.session.add(LoginAttempt(key=key))
        db.session.commit()
        raise ValidationError(_("Wrong email or password, or the account is disabled."))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == keys[0]))
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    audit.record(user, "user.login", user, ip=ip)
    db.session.commit()
    return user


def start_session(user):
    """Open a server-side login session and attach its key to the user object."""
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, key_hash=_sha256(key)))
    db.session.commit()
    user.session_key = key
    return key


def load_session_user(session_id):
    """The active user for a 'user_id:key' session id, or None if revoked or disabled."""
    user_id, _sep, key = (session_id or "").partition(":")
    if not user_id.isdigit() or not key:
        return None
    row = db.session.execute(
        select(LoginSession).where(LoginSession.key_hash == _sha256(key),
                                   LoginSession.user_id == int(user_id),
                                   LoginSession.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    user.session_key = key
    return user


def end_session(user):
    """Revoke the session the user is signed in with."""
    if user.session_key:
        db.session.execute(
            update(LoginSession).where(LoginSession.key_hash == _sha256(user.session_key))
            .values(revoked_at=utcnow())
        )
        audit.record(user, "user.logout", user)
        db.session.commit()


def revoke_sessions(user):
    """Revoke every login session of the user."""
    now = utcnow()
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id,
                                                  LoginSession.revoked_at.is_(None))
                       .values(revoked_at=now))


def change_password(user, current_password, new_password, revoke_api_tokens=False):
    """Change the password after checking the current one; ends all other sessions, and with
    revoke_api_tokens every API token of the user too."""
    try:
        _hasher().verify(user.password_hash or _dummy_hash(), current_password or "")
    except (VerificationError, InvalidHashError):
        raise ValidationError(_("The current password is wrong."),
                              field="current_password") from None
    user.password_hash = hash_password(new_password)
    revoke_sessions(user)
    if revoke_api_tokens:
        revoke_tokens(user, actor=user)
    audit.record(user, "user.password_changed", user)
    db.session.commit()
    start_session(user)


def set_active(actor, user, active):
    """Enable or disable an account; disabling ends its sessions at once."""
    if actor is not None and not actor.is_superuser and (
        not is_admin(actor) or actor.organisation_id != user.organisation_id
    ):
        raise Forbidden(_("Only an admin of the organisation may do that."))
    user.active = bool(active)
    if not active:  # a disabled account keeps no way in: no session, no API token
        revoke_sessions(user)
        revoke_tokens(user, actor=actor)
    audit.record(actor, "user.enabled" if active else "user.disabled", user)
    db.session.commit()


def set_locale(user, locale):
    if locale not in (None, "", *current_app.config["LANGUAGES"]):
        raise ValidationError(_("Unknown language."))
    user.locale = locale or None
    db.session.commit()


# --- invitations ----------------------------------------------------------------------

def _invite_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="commsdesk-invite")


def _invite_state(user):
    # Changes once a password is set, so an invite link works only once.
    return _sha256(f"{user.id}:{user.password_hash or ''}")[:16]


def invite_user(actor, email, name, role):
    """Create an account without a password and email a signed, expiring link to set one."""
    if not actor.is_superuser and not is_admin(actor):
        raise Forbidden(_("Only an admin may invite users."))
    user = create_user(email, name, role, actor.organisation, actor=actor)
    token = _invite_serializer().dumps({"u": user.id, "s": _invite_state(user)})
    # Built from BASE_URL, not url_for, so the CLI and the worker can invite too.
    link = f"{current_app.config['BASE_URL'].rstrip('/')}/invite/{token}"
    days = current_app.config["INVITE_MAX_AGE"] // 86400
    mail.queue(
        user.email,
        _("Invitation to commsdesk"),
        _("%(actor)s has invited you to %(org)s on commsdesk.\n\n"
          "Choose your password here (the link works for %(days)d days, once):\n%(link)s\n",
          actor=actor.name, org=actor.organisation.name, days=days, link=link),
        organisation_id=user.organisation_id,
    )
    audit.record(actor, "user.invited", user, email=user.email)
    db.session.commit()
    return user, link


def user_for_invite(token):
    """The invited user for a valid, unused, unexpired token."""
    try:
        data = _invite_serializer().loads(token, max_age=current_app.config["INVITE_MAX_AGE"])
    except SignatureExpired:
        raise ValidationError(
            _("This invitation has expired. Ask your admin for a new one.")) from None
    except BadSignature:
        raise ValidationError(_("This invitation link is not valid.")) from None
    user = db.session.get(User, data.get("u"))
    if user is None or data.get("s") != _invite_state(user) or not user.active:
        raise ValidationError(_("This invitation has been used already."))
    return user


def accept_invite(token, password):
    user = user_for_invite(token)
    user.password_hash = hash_password(password)
    audit.record(user, "user.invite_accepted", user)
    db.session.commit()
    return user


# --- API tokens -----------------------------------------------------------------------

def issue_token(user):
    """Create an API token for the user and return it (only its hash is stored)."""
    raw = "cd_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_sha256(raw)))
    audit.record(None, "token.issued", user)
    db.session.commit()
    return raw


def revoke_tokens(user, actor=None):
    """Revoke every API token of the user at once; returns how many were active. The caller
    commits."""
    result = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()))
    if result.rowcount:
        audit.record(actor, "token.revoked", user, count=result.rowcount)
    return result.rowcount


def revoke_own_tokens(user):
    """The user revokes all their API tokens (e.g. one may have leaked). Commits."""
    count = revoke_tokens(user, actor=user)
    db.session.commit()
    return count


def user_for_token(raw):
    """The active user owning this API token, or None."""
    if not raw:
        return None
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == _sha256(raw), ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if token is None or not token.user.is_active:
        return None
    now = utcnow()
    # Record use at most once a minute, so reading the API does not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.session.commit()
    return token.user
