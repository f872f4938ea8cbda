"""Channel settings (/settings/channels): the organisation's admins and editors list its
channels, add or change a WordPress site, enable or disable it and test its connection."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
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


def _form_values():
    return {key: request.form.get(key, "") for key in
            ("name", "site_url", "username", "application_password")}


def _render_form(channel, values, status=200):
    page = render_template("channels/form.html", channel=channel, values=values,
                           has_credentials=bool(channel and channel.credentials))
    return private_headers(page), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    channels.require_manage(current_user)
    if request.method == "GET":
        return _render_form(None, {"name": "WordPress"})
    values = _form_values()
    try:
        channel = channels.save_wordpress(current_user, **values)
    except ValidationError as exc:
        flash(exc.message, "error")
        return _render_form(None, {**values, "application_password": ""}, 422)
    flash(_("Channel %(name)s added. Test its connection before publishing.",
            name=channel.name), "info")
    return redirect(url_for(".index"))


@bp.route("/<int:channel_id>", methods=["GET", "POST"])
def edit(channel_id):
    channel = channels.get_channel(current_user, channel_id)  # another's: 404 before 403
    channels.require_manage(current_user)
    if request.method == "GET":
        return _render_form(channel, {"name": channel.name,
                                      "site_url": channel.settings.get("site_url", ""),
                                      "username": channels.stored_username(channel)})
    values = _form_values()
    try:
        channels.save_wordpress(current_user, channel, **values)
    except ValidationError as exc:
        flash(exc.message, "error")
        return _render_form(channel, {**values, "application_password": ""}, 422)
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
