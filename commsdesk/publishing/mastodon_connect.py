"""Connecting a Mastodon account as a channel, on any instance, with OAuth: commsdesk
registers itself on the instance the first time (one app per instance and installation,
its client id and secret kept encrypted and reused), sends the person to the instance to
sign in and allow posting, and on their return exchanges the code for a token, asks the
instance whose token it is and saves the channel.

The `state` that travels through the instance is signed and expires: it names the user,
their organisation, the instance, the channel's name and visibility and, for a reconnect,
the channel, so a code can only finish the connection its own user started. Reconnecting
keeps the channel (its id, its publications) and clears its reported problem."""
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..channels import ChannelError, credentials, mastodon_api
from ..channels.mastodon import DEFAULT_VISIBILITY, TYPE, VISIBILITIES
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Channel, MastodonApp
from ..validation import text_field
from . import channels, health

STATE_SALT = "commsdesk-mastodon-connect"
STATE_MAX_AGE = 15 * 60  # seconds to sign in on the instance and come back


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=STATE_SALT)


def mastodon_channel(user, channel_id):
    """A Mastodon channel of the user's organisation, else NotFound."""
    channel = channels.get_channel(user, channel_id)
    if channel.type != TYPE:
        raise NotFound(_("No such channel."))
    return channel


def check_visibility(value):
    value = (value or DEFAULT_VISIBILITY).strip()
    if value not in {key for key, _label in VISIBILITIES}:
        raise ValidationError(_("Choose one of the options."), field="visibility")
    return value


def _check_name(user, value, channel=None):
    name = text_field(value, channels.MAX_NAME, _("Name"), "name", required=True,
                      single_line=True)
    channels._check_unique_name(user, name, channel)
    return name


def begin(user, *, redirect_uri, website, instance_url=None, name=None, visibility=None,
          channel=None):
    """Start connecting (or, given `channel`, reconnecting): check the form, register the
    app on the instance if needed; returns the address to send the person to."""
    channels.require_manage(user)
    if channel is not None:
        instance = channel.settings["instance_url"]
        name, visibility = channel.name, channel.settings.get("visibility")
    else:
        instance = channels.check_public_url(instance_url, _("Mastodon server"),
                                             "instance_url")
        name = _check_name(user, name)
    visibility = check_visibility(visibility)
    client_id, _secret = app_credentials(instance, redirect_uri, website)
    state = _serializer().dumps({"u": user.id, "o": user.organisation_id, "i": instance,
                                 "n": name, "v": visibility,
                                 "c": channel.id if channel is not None else None})
    return mastodon_api.authorize_url(instance, client_id, redirect_uri, state,
                                      force_login=channel is not None)


def app_credentials(instance, redirect_uri, website):
    """(client_id, client_secret) of commsdesk's app on the instance, registered now if
    this installation has none there yet."""
    row = _stored_app(instance, redirect_uri)
    if row is None:
        try:
            client_id, secret = mastodon_api.register_app(instance, redirect_uri, website)
        except ChannelError as exc:
            raise ValidationError(exc.message, field="instance_url") from None
        row = MastodonApp(instance_url=instance, redirect_uri=redirect_uri,
                          credentials=credentials.encrypt(
                              {"client_id": client_id, "client_secret": secret}))
        db.session.add(row)
        try:
            db.session.commit()
        except IntegrityError:  # registered by a simultaneous connect: use that one
            db.session.rollback()
            row = _stored_app(instance, redirect_uri)
    values = credentials.decrypt(row.credentials)
    return values["client_id"], values["client_secret"]


def _stored_app(instance, redirect_uri):
    return db.session.execute(
        select(MastodonApp).where(MastodonApp.instance_url == instance,
                                  MastodonApp.redirect_uri == redirect_uri)
    ).scalar_one_or_none()


def read_state(user, state):
    """The connection a `state` describes, if it is valid, unexpired and this user's."""
    try:
        data = _serializer().loads(state or "", max_age=STATE_MAX_AGE)
    except SignatureExpired:
        raise ValidationError(_("The connection took too long and has expired. Start "
                                "again.")) from None
    except BadSignature:
        raise ValidationError(_("The answer from the Mastodon server does not belong to a "
                                "connection started here. Start again.")) from None
    if data.get("u") != user.id or data.get("o") != user.organisation_id:
        raise ValidationError(_("The answer from the Mastodon server belongs to a "
                                "connection another person started. Start again."))
    return data


def state_channel_id(user, state):
    """The channel a valid `state` reconnects, else None (where to go after a refusal)."""
    try:
        return read_state(user, state).get("c")
    except ValidationError:
        return None


def finish(user, *, state, code, error, redirect_uri):
    """The person came back from the instance: save the channel (new, or the one being
    reconnected) with the account's token; returns the channel."""
    channels.require_manage(user)
    data = read_state(user, state)
    channel = mastodon_channel(user, data["c"]) if data.get("c") else None
    host = data["i"].split("//", 1)[-1]
    if error:
        raise ValidationError(_("You did not allow commsdesk to post on %(host)s, so the "
                                "channel was not connected.", host=host)
                              if error == "access_denied" else
                              _("%(host)s did not connect the channel: %(error)s",
                                host=host, error=error[:200]))
    if not code:
        raise ValidationError(_("%(host)s sent no authorisation code. Start again.",
                                host=host))
    token, secrets = _token(data["i"], code, redirect_uri)
    try:
        account = mastodon_api.verify_credentials(data["i"], token)
    except ChannelError as exc:
        raise ValidationError(exc.message) from None
    return _save(user, channel, data, account, {**secrets, "access_token": token})


def _token(instance, code, redirect_uri):
    row = _stored_app(instance, redirect_uri)
    if row is None:
        raise ValidationError(_("The app registration for this server is missing. Start "
                                "again."))
    secrets = credentials.decrypt(row.credentials)
    try:
        token = mastodon_api.exchange_code(instance, secrets["client_id"],
                                           secrets["client_secret"], redirect_uri, code)
    except mastodon_api.ClientRejected:
        # The instance forgot the app (older versions removed unused apps): register anew.
        db.session.delete(row)
        db.session.commit()
        raise ValidationError(_("The Mastodon server no longer knows commsdesk's app. Start "
                                "again to register it anew.")) from None
    except ChannelError as exc:
        raise ValidationError(exc.message) from None
    return token, secrets


def _save(user, channel, data, account, secrets):
    handle = mastodon_api.handle(data["i"], account)
    if channel is not None and channel.settings.get("account") not in (None, handle):
        raise ValidationError(_("This channel posts as %(account)s, but you signed in as "
                                "%(other)s. Sign in as %(account)s, or add a new channel "
                                "for %(other)s.", account=channel.settings["account"],
                                other=handle))
    _check_not_connected(user, handle, channel)
    reconnect = channel is not None
    if channel is None:
        channel = Channel(organisation_id=user.organisation_id, type=TYPE,
                          name=_check_name(user, data["n"]), enabled=True, settings={})
        db.session.add(channel)
    channel.owner_id = user.id
    channel.settings = {**(channel.settings or {}), "instance_url": data["i"],
                        "account": handle, "account_id": str(account["id"]),
                        "account_url": account.get("url") or "",
                        "visibility": data["v"]}
    channel.credentials = credentials.encrypt(secrets)
    health.clear_problem(channel)
    db.session.flush()
    audit.record(user, "channel.updated" if reconnect else "channel.created", channel,
                 name=channel.name, type=TYPE, instance_url=data["i"], account=handle,
                 visibility=data["v"], reconnected=reconnect)
    db.session.commit()
    return channel


def _check_not_connected(user, handle, channel):
    rows = db.session.execute(
        select(Channel).where(Channel.organisation_id == user.organisation_id,
                              Channel.type == TYPE)).scalars()
    for other in rows:
        if other is not channel and (other.settings or {}).get("account") == handle:
            raise ValidationError(_("%(account)s is already connected as the channel "
                                    "%(name)s.", account=handle, name=other.name))


def update(user, channel, *, name, visibility):
    """Rename a Mastodon channel or change the visibility of its next posts."""
    channels.require_manage(user)
    name = _check_name(user, name, channel)
    visibility = check_visibility(visibility)
    channel.name = name
    channel.settings = {**(channel.settings or {}), "visibility": visibility}
    audit.record(user, "channel.updated", channel, name=name, type=TYPE,
                 visibility=visibility)
    db.session.commit()
    return channel
