"""Pages for people without an account: preview links now; the newsroom, feeds and
unsubscribe pages join them here."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import previews
from ..errors import DomainError, NotFound
from ..extensions import db
from . import private_headers

bp = Blueprint("public", __name__)


@bp.route("/p/<token>", methods=["GET", "POST"])
def preview(token):
    """A person without an account reads the link's revision and may leave a comment."""
    return private_headers(_preview(token))


def _preview(token):
    try:
        link = previews.open_link(token)
    except NotFound:
        return render_template("public/preview_unavailable.html"), 404
    form, error, status = {}, None, 200
    if request.method == "POST":
        form = {"name": request.form.get("name", ""), "body": request.form.get("body", "")}
        try:
            previews.guest_comment(token, form["name"], form["body"])
        except NotFound:
            return render_template("public/preview_unavailable.html"), 404
        except DomainError as exc:
            db.session.rollback()
            error, status = exc.message, exc.status
        else:
            flash(_("Thank you. Your comment has been sent."), "info")
            return redirect(url_for(".preview", token=token))
    doc = previews.link_document(link)
    return render_template(
        "public/preview.html", link=link, doc=doc, content=link.revision.content,
        newer=previews.has_newer_revision(link), comments=previews.guest_comments(link),
        form=form, error=error, max_comment=previews.MAX_COMMENT, token=token,
    ), status
