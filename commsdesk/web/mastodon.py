"""Connecting Mastodon accounts (/settings/channels/mastodon): the form that asks for the
server, the page that sends the person there to sign in, the return from the server, and a
connected channel's own page (name, visibility, reconnect). The OAuth dance itself is in
publishing/mastodon_connect.py."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from ..publishing import channels, mastodon_connect
from . import members_only, private_headers

bp = Blueprint("mastodon", __name__, url_prefix="/settings/channels/mastodon")
members_only(bp)

FORM_FIELDS = ("instance_url", "name", "visibility")


def _callback_url():
    """The address the instance sends the person back to (registered with the app)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + url_for(".callback")


def _dance(**values):
    return {"redirect_uri": _callback_url(),
            "website": current_app.config["BASE_URL"], **values}


def _form(channel=None, values=None, status=200):
    page = render_template("channels/mastodon.html", channel=channel,
                           values=values or {}, visibilities=mastodon_connect.VISIBILITIES)
    return private_headers(page), status


def _continue(authorize_url):
    # A page with a link rather than a redirect: the CSP's form-action 'self' would stop a
    # form submission that redirects to another site.
    page = render_template("channels/mastodon_continue.html", authorize_url=authorize_url,
                           host=urlsplit(authorize_url).netloc)
    return private_headers(page)


@bp.route("/", methods=["GET", "POST"])
@bp.route("/<int:channel_id>", methods=["GET", "POST"])
def connect(channel_id=None):
    channel = mastodon_connect.mastodon_channel(current_user, channel_id) \
        if channel_id is not None else None  # another organisation's: 404 before 403
    channels.require_manage(current_user)
    if request.method == "GET":
        source = channel.settings if channel else {}
        values = {"name": channel.name if channel else _("Mastodon"),
                  "visibility": source.get("visibility", mastodon_connect.DEFAULT_VISIBILITY)}
        return _form(channel, values)
    values = {key: request.form.get(key, "") for key in FORM_FIELDS}
    try:
        if channel is not None:
            mastodon_connect.update(current_user, channel, name=values["name"],
                                    visibility=values["visibility"])
            flash(_("Channel %(name)s saved.", name=channel.name), "info")
            return redirect(url_for("channels.index"))
        target = mastodon_connect.begin(current_user, **_dance(**values))
    except ValidationError as exc:
        flash(exc.message, "error")
        return _form(channel, values, 422)
    return _continue(target)


@bp.post("/<int:channel_id>/reconnect")
def reconnect(channel_id):
    channel = mastodon_connect.mastodon_channel(current_user, channel_id)
    try:
        target = mastodon_connect.begin(current_user, **_dance(channel=channel))
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".connect", channel_id=channel.id))
    return _continue(target)


@bp.get("/callback")
def callback():
    try:
        channel = mastodon_connect.finish(
            current_user, state=request.args.get("state"), code=request.args.get("code"),
            error=request.args.get("error"), redirect_uri=_callback_url())
    except ValidationError as exc:
        flash(exc.message, "error")
        channel_id = mastodon_connect.state_channel_id(current_user, request.args.get("state"))
        return redirect(url_for(".connect", channel_id=channel_id))
    flash(_("Channel %(name)s is connected as %(account)s.", name=channel.name,
            account=channel.settings["account"]), "info")
    return redirect(url_for("channels.index"))
