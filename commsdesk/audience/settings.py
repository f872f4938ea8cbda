"""An organisation's email settings, kept as OrganisationSetting rows ("mail.*"): the sender
name and reply-to address of its send-outs, the weekly cap per member, whether opens and
clicks are counted (off unless an admin turns it on), and the consent text of its public
signup form. Read here; written by `save` (admins only)."""
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import OrganisationSetting

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
    rows = db.session.execute(
        select(OrganisationSetting.name, OrganisationSetting.value).where(
            OrganisationSetting.organisation_id == org.id,
            OrganisationSetting.name.in_(tuple(DEFAULTS)))).all()
    values = {**DEFAULTS, **dict(rows)}
    cap = values["mail.weekly_cap"]
    return MailSettings(
        from_name=values["mail.from_name"] or org.name,
        reply_to=values["mail.reply_to"],
        weekly_cap=int(cap) if cap.isdigit() and int(cap) > 0 else None,
        tracking=values["mail.tracking"] == "1",
        signup_open=values["mail.signup_open"] == "1",
        consent_text=values["mail.consent_text"],
    )
