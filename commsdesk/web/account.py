"""The user's own settings: password, API tokens and language."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_login import current_user, login_required, login_user

from .. import people
from ..access import is_admin
from ..errors import ValidationError
from .forms import InviteForm, LanguageForm, PasswordForm

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/", methods=["GET"])
@login_required
def settings():
    return render_template(
        "account/settings.html",
        password_form=PasswordForm(prefix="pw"),
        language_form=LanguageForm(prefix="lang", locale=current_user.locale or ""),
        invite_form=InviteForm(prefix="inv") if is_admin(current_user) else None,
    )


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordForm(prefix="pw")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for(".settings"))
    try:
        people.change_password(current_user, form.current_password.data, form.new_password.data,
                               revoke_api_tokens=request.form.get("pw-revoke_tokens") == "1")
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".settings"))
    login_user(current_user._get_current_object())
    flash(_("Your password is changed. Other sessions have been logged out."), "info")
    return redirect(url_for(".settings"))


@bp.route("/tokens/revoke", methods=["POST"])
@login_required
def revoke_tokens():
    count = people.revoke_own_tokens(current_user)
    flash(ngettext("%(num)d API token revoked; scripts using it must get a new one.",
                   "%(num)d API tokens revoked; scripts using them must get a new one.", count)
          if count else _("You have no active API tokens."), "info")
    return redirect(url_for(".settings"))


@bp.route("/language", methods=["POST"])
@login_required
def change_language():
    form = LanguageForm(prefix="lang")
    if form.validate_on_submit():
        people.set_locale(current_user, form.locale.data)
        refresh()
        flash(_("Language saved."), "info")
    return redirect(url_for(".settings"))


@bp.route("/invite", methods=["POST"])
@login_required
def invite():
    form = InviteForm(prefix="inv")
    if not form.validate_on_submit():
        flash(_("Fill in email, name and role."), "error")
        return redirect(url_for(".settings"))
    user, _link = people.invite_user(current_user, form.email.data, form.name.data,
                                     form.role.data)
    flash(_("An invitation has been sent to %(email)s.", email=user.email), "info")
    return redirect(url_for(".settings"))
