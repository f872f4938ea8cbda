"""An organisation's email settings, kept as OrganisationSetting rows ("mail.*"): the sender
name and reply-to address of its send-outs, the weekly cap per member, whether opens and
clicks are counted (off unless an admin turns it on), and the consent text of its public
signup form. Read here; written by `save` (admins only)."""
from dataclasses import dataclass

from flask_babel import gettext as _

from .. import audit, org_settings
from ..access import is_admin
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..people import normalise_email
from ..validation import text_field

DEFAULTS = {
    "mail.from_name": "",        # empty: the organisation's name
    "mail.reply_to": "",         # empty: no Reply-To
    "mail.weekly_cap": "",       # empty: no cap; else mailings per member per week
    "mail.tracking": "",         # "1": count opens and clicks (counts only)
    "mail.signup_open": "",      # "1": the public signup form is open
    "mail.consent_text": "",     # empty: the default text (see consent.DEFAULT_CONSENT)
}


@dataclass(frozen=True)
class MailSettings:
    from_name: str
    reply_to: str
    weekly_cap: int | None
    tracking: bool
    signup_open: bool
    consent_text: str


def get(org):
    """The organisation's email settings, with defaults for what is not set."""
    values = {**DEFAULTS, **org_settings.read(org.id, DEFAULTS)}
    cap = values["mail.weekly_cap"]
    return MailSettings(
        from_name=values["mail.from_name"] or org.name,
        reply_to=values["mail.reply_to"],
        weekly_cap=int(cap) if cap.isdigit() and int(cap) > 0 else None,
        tracking=values["mail.tracking"] == "1",
        signup_open=values["mail.signup_open"] == "1",
        consent_text=values["mail.consent_text"],
    )


MAX_FROM_NAME = 100
MAX_CONSENT = 2000
MAX_WEEKLY_CAP = 50


def save(user, org, values):
    """Change the organisation's email settings (admins only), validated and audited;
    commits. `values` holds form strings: from_name, reply_to, weekly_cap, tracking,
    signup_open, consent_text (a missing flag is off)."""
    if not is_admin(user) or user.organisation_id != org.id:
        raise Forbidden(_("Only an admin of the organisation may change its email settings."))
    cleaned = _clean(values)
    # The consent text can be long: the log says that it changed, not the words.
    changed = {name.removeprefix("mail."): True if name == "mail.consent_text" else cleaned[name]
               for name in org_settings.write(org.id, cleaned)}
    if changed:
        audit.record(user, "mail.settings_changed", org, organisation_id=org.id, **changed)
    db.session.commit()
    return get(org)


def _clean(values):
    from_name = text_field(values.get("from_name"), MAX_FROM_NAME, _("Sender name"),
                           "from_name", single_line=True)
    reply_to = (values.get("reply_to") or "").strip()
    if reply_to:
        try:
            reply_to = normalise_email(reply_to)
        except ValidationError as exc:
            raise ValidationError(exc.message, field="reply_to") from None
    cap = (values.get("weekly_cap") or "").strip()
    if cap and not (cap.isascii() and cap.isdigit() and 1 <= int(cap) <= MAX_WEEKLY_CAP):
        raise ValidationError(_("The weekly cap is a whole number from 1 to %(most)d, or empty "
                                "for no cap.", most=MAX_WEEKLY_CAP), field="weekly_cap")
    consent = text_field(values.get("consent_text"), MAX_CONSENT, _("Consent text"),
                         "consent_text")
    return {"mail.from_name": from_name, "mail.reply_to": reply_to,
            "mail.weekly_cap": str(int(cap)) if cap else "",
            "mail.tracking": _flag(values.get("tracking")),
            "mail.signup_open": _flag(values.get("signup_open")),
            "mail.consent_text": consent}


def _flag(value):
    return "1" if str(value or "").strip().lower() in {"1", "on", "true", "yes"} else ""
