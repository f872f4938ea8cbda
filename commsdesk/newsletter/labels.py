"""Send-out and delivery states, and why a recipient was spared, in words."""
from flask_babel import lazy_gettext as _l

MAILING_STATE_LABELS = {
    "scheduled": _l("Scheduled"), "overdue": _l("Overdue: waiting for confirmation"),
    "sending": _l("Sending"), "paused": _l("Paused"), "cancelled": _l("Cancelled"),
    "finished": _l("Finished"),
}
DELIVERY_STATE_LABELS = {
    "queued": _l("Waiting"), "sending": _l("Being sent"), "sent": _l("Sent"),
    "failed": _l("Failed"), "bounced": _l("Bounced"), "uncertain": _l("Uncertain"),
    "skipped": _l("Spared"),
}
SPARED_REASONS = {
    "suppressed": _l("On the suppression list (unsubscribed, bounced or erased)"),
    "weekly_cap": _l("Already received the most send-outs allowed this week"),
    "already_sent": _l("Has this text already from an earlier send-out"),
    "cancelled": _l("The send-out was cancelled"),
    "declined": _l("Declined the meeting"),
}
