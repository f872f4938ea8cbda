"""Channels: where an organisation publishes, one adapter per type behind one interface
(`base.Adapter`). The newsroom (the party's own website) is every organisation's first
channel; a WordPress site can be added (wordpress.py); more adapters register in ADAPTERS."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import ValidationError
from ..extensions import db
from ..models import Channel
from .base import (
    Adapter,
    AuthError,
    ChannelError,
    Field,
    PermanentError,
    RetryableError,
    SendResult,
    UnknownOutcome,
)
from .linkedin import LinkedInAdapter
from .manual import ManualAdapter
from .webhook import WebhookAdapter
from .website import WebsiteAdapter
from .wordpress import WordPressAdapter

ADAPTERS = {adapter.type: adapter for adapter in (
    WebsiteAdapter(), WordPressAdapter(), LinkedInAdapter(), WebhookAdapter(), ManualAdapter())}


def adapter_for(channel):
    """The adapter that formats and sends for this channel."""
    return ADAPTERS[channel.type]


def website_channel(organisation):
    """The organisation's newsroom channel, created the first time it is asked for."""
    channel = db.session.execute(
        select(Channel).where(Channel.organisation_id == organisation.id,
                              Channel.type == WebsiteAdapter.type)
        .order_by(Channel.id).limit(1)
    ).scalar_one_or_none()
    if channel is None:
        channel = Channel(organisation_id=organisation.id, type=WebsiteAdapter.type,
                          name=str(_("Newsroom")), settings={})
        db.session.add(channel)
        db.session.flush()
    return channel


def channels_for(doc):
    """The enabled channels of the owning organisation that publish this kind of text."""
    website_channel(doc.organisation)
    return [c for c in db.session.execute(
        select(Channel).where(Channel.organisation_id == doc.organisation_id,
                              Channel.enabled.is_(True)).order_by(Channel.id)
    ).scalars() if c.type in ADAPTERS and adapter_for(c).supports(doc.kind)]


def chosen_channels(doc, channel_ids=None):
    """The channels to publish on: the given ids (each must be one of channels_for(doc)),
    or all of them when none are given."""
    available = channels_for(doc)
    if channel_ids is None:
        return available
    by_id = {c.id: c for c in available}
    chosen = []
    for value in channel_ids:
        try:
            channel = by_id[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("That channel does not publish this kind of text."),
                                  field="channels") from None
        if channel not in chosen:
            chosen.append(channel)
    return chosen


def connectable():
    """The adapters a person can add a channel of (a form or a connect flow), by label."""
    return sorted((a for a in ADAPTERS.values() if a.fields or a.connect_endpoint),
                  key=lambda a: str(a.label).lower())


__all__ = [
    "ADAPTERS",
    "Adapter",
    "AuthError",
    "ChannelError",
    "Field",
    "PermanentError",
    "RetryableError",
    "SendResult",
    "UnknownOutcome",
    "adapter_for",
    "channels_for",
    "chosen_channels",
    "connectable",
    "website_channel",
]
