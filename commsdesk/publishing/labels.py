"""Readable names for publication states."""
from flask_babel import lazy_gettext as _l

PUBLICATION_STATE_LABELS = {
    "queued": _l("Queued"), "sending": _l("Sending"),
    "waiting": _l("Waiting to be posted by hand"), "sent": _l("Sent"),
    "failed": _l("Failed"), "uncertain": _l("Uncertain: check it"),
    "cancelled": _l("Cancelled"), "held": _l("Held"),
}
