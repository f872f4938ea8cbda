"""Channel settings (/settings/channels): the organisation's admins and editors list its
channels, add one of any type from the form its adapter declares (or its connect flow),
change it, enable or disable it and test its connection."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import channels as channel_registry
from ..channels.webhook import WebhookAdapter
from ..errors import NotFound, ValidationError
from ..publishing import channels
from . import members_only, private_headers

bp = Blueprint("channels", __name__, url_prefix="/settings/channels")
members_only(bp)


@bp.get("/")
def index():
    channels.require_manage(current_user)
    return render_template("channels/index.html",
                           rows=channels.for_organisation(current_user.organisation),
                           channels=channels)


def _form_values(adapter):
    return {key: request.form.get(key, "") for key in
            ("name", *(spec.name for spec in adapter.fields))}


def _render_form(adapter, channel, values, status=200):
    secrets = channels.stored_secrets(channel) if channel else set()
    values = {k: v for k, v in values.items()
              if k not in {s.name for s in adapter.fields if s.secret}}
    page = render_template("channels/form.html", adapter=adapter, channel=channel,
                           values=values, stored_secrets=secrets,
                           choices=channels.field_choices(adapter.type,
                                                          current_user.organisation_id))
    return private_headers(page), status


@bp.get("/new")
def choose():
    channels.require_manage(current_user)
    return render_template("channels/choose.html",
                           adapters=channel_registry.connectable())


@bp.route("/new/<channel_type>", methods=["GET", "POST"])
def new(channel_type):
    channels.require_manage(current_user)
    adapter = channels.connection_adapter(channel_type)
    if request.method == "GET":
        defaults = {spec.name: spec.default for spec in adapter.fields}
        return _render_form(adapter, None, {**defaults, "name": str(adapter.label)})
    values = _form_values(adapter)
    try:
        channel = channels.save(current_user, channel_type, values=values)
    except ValidationError as exc:
        flash(exc.message, "error")
        return _render_form(adapter, None, values, 422)
    flash(_("Channel %(name)s added. Test its connection before publishing.",
            name=channel.name), "info")
    if channel.type == WebhookAdapter.type:
        return _show_secret(channel)
    return redirect(url_for(".index"))


def _show_secret(channel, renewed=False):
    """The page that shows a webhook's signing secret, this once (never cached)."""
    page = render_template("channels/secret.html", channel=channel, renewed=renewed,
                           secret=channels.signing_secret(current_user, channel))
    return private_headers(page)


@bp.post("/<int:channel_id>/secret")
def new_secret(channel_id):
    """Make a new signing secret for a webhook and show it once."""
    channel = channels.get_channel(current_user, channel_id)
    if channel.type != WebhookAdapter.type:
        raise NotFound(_("There is no such kind of channel."))
    channels.renew_secret(current_user, channel)
    return _show_secret(channel, renewed=True)


@bp.post("/new")
def new_wordpress():
    """The form of earlier versions, which posted a WordPress site here."""
    return new(request.form.get("type") or "wordpress")


@bp.route("/<int:channel_id>", methods=["GET", "POST"])
def edit(channel_id):
    channel = channels.get_channel(current_user, channel_id)  # another's: 404 before 403
    channels.require_manage(current_user)
    connected = channel_registry.ADAPTERS.get(channel.type)
    if connected is not None and connected.connect_endpoint and not connected.fields:
        # A channel connected by signing in on its platform is changed (and reconnected)
        # on its connect flow's page for that channel.
        return redirect(url_for(connected.connect_endpoint, channel_id=channel.id))
    adapter = channels.connection_adapter(channel.type)
    if request.method == "GET":
        return _render_form(adapter, channel, channels.form_values(channel))
    values = _form_values(adapter)
    try:
        channels.save(current_user, channel.type, channel, values)
    except ValidationError as exc:
        flash(exc.message, "error")
        return _render_form(adapter, channel, values, 422)
    flash(_("Channel %(name)s saved.", name=channel.name), "info")
    return redirect(url_for(".index"))


@bp.post("/<int:channel_id>/enabled")
def set_enabled(channel_id):
    channel = channels.get_channel(current_user, channel_id)
    enabled = request.form.get("enabled") == "1"
    channels.set_enabled(current_user, channel, enabled)
    flash(_("Channel %(name)s enabled.", name=channel.name) if enabled
          else _("Channel %(name)s disabled: new publications no longer go there.",
                 name=channel.name), "info")
    return redirect(url_for(".index"))


@bp.post("/<int:channel_id>/test")
def test(channel_id):
    channel = channels.get_channel(current_user, channel_id)
    ok, message = channels.test_connection(current_user, channel)
    flash(message, "info" if ok else "error")
    return redirect(url_for(".index"))
