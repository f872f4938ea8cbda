"""Public pages without login for an organisation's audience: the signup form with double
opt-in (/n/<org_slug>/join), unsubscribing (/u/<token>: at once on GET, RFC 8058 one-click
POST), its undo, the preference page, and the bounce webhook of a mail provider."""
import json

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from ..audience import bounces, consent, tokens, unsubscribe
from ..errors import NotFound, ValidationError
from ..extensions import csrf, db
from ..models import TOPICS, Organisation
from . import private_headers

bp = Blueprint("consent", __name__)
HONEYPOT = "website"  # a field people never see or fill; bots fill every field
MAX_WEBHOOK_BYTES = 64 * 1024


def _org(org_slug):
    try:
        return consent.open_form(org_slug)
    except NotFound:
        abort(404)


@bp.route("/n/<org_slug>/join", methods=["GET", "POST"])
def join(org_slug):
    """The signup form; every valid signup gets the same answer (no member leaks)."""
    org = _org(org_slug)
    form, error, status = {}, None, 200
    if request.method == "POST":
        form = {key: request.form.get(key, "") for key in ("name", "email", "branch")}
        if request.form.get(HONEYPOT):
            return private_headers(render_template("consent/check_inbox.html", org=org))
        try:
            consent.sign_up(org, form["name"], form["email"], form["branch"])
        except ValidationError as exc:
            db.session.rollback()
            error, status = exc, 422
        else:
            return private_headers(render_template("consent/check_inbox.html", org=org))
    return private_headers((render_template(
        "consent/join.html", org=org, form=form, error=error, honeypot=HONEYPOT,
        consent_text=consent.consent_text(org)), status))


@bp.route("/n/<org_slug>/join/confirm/<token>")
def confirm(org_slug, token):
    """Follow the emailed link: subscribed, or a plain word on why not."""
    org = _org(org_slug)
    try:
        consent.confirm(org, token)
    except tokens.InvalidToken as exc:
        return private_headers((render_template(
            "consent/link_invalid.html", org=org, token=token, expired=exc.expired), 400))
    return private_headers(render_template("consent/confirmed.html", org=org))


@bp.route("/n/<org_slug>/join/renew/<token>", methods=["POST"])
def renew(org_slug, token):
    """Send a new confirmation link for an expired one."""
    org = _org(org_slug)
    consent.renew(org, token)
    return private_headers(render_template("consent/check_inbox.html", org=org))


def _read(token):
    try:
        return unsubscribe.read(token)
    except tokens.InvalidToken:
        return None


def _bad_link():
    return private_headers((render_template("consent/unsubscribe_invalid.html"), 400))


@bp.route("/u/<token>")
def unsubscribe_now(token):
    """The visible link in a message: unsubscribed at once, no second click, no login."""
    found = _read(token)
    if found is None:
        return _bad_link()
    org, email = found
    unsubscribe.unsubscribe(org.id, email, "unsubscribe link")
    return private_headers(render_template("consent/unsubscribed.html", org=org, token=token))


@bp.route("/u/<token>/one-click", methods=["GET", "POST"])
@csrf.exempt
def one_click(token):
    """RFC 8058: a mail client POSTs List-Unsubscribe=One-Click; no login, no CSRF token.
    A GET (a link scanner, a client that only opens the address) changes nothing: it is
    sent on to the preference page."""
    if request.method == "GET":
        return redirect(url_for(".preferences", token=token))
    found = _read(token)
    if found is None:
        return "", 400
    org, email = found
    unsubscribe.unsubscribe(org.id, email, "one-click")
    return "", 200


@bp.route("/u/<token>/undo", methods=["POST"])
def undo(token):
    """"Subscribe again" on the unsubscribed page."""
    found = _read(token)
    if found is None:
        return _bad_link()
    org, email = found
    unsubscribe.resubscribe(org.id, email)
    return private_headers(render_template("consent/resubscribed.html", org=org, token=token))


@bp.route("/u/<token>/preferences", methods=["GET", "POST"])
def preferences(token):
    """The member's own choices: topics, name, or unsubscribe from everything."""
    found = _read(token)
    if found is None:
        return _bad_link()
    org, email = found
    member = unsubscribe.member(org.id, email)
    error, saved = None, False
    if request.method == "POST":
        if request.form.get("action") == "unsubscribe" or member is None:
            unsubscribe.unsubscribe(org.id, email, "preference page")
            return private_headers(render_template("consent/unsubscribed.html", org=org,
                                                   token=token))
        try:
            member = unsubscribe.save_preferences(org.id, email, request.form.getlist("topics"),
                                                  request.form.get("name", ""))
            saved = True
        except ValidationError as exc:
            db.session.rollback()
            error = exc
    return private_headers(render_template(
        "consent/preferences.html", org=org, member=member, token=token, topics=TOPICS,
        error=error, saved=saved))


@bp.route("/hooks/bounces/<org_slug>", methods=["POST"])
@csrf.exempt
def bounce_hook(org_slug):
    """A mail provider reports a bounce: JSON {email, type: hard|soft, message_id?,
    diagnostic?}, signed with HMAC-SHA256 of the body under the shared secret."""
    secret = current_app.config.get("BOUNCE_WEBHOOK_SECRET")
    org = db.session.execute(db.select(Organisation).where(
        Organisation.slug == org_slug)).scalar_one_or_none()
    if not secret or org is None:
        abort(404)
    body = request.get_data(cache=False)[:MAX_WEBHOOK_BYTES + 1]
    if not bounces.signature_ok(secret, body, request.headers.get(bounces.SIGNATURE_HEADER)):
        return jsonify(error="bad signature"), 403
    try:
        payload = json.loads(body) if len(body) <= MAX_WEBHOOK_BYTES else None
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("email"), str) \
            or payload.get("type") not in ("hard", "soft"):
        return jsonify(error='expected {"email": ..., "type": "hard" | "soft"}'), 400
    message_id = payload.get("message_id") if isinstance(payload.get("message_id"), str) \
        else None
    diagnostic = payload.get("diagnostic") if isinstance(payload.get("diagnostic"), str) else ""
    outcome = bounces.record_bounce(message_id or payload["email"], payload["type"] == "hard",
                                    diagnostic, organisation_id=org.id,
                                    email_address=payload["email"])
    return jsonify(recorded=outcome)


@bp.app_template_global()
def signup_url(org):
    """The public address of the organisation's signup form."""
    return url_for("consent.join", org_slug=org.slug, _external=False)
