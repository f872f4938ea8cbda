"""An organisation's channels as its admins and editors manage them: list, add or edit a
WordPress site, enable or disable it, test its connection. Each change is audited; secrets
are encrypted (channels/credentials) and never shown again.

The newsroom is every organisation's first channel: it is always listed and can be neither
deleted nor disabled, because the public pages, feeds and the archive of what went out are
served from it (a party whose site lives on WordPress publishes to both)."""
import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from .. import channels as channel_registry
from ..access import ADMIN, EDITOR, get_or_404
from ..channels import credentials
from ..channels.website import WebsiteAdapter
from ..channels.wordpress import WordPressAdapter
from ..errors import Conflict, Forbidden, ValidationError
from ..extensions import db
from ..models import Channel
from ..validation import text_field

MANAGERS = frozenset({ADMIN, EDITOR})
MAX_NAME = 200
MAX_URL = 500


def can_manage(user):
    """Whether the user adds, edits and disables their organisation's channels."""
    return user.organisation_id is not None and user.role in MANAGERS


def require_manage(user):
    if not can_manage(user):
        raise Forbidden(_("Only the organisation's admins and editors manage its channels."))


def for_organisation(organisation):
    """The organisation's channels, the newsroom first (created if it is missing)."""
    channel_registry.website_channel(organisation)
    db.session.commit()
    rows = db.session.execute(
        select(Channel).where(Channel.organisation_id == organisation.id).order_by(Channel.id)
    ).scalars().all()
    return sorted(rows, key=lambda c: (c.type != WebsiteAdapter.type, c.id))


def get_channel(user, channel_id):
    """A channel of the user's organisation, else NotFound."""
    return get_or_404(Channel, channel_id, Channel.organisation_id == user.organisation_id,
                      message=_("No such channel."))


def label(channel):
    """The kind of channel in words ("Newsroom", "WordPress site")."""
    adapter = channel_registry.ADAPTERS.get(channel.type)
    return str(adapter.label) if adapter else channel.type


def has_credentials(channel):
    return bool(channel.credentials)


def check_site_url(value):
    """A WordPress site's address: http(s), a host, no user, query or fragment, and (unless
    COMMSDESK_CHANNEL_PRIVATE_HOSTS) not on a private, loopback or link-local network."""
    url = text_field(value, MAX_URL, _("Site address"), "site_url", required=True,
                     single_line=True).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username \
            or parts.query or parts.fragment:
        raise ValidationError(_("Give the site's address, like https://www.example.org."),
                              field="site_url")
    if not current_app.config.get("CHANNEL_PRIVATE_HOSTS"):
        _refuse_private(parts.hostname)
    return url


def _refuse_private(host):
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise ValidationError(_("The site's address %(host)s could not be found.", host=host),
                              field="site_url") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise ValidationError(_("The site's address %(host)s is on a private network; "
                                    "use its public address.", host=host), field="site_url")


def save_wordpress(user, channel=None, *, name, site_url, username, application_password):
    """Add a WordPress channel, or change one; an empty password keeps the stored one."""
    require_manage(user)
    name = text_field(name, MAX_NAME, _("Name"), "name", required=True, single_line=True)
    site_url = check_site_url(site_url)
    username = text_field(username, 200, _("User name"), "username", required=True,
                          single_line=True)
    password = text_field(application_password, 200, _("Application password"),
                          "application_password", single_line=True)
    if channel is None and not password:
        raise ValidationError(_("Application password is required."),
                              field="application_password")
    _check_unique_name(user, name, channel)
    if channel is None:
        channel = Channel(organisation_id=user.organisation_id, type=WordPressAdapter.type,
                          name=name, settings={}, enabled=True)
        db.session.add(channel)
        action = "channel.created"
    else:
        _require_type(channel, WordPressAdapter.type)
        action = "channel.updated"
    channel.name = name
    channel.settings = {**(channel.settings or {}), "site_url": site_url}
    if not password:
        password = _stored(channel).get("application_password", "")
    channel.credentials = credentials.encrypt(
        {"username": username, "application_password": password})
    db.session.flush()
    audit.record(user, action, channel, name=name, type=channel.type, site_url=site_url,
                 username=username, password_changed=bool(application_password))
    db.session.commit()
    return channel


def _stored(channel):
    try:
        return credentials.decrypt(channel.credentials)
    except credentials.CredentialsUnreadable:
        return {}


def stored_username(channel):
    """The user name saved with the channel (not a secret; the password is)."""
    return _stored(channel).get("username", "")


def _check_unique_name(user, name, channel):
    clash = db.session.execute(
        select(Channel.id).where(Channel.organisation_id == user.organisation_id,
                                 Channel.name == name)).scalar()
    if clash is not None and (channel is None or clash != channel.id):
        raise ValidationError(_("Another channel has that name."), field="name")


def _require_type(channel, channel_type):
    if channel.type != channel_type:
        raise Conflict(_("This channel cannot be changed here."))


def set_enabled(user, channel, enabled):
    """Enable or disable a channel; the newsroom always stays enabled. A disabled channel
    is not offered for new publications; rows already queued on it still go out."""
    require_manage(user)
    if channel.type == WebsiteAdapter.type and not enabled:
        raise Conflict(_("The newsroom cannot be disabled: the public pages and the record "
                         "of what went out are served from it."))
    if channel.enabled == enabled:
        return channel
    channel.enabled = enabled
    audit.record(user, "channel.enabled" if enabled else "channel.disabled", channel,
                 name=channel.name, type=channel.type)
    db.session.commit()
    return channel


def test_connection(user, channel):
    """Try the channel's credentials now: (True, message) or (False, the reason)."""
    require_manage(user)
    adapter = channel_registry.adapter_for(channel)
    if not hasattr(adapter, "test_connection"):
        return True, _("The newsroom is part of commsdesk; there is nothing to connect to.")
    try:
        if not current_app.config.get("CHANNEL_PRIVATE_HOSTS"):
            _refuse_private(urlsplit(channel.settings.get("site_url", "")).hostname or "")
        who = adapter.test_connection(channel)
    except (channel_registry.ChannelError, ValidationError) as exc:
        ok, message = False, exc.message
    else:
        ok, message = True, _("Connected to %(site)s as %(user)s.",
                              site=channel.settings.get("site_url"), user=who)
    audit.record(user, "channel.tested", channel, name=channel.name, ok=ok, result=message)
    db.session.commit()
    return ok, message


def rotate_credentials():
    """Re-encrypt every channel's credentials with the first configured key; returns how
    many were re-encrypted (run after putting a new key first in COMMSDESK_CREDENTIALS_KEY)."""
    rows = db.session.execute(select(Channel).where(Channel.credentials.is_not(None))).scalars()
    count = 0
    for channel in rows:
        channel.credentials = credentials.rotate(channel.credentials)
        count += 1
    db.session.commit()
    return count
