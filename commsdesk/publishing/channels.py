"""An organisation's channels as its admins and editors manage them: list, add or edit one
from the form its adapter declares (`Adapter.fields`), enable or disable it, test its
connection. Each change is audited; secrets
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
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from ..extensions import db
from ..models import Channel, Publication
from ..validation import text_field
from . import health

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


def address(channel):
    """Where the channel publishes, in a few words."""
    if channel.type == WebsiteAdapter.type:
        return f"/n/{channel.organisation.slug}/"
    adapter = channel_registry.ADAPTERS.get(channel.type)
    return adapter.address(channel) if adapter else ""


def editable(channel):
    """Whether the channel has a form or a connect flow to change it (the newsroom has
    none)."""
    adapter = channel_registry.ADAPTERS.get(channel.type)
    return bool(adapter and (adapter.fields or adapter.connect_endpoint))


def has_credentials(channel):
    return bool(channel.credentials)


def check_public_url(value, label, field, required=True):
    """A platform's address: http(s), a host, no user, query or fragment, and (unless
    COMMSDESK_CHANNEL_PRIVATE_HOSTS) not on a private, loopback or link-local network."""
    url = text_field(value, MAX_URL, label, field, required=required,
                     single_line=True).rstrip("/")
    if not url:
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username \
            or parts.query or parts.fragment:
        raise ValidationError(_("Give the site's address, like https://www.example.org."),
                              field=field)
    if not current_app.config.get("CHANNEL_PRIVATE_HOSTS"):
        _refuse_private(parts.hostname, field)
    return url


def check_site_url(value):
    """A WordPress site's address (see check_public_url)."""
    return check_public_url(value, _("Site address"), "site_url")


def _refuse_private(host, field="site_url"):
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise ValidationError(_("The site's address %(host)s could not be found.", host=host),
                              field=field) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise ValidationError(_("The site's address %(host)s is on a private network; "
                                    "use its public address.", host=host), field=field)


def connection_adapter(channel_type):
    """The adapter of a type a person adds with a form, else NotFound."""
    adapter = channel_registry.ADAPTERS.get(channel_type)
    if adapter is None or not adapter.fields:
        raise NotFound(_("There is no such kind of channel."))
    return adapter


def _field_value(spec, raw, stored, choices=()):
    """One form field's value, checked; a secret left empty keeps the stored one."""
    if spec.secret:
        value = text_field(raw, spec.max_length, spec.label, spec.name, single_line=True)
        value = value or stored.get(spec.name, "")
        if spec.required and not value:
            raise ValidationError(_("%(field)s is required.", field=spec.label),
                                  field=spec.name)
        return value
    if spec.kind == "url":
        return check_public_url(raw, spec.label, spec.name, required=spec.required)
    value = text_field(raw, spec.max_length, spec.label, spec.name, required=spec.required,
                       single_line=spec.kind != "textarea")
    value = value or spec.default
    if spec.kind == "select" and value not in {choice for choice, _label in choices}:
        raise ValidationError(_("Choose one of the options."), field=spec.name)
    if spec.kind == "email" and value and "@" not in value:
        raise ValidationError(_("Give an email address."), field=spec.name)
    return value


def save(user, channel_type, channel=None, values=None):
    """Add a channel of a type from its connection form, or change one; a secret left
    empty keeps the stored one. Saving new credentials clears a reported problem."""
    require_manage(user)
    adapter = connection_adapter(channel_type)
    values = values or {}
    name = text_field(values.get("name"), MAX_NAME, _("Name"), "name", required=True,
                      single_line=True)
    if channel is not None:
        _require_type(channel, channel_type)
    stored = _stored(channel) if channel is not None else {}
    settings, secrets, changed = {}, dict(stored), []
    for spec in adapter.fields:
        value = _field_value(spec, values.get(spec.name), stored,
                             adapter.field_choices(spec, user.organisation_id))
        (secrets if spec.in_credentials else settings)[spec.name] = value
        if spec.secret and values.get(spec.name):
            changed.append(spec.name)
    settings = adapter.check_settings(settings, secrets)
    generated = adapter.generated_secrets(secrets)
    secrets.update(generated)
    changed.extend(generated)
    _check_unique_name(user, name, channel)
    action = "channel.updated"
    if channel is None:
        channel = Channel(organisation_id=user.organisation_id, type=channel_type,
                          name=name, settings={}, enabled=True)
        db.session.add(channel)
        action = "channel.created"
    channel.name = name
    channel.owner_id = user.id
    channel.settings = {**(channel.settings or {}), **settings}
    channel.credentials = credentials.encrypt(secrets)
    if changed:
        health.clear_problem(channel)
    db.session.flush()
    audit.record(user, action, channel, name=name, type=channel.type,
                 **{k: v for k, v in settings.items()},
                 **{s.name: secrets.get(s.name) for s in adapter.fields if s.encrypted},
                 secrets_changed=changed)
    db.session.commit()
    return channel


def save_wordpress(user, channel=None, *, name, site_url, username, application_password):
    """Add a WordPress channel, or change one (see save)."""
    return save(user, WordPressAdapter.type, channel,
                {"name": name, "site_url": site_url, "username": username,
                 "application_password": application_password})


def field_choices(channel_type, organisation_id):
    """{field name: (value, label) pairs} of the select fields of a type's form."""
    adapter = connection_adapter(channel_type)
    return {spec.name: adapter.field_choices(spec, organisation_id)
            for spec in adapter.fields if spec.kind == "select"}


def signing_secret(user, channel):
    """A webhook's signing secret, for the page that shows it once after it was made."""
    require_manage(user)
    return _stored(channel).get("signing_secret", "")


def renew_secret(user, channel):
    """A new signing secret for a webhook (the previous one still signs for a day, so the
    receiver can switch); returns it, to be shown once."""
    from ..channels import webhook

    require_manage(user)
    _require_type(channel, webhook.WebhookAdapter.type)
    values = webhook.renewed(_stored(channel))
    channel.credentials = credentials.encrypt(values)
    health.clear_problem(channel)
    audit.record(user, "channel.secret_renewed", channel, name=channel.name, type=channel.type)
    db.session.commit()
    return values["signing_secret"]


def form_values(channel):
    """The values a channel's edit form starts with: its settings and the non-secret
    values kept with its credentials (never a secret)."""
    adapter = channel_registry.ADAPTERS[channel.type]
    stored = _stored(channel)
    values = {"name": channel.name}
    for spec in adapter.fields:
        if spec.secret:
            continue
        source = stored if spec.encrypted else (channel.settings or {})
        values[spec.name] = source.get(spec.name, spec.default)
    return values


def _stored(channel):
    try:
        return credentials.decrypt(channel.credentials)
    except credentials.CredentialsUnreadable:
        return {}


def stored_username(channel):
    """The user name saved with the channel (not a secret; the password is)."""
    return _stored(channel).get("username", "")


def stored_secrets(channel):
    """Which secrets are saved (names only, never values)."""
    return {name for name, value in _stored(channel).items() if value}


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
    if channel.type == WebsiteAdapter.type:
        return True, _("The newsroom is part of commsdesk; there is nothing to connect to.")
    try:
        if not current_app.config.get("CHANNEL_PRIVATE_HOSTS"):
            for spec in adapter.fields:
                if spec.kind == "url" and (channel.settings or {}).get(spec.name):
                    _refuse_private(urlsplit(channel.settings[spec.name]).hostname or "",
                                    spec.name)
        who = adapter.test_connection(channel)
    except (channel_registry.ChannelError, ValidationError) as exc:
        ok, message = False, exc.message
    else:
        ok, message = True, _("Connected to %(site)s as %(user)s.",
                              site=adapter.address(channel) or label(channel), user=who)
        health.clear_problem(channel)
    audit.record(user, "channel.tested", channel, name=channel.name, ok=ok, result=message)
    db.session.commit()
    return ok, message


def delete_unused(organisation):
    """Before an organisation is deleted: remove its channels if nothing was ever queued on
    them (its newsroom, made with it); False, removing nothing, if something was (that
    record is kept)."""
    ids = select(Channel.id).where(Channel.organisation_id == organisation.id)
    if db.session.execute(select(Publication.id).where(Publication.channel_id.in_(ids))
                          .limit(1)).first():
        return False
    for channel in db.session.execute(
            select(Channel).where(Channel.organisation_id == organisation.id)).scalars():
        db.session.delete(channel)
    db.session.flush()
    return True


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
