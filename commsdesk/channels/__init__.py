"""Channels: where an organisation publishes, one adapter per type behind one interface
(`base.Adapter`). The newsroom (the party's own website) is every organisation's first
channel; a WordPress site (wordpress.py) and Meta's Facebook Pages, Instagram and Threads
(meta/) can be added; more adapters register in ADAPTERS."""
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
from .bluesky import BlueskyAdapter
from .linkedin import LinkedInAdapter
from .manual import ManualAdapter
from .mastodon import MastodonAdapter
from .meta import FacebookPageAdapter, InstagramAdapter, ThreadsAdapter
from .webhook import WebhookAdapter
from .website import WebsiteAdapter
from .wordpress import WordPressAdapter

ADAPTERS = {adapter.type: adapter for adapter in (
    WebsiteAdapter(), WordPressAdapter(), MastodonAdapter(), BlueskyAdapter(),
    FacebookPageAdapter(), InstagramAdapter(), ThreadsAdapter(), LinkedInAdapter(),
    WebhookAdapter(), ManualAdapter())}


def adapter_for(channel):
    """The adapter that formats and sends for this channel."""
    return ADAPTERS[channel.type]


def website_channel(organisation):
    """The organisation's newsroom channel. people.create_organisation makes it with the
    organisation; this creates it for an organisation made before that, when first asked."""
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
    return organisation_channels_for(doc.organisation, doc.kind)


def organisation_channels_for(organisation, kind):
    """The enabled channels of an organisation that publish this kind of text (a coalition
    partner publishing a joint text chooses among its own)."""
    website_channel(organisation)
    return [c for c in db.session.execute(
        select(Channel).where(Channel.organisation_id == organisation.id,
                              Channel.enabled.is_(True)).order_by(Channel.id)
    ).scalars() if c.type in ADAPTERS and adapter_for(c).supports(kind)]


def chosen_channels(doc, channel_ids=None, organisation=None):
    """The channels to publish on: the given ids (each must be one of the organisation's
    channels for the kind, by default the owning organisation's), or all of them when none
    are given."""
    available = organisation_channels_for(organisation or doc.organisation, doc.kind)
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
    "organisation_channels_for",
    "website_channel",
]
