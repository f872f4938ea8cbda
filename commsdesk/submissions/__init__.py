"""Newspaper submissions: an approved op-ed or letter offered to an outlet's debate desk by
email, and what became of it (offered, accepted, refused, published, withdrawn), with the
exclusivity rules and reply deadlines that go with it. Outlets themselves: commsdesk.outlets."""
from flask_babel import gettext as _

from ..errors import ValidationError
from .offers import (
    KINDS,
    approved_revision,
    can_submit,
    default_presentation,
    length_used,
    open_offers,
    require_submit,
    submit,
)
from .tracking import (
    STATE_LABELS,
    TRANSITIONS,
    accept,
    allowed_actions,
    for_document,
    get_submission,
    is_overdue,
    newest_published,
    publish,
    refuse,
    remind_due,
    reminders_waiting,
    set_reply_by,
    withdraw,
)

__all__ = [
    "KINDS",
    "STATE_LABELS",
    "TRANSITIONS",
    "accept",
    "allowed_actions",
    "approved_revision",
    "can_submit",
    "change_state",
    "default_presentation",
    "for_document",
    "get_submission",
    "is_overdue",
    "length_used",
    "newest_published",
    "open_offers",
    "publish",
    "refuse",
    "remind_due",
    "reminders_waiting",
    "require_submit",
    "set_reply_by",
    "submit",
    "withdraw",
]


def change_state(user, doc, submission, action, **params):
    """One entry for the web and the API: accept, refuse, publish (published_on,
    published_url) or withdraw."""
    perform = {"accept": accept, "refuse": refuse, "publish": publish, "withdraw": withdraw}
    if action not in perform:
        raise ValidationError(_("Unknown action: %(action)s.", action=str(action)[:50]),
                              field="action")
    if action == "publish":
        return publish(user, doc, submission, params.get("published_on"),
                       params.get("published_url") or "")
    return perform[action](user, doc, submission)
