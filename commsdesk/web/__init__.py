"""The server-rendered web interface."""
import unicodedata
from urllib.parse import urlsplit

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import kinds, people
from ..access import is_admin
from ..errors import DomainError, Forbidden, ValidationError
from ..extensions import db, login_manager
from ..rendering import render_markdown


def init_app(app):
    from . import (
        account,
        audience,
        audit,
        auth,
        calendar,
        channels,
        coalition,
        coalition_release,
        consent,
        discussion,
        documents,
        email,
        email_settings,
        filters,
        mailings,
        mastodon,
        media,
        monitoring,
        monitoring_sources,
        newsroom,
        newsroom_settings,
        notifications,
        press,
        previews,
        public,
        publications,
        search,
        segments,
        submissions,
        suppressions,
        watch_lists,
        workflow,
    )

    for module in (auth, account, documents, workflow, discussion, coalition, coalition_release,
                   notifications,
                   previews, audit, media, calendar, channels, publications, public,
                   newsroom_settings, submissions, mastodon, audience, segments, press,
                   email, consent, email_settings, suppressions, mailings, watch_lists,
                   monitoring, monitoring_sources, search):
        app.register_blueprint(module.bp)
    app.register_blueprint(email.public_bp)
    app.register_blueprint(calendar.feed_bp)
    newsroom.init_app(app)

    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    login_manager.user_loader(people.load_session_user)

    filters.init_app(app)
    # render_markdown's output is sanitised by nh3, so templates may insert it unescaped.
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text))
    app.jinja_env.globals.update(KINDS=kinds.KINDS, PLATFORMS=kinds.PLATFORMS,
                                 get_locale=get_locale, is_admin=is_admin)

    @app.errorhandler(DomainError)
    def domain_error(exc):
        db.session.rollback()  # a refused request changes nothing
        if request.path.startswith("/api/"):
            from ..api import error_response

            return error_response(exc.status, exc.message, **exc.details)
        if exc.status in (400, 422) and request.method == "POST" and request.referrer:
            flash(exc.message, "error")
            return redirect(request.referrer)
        return render_template("error.html", code=exc.status, message=exc.message), exc.status

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _http_error)

    @app.before_request
    def refuse_nul():
        # No database column keeps a NUL character (PostgreSQL refuses it outright), so a
        # search or form carrying one is refused before it reaches a query. The API checks
        # its own input (api.json_body, its query parameters).
        if request.path.startswith("/api/"):
            return
        if _has_nul(request.args) or (request.method == "POST" and _has_nul(request.form)):
            raise ValidationError(_("Text may not contain NUL (\\u0000) characters."))


def _has_nul(values):
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def _http_error(exc):
    code = getattr(exc, "code", 500) or 500
    if request.path.startswith("/api/"):
        from ..api import error_response

        return error_response(code, getattr(exc, "description", None) or _("Server error."))
    messages = {
        400: _("The request could not be understood."),
        403: _("You may not do that."),
        404: _("There is nothing here."),
        405: _("That is not allowed here."),
        413: _("What you sent is too large."),
        429: _("Too many requests. Wait a moment and try again."),
        500: _("Something went wrong on our side. Nothing was saved."),
    }
    return render_template("error.html", code=code, message=messages.get(code)), code


MAX_PAGE = 100_000


def page_arg(name="page"):
    """A page number from the query string: 1 unless it is a whole number, at most MAX_PAGE
    (past the end is an empty page; a 20-digit number would overflow the database's OFFSET)."""
    raw = request.args.get(name, "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return 1
    digits = raw.lstrip("0") or "0"
    return max(1, min(int(digits) if len(digits) <= 9 else MAX_PAGE, MAX_PAGE))


def members_only(bp, superusers=False):
    """Every page of the blueprint is for a signed-in user of an organisation (and for
    superusers too where they may look across organisations)."""
    @bp.before_request
    @login_required
    def require_member():
        if current_user.organisation_id is None and not (superusers and current_user.is_superuser):
            raise Forbidden(_("You belong to no organisation."))


FAILED = object()


def attempt(save, saved_message):
    """Run a domain save for a form: on a ValidationError roll back, flash its message and
    return FAILED (the view shows the form again, 422); else flash `saved_message` and
    return what `save` returned."""
    try:
        result = save()
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return FAILED
    flash(saved_message, "info")
    return result


def private_headers(response):
    """For pages that carry a secret (a preview link, a new token): never indexed, cached or
    sent on as a referrer."""
    response = make_response(response)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def safe_next(target):
    """Only a path on this site: never another host, scheme or a protocol-relative URL.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so a target
    with any whitespace, control character or backslash is refused rather than cleaned."""
    fallback = url_for("documents.dashboard")
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return fallback
    if any(char.isspace() or unicodedata.category(char)[0] in "CZ" for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") \
            or parts.path.startswith("//"):
        return fallback
    return target
