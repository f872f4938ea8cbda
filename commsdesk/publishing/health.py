"""Whether a channel still works: a platform that refuses a channel's credentials (an
expired or revoked token, a changed password) marks the channel as needing reconnection.
Its owner is told once, the dashboard and the channel list say so until it is fixed, and
saving new credentials or a successful connection test clears it. The channel keeps its
history: reconnecting changes its credentials, never its identity."""
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, notifications
from ..access import ADMIN, EDITOR
from ..extensions import db
from ..models import Channel, utcnow


def report_problem(channel, message, document):
    """The platform refused the channel's credentials while sending `document`: mark the
    channel and tell its owner (or the organisation's admins) once. The caller commits."""
    if channel.problem == message:
        return
    first = channel.problem is None
    channel.problem = message
    channel.problem_at = utcnow()
    audit.record(None, "channel.problem", channel, name=channel.name, type=channel.type,
                 error=message)
    if first:
        notifications.notify("channel_problem", document, None, _told(channel),
                             channels=channel.name, message=message)


def _told(channel):
    if channel.owner is not None and channel.owner.is_active:
        return [channel.owner]
    return notifications.recipients_in(channel.organisation_id, {ADMIN, EDITOR})


def clear_problem(channel):
    """The channel works again (new credentials, a successful test or send)."""
    if channel.problem is None:
        return
    channel.problem = None
    channel.problem_at = None
    audit.record(None, "channel.problem_cleared", channel, name=channel.name,
                 type=channel.type)


def problems(organisation_id):
    """The organisation's enabled channels that need reconnecting, oldest problem first."""
    return db.session.execute(
        select(Channel).where(Channel.organisation_id == organisation_id,
                              Channel.enabled.is_(True), Channel.problem.is_not(None))
        .order_by(Channel.problem_at, Channel.id)
    ).scalars().all()


def describe(channel):
    """One sentence for a channel that needs reconnecting."""
    return _("%(channel)s needs reconnecting: %(problem)s", channel=channel.name,
             problem=channel.problem)
