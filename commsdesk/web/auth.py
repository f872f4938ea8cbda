"""Logging in and out, and accepting an invitation."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import people
from ..errors import RateLimited, ValidationError
from . import safe_next
from .forms import LoginForm, SetPasswordForm

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = people.authenticate(form.email.data, form.password.data, request.remote_addr)
        except RateLimited as exc:
            flash(exc.message, "error")
            status = 429
        except ValidationError as exc:
            flash(exc.message, "error")
            status = 401
        else:
            session.clear()
            people.start_session(user)
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    people.end_session(current_user)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token):
    user = people.user_for_invite(token)
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = people.accept_invite(token, form.new_password.data)
        session.clear()
        people.start_session(user)
        login_user(user)
        flash(_("Welcome, %(name)s. Your password is set.", name=user.name), "info")
        return redirect(url_for("documents.dashboard"))
    return render_template("auth/invite.html", form=form, invited=user)
