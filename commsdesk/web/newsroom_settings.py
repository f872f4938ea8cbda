"""The newsroom's settings in the desk: name shown, tagline, colours, logo and language
(admins change them; editors see them)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import branding
from ..errors import Forbidden, ValidationError
from ..extensions import db
from . import members_only

bp = Blueprint("newsroom_settings", __name__, url_prefix="/settings/newsroom")
members_only(bp)
FIELDS = ("name", "tagline", "primary", "accent", "logo_media_id", "locale")


def _organisation():
    org = current_user.organisation
    if not branding.can_view(current_user, org):
        raise Forbidden(_("Only admins and editors see the newsroom settings."))
    return org


@bp.route("/", methods=["GET", "POST"])
def edit():
    org = _organisation()
    brand = branding.brand(org)
    values = {"name": "" if brand.name == org.name else brand.name, "tagline": brand.tagline,
              "primary": brand.primary, "accent": brand.accent,
              "logo_media_id": brand.logo_media_id, "locale": brand.locale}
    error, status = None, 200
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in FIELDS}
        try:
            branding.set_brand(current_user, org, **values)
        except ValidationError as exc:
            db.session.rollback()
            error, status = exc, 422
        else:
            flash(_("The newsroom's appearance is saved."), "info")
            return redirect(url_for(".edit"))
    return render_template(
        "newsroom/settings.html", org=org, brand=brand, values=values, error=error,
        may_change=branding.can_change(current_user, org),
        contrast=branding.contrast(brand.on_primary, brand.primary),
    ), status
