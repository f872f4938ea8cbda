"""Email of documents: the preview at desktop and phone widths with a test send to oneself,
a meeting's answers and update; and the public ends of a send-out: the web version on the
newsroom, answering a meeting notice, and the open and click counters."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import newsroom
from ..access import can_edit
from ..errors import NotFound
from ..newsletter import archive, meetings, preview, tracking
from ..rendering import render_markdown
from . import members_only, private_headers

bp = Blueprint("email", __name__)
public_bp = Blueprint("email_public", __name__)
members_only(bp)
WIDTHS = (600, 360)
# A transparent 1x1 GIF.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00"
         b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


@bp.route("/documents/<int:document_id>/email")
def show(document_id):
    doc = preview.email_document(current_user, document_id)
    width = request.args.get("width", type=int)
    width = width if width in WIDTHS else WIDTHS[0]
    composed, _html, text = preview.rendered(current_user, doc)
    return render_template("newsletter/preview.html", doc=doc, composed=composed, text=text,
                           width=width, widths=WIDTHS, can_edit=can_edit(current_user, doc),
                           changes=meetings.changes_since_notice(doc),
                           answers=meetings.answers(current_user, doc))


@bp.route("/documents/<int:document_id>/email/frame")
def frame(document_id):
    """The rendered email alone, for the preview's iframe (no scripts, same origin only)."""
    doc = preview.email_document(current_user, document_id)
    _composed, html, _text = preview.rendered(current_user, doc)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; "
        "frame-ancestors 'self'; sandbox")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return private_headers(response)


@bp.route("/documents/<int:document_id>/email/test", methods=["POST"])
def send_test(document_id):
    doc = preview.email_document(current_user, document_id)
    preview.send_test(current_user, doc)
    flash(_("A test email is on its way to %(email)s.", email=current_user.email), "info")
    return redirect(url_for(".show", document_id=doc.id))


@bp.route("/documents/<int:document_id>/email/update", methods=["POST"])
def send_update(document_id):
    doc = preview.email_document(current_user, document_id)
    mailing = meetings.send_update(current_user, doc)
    flash(_("The update of the time or place is being sent."), "info")
    return redirect(url_for(".show", document_id=doc.id, mailing=mailing.id))


# --- public ------------------------------------------------------------------------------

@public_bp.route("/n/<org_slug>/newsletters/<int:document_id>-<slug>")
@public_bp.route("/n/<org_slug>/newsletters/<int:document_id>")
def archived(org_slug, document_id, slug=None):
    """A sent newsletter's web version (never cached in front: it appears when sent)."""
    try:
        site, brand, content, sent_at = archive.archived(org_slug, document_id)
    except NotFound:
        abort(404)
    from ..newsletter.parts import flat

    content = flat(content)
    html = current_app.jinja_env.get_template("newsletter/archived.html").render(
        org=site, brand=brand, content=content, body=render_markdown(content.get("body")),
        sent_at=sent_at, base=f"/n/{site.slug}/", canonical=newsroom.absolute(request.path),
        section=None)
    return Response(html, content_type="text/html; charset=utf-8")


@public_bp.route("/r/<token>", methods=["GET", "POST"])
def rsvp(token):
    """Answer a meeting notice without logging in (a GET only shows the question, so a link
    checker opening it answers nothing)."""
    try:
        doc, item, answer = meetings.current_answer(token)
    except NotFound:
        return private_headers((render_template("newsletter/rsvp.html", invalid=True), 404))
    if request.method == "POST":
        answer = meetings.answer(token, request.form.get("answer", "")).answer
        flash(_("Thank you, your answer is saved."), "info")
        return private_headers(redirect(url_for(".rsvp", token=token)))
    chosen = request.args.get("answer") if request.args.get("answer") in ("yes", "no") else None
    return private_headers(render_template(
        "newsletter/rsvp.html", invalid=False, doc=doc, item=item, answer=answer,
        chosen=chosen or answer, token=token))


@public_bp.route("/m/<token>/open.gif")
def opened(token):
    try:
        tracking.count(token, "opens")
    except tracking.InvalidLink:
        pass  # an altered pixel still gets an image: mail programs show broken ones
    response = Response(PIXEL, content_type="image/gif")
    response.headers["Cache-Control"] = "no-store"
    return response


@public_bp.route("/m/<token>/click")
def clicked(token):
    try:
        url = tracking.read_url(request.args.get("u"))
        tracking.count(token, "clicks")
    except tracking.InvalidLink:
        abort(404)
    return redirect(url, 302)
