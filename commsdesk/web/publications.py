"""Publications on the signed-in side: a document's publishing panel, the organisation's
outbox page, and what a person does with a row (retry, cancel, confirm it went out)."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import coalition_release, workflow
from ..access import get_document, parse_id
from ..errors import ValidationError
from ..models import PUBLICATION_STATES, utcnow
from ..publishing import actions, manual, overview, withdrawals
from ..publishing.labels import PUBLICATION_STATE_LABELS
from ..times import organisation_zone
from . import members_only, page_arg, safe_next

bp = Blueprint("publications", __name__)

members_only(bp)

DONE = {"retry": _l("Queued again: it goes out within seconds."),
        "cancel": _l("Cancelled: it will not go out."),
        "confirm": _l("Marked as sent."),
        "retry_withdrawal": _l("It is taken down again within seconds.")}


@bp.app_template_global()
def publication_state_label(state):
    return PUBLICATION_STATE_LABELS.get(state, state)


@bp.app_template_global()
def org_zone_name(holder):
    """The name of the zone times are chosen in (the organisation's)."""
    return organisation_zone(holder).key


@bp.app_template_global()
def is_web_url(url):
    """Whether a publication's address may be a link (never javascript: or the like)."""
    return isinstance(url, str) and (url.startswith(("https://", "http://"))
                                     or (url.startswith("/") and not url.startswith("//")))


@bp.app_template_global()
def publishing_panel(doc):
    """What the document page shows about the document's publications, for the current user
    (None when there is nothing to show). `current` is the newest decision to publish (rows
    of the newest revision not cancelled); `earlier` the rest."""
    rows = overview.document_publications(current_user, doc)
    if not rows:
        return None
    newest = rows[0].revision_id
    current = [r for r in rows if r.revision_id == newest and r.state != "cancelled"]
    allowed = {r.id: overview.allowed_actions(current_user, r) for r in rows}
    return {
        "current": current,
        "earlier": [r for r in rows if r not in current],
        "actions": allowed,
        "can_act": overview.can_act(current_user, doc),
        "failed": [r for r in current if r.state in ("failed", "uncertain", "held")],
        "sent": [r for r in current if r.state == "sent"],
        "held": any(r.state == "held" for r in current),
        "release_hold": _release_hold(doc),
        "going_out": overview.going_out_now(current),
        "scheduled": [r for r in current if r.state == "queued" and r.due_at > utcnow()],
        "owner": doc.organisation_id == current_user.organisation_id,
        "partly": doc.state == workflow.PARTLY_PUBLISHED,
        "all_failed": doc.state == workflow.PUBLISH_FAILED,
    }


def _release_hold(doc):
    """A joint release held by a party's approver (or by a partner taking its approval
    back): shown as that hold, with who held it and why, not as an expired approval."""
    joint = workflow.joint_release(doc)
    if joint is None or joint.held_at is None:
        return None
    return {"release": joint, "can_release": coalition_release.can_release(current_user, doc)}


@bp.get("/documents/<int:document_id>/publications.json")
def document_status(document_id):
    """A small status for the panel's refresh: whether something is about to go out."""
    doc = get_document(current_user, document_id)
    rows = overview.document_publications(current_user, doc)
    return jsonify(state=doc.state, going_out=overview.going_out_now(rows),
                   publications=[{"id": r.id, "state": r.state} for r in rows])


@bp.post("/publications/<int:publication_id>/retry")
def retry(publication_id):
    return _act(publication_id, "retry", actions.retry)


@bp.post("/publications/<int:publication_id>/cancel")
def cancel(publication_id):
    return _act(publication_id, "cancel", actions.cancel)


@bp.post("/publications/<int:publication_id>/confirm")
def confirm(publication_id):
    return _act(publication_id, "confirm", lambda user, row: actions.confirm_sent(
        user, row, request.form.get("url", "")))


@bp.post("/publications/<int:publication_id>/retry-withdrawal")
def retry_withdrawal(publication_id):
    return _act(publication_id, "retry_withdrawal", withdrawals.retry)


def _act(publication_id, action, perform):
    row = overview.get_publication(current_user, publication_id)
    perform(current_user, row)
    flash(str(DONE[action]), "info")
    fallback = url_for("documents.show", document_id=row.document_id) + "#publishing"
    return redirect(safe_next(request.form.get("next") or fallback))


@bp.get("/publications/<int:publication_id>/copy")
def copy(publication_id):
    """A text due on a channel posted by hand: ready to copy, and the forms to say done."""
    row = manual.get_by_hand(current_user, publication_id)
    return render_template("publishing/copy.html", row=row)


@bp.post("/publications/<int:publication_id>/posted")
def posted(publication_id):
    return _by_hand(publication_id, lambda user, row: manual.mark_posted(
        user, row, request.form.get("url", "")),
        lambda row: _("Marked as posted on %(channel)s.", channel=row.channel.name))


@bp.post("/publications/<int:publication_id>/not-posted")
def not_posted(publication_id):
    return _by_hand(publication_id, lambda user, row: manual.mark_not_posted(
        user, row, request.form.get("reason", "")),
        lambda row: _("Marked as not posted; it can be retried from the publishing panel."))


def _by_hand(publication_id, mark, done):
    """Say what became of a text due by hand: back to its copy page with the problem, or
    to the document's publishing panel with `done(row)`."""
    row = manual.get_by_hand(current_user, publication_id)
    try:
        mark(current_user, row)
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".copy", publication_id=row.id))
    flash(done(row), "info")
    return redirect(url_for("documents.show", document_id=row.document_id) + "#publishing")


@bp.get("/publications")
def index():
    """The organisation's outbox: what needs a person, what waits, what went out."""
    overview.require_outbox(current_user)
    state = request.args.get("state", "").strip()
    state = state if state in PUBLICATION_STATES else None
    channel_id = parse_id(request.args.get("channel", ""))
    page = page_arg()
    rows, total = overview.outbox(current_user, state=state, channel_id=channel_id, page=page)
    args = {k: v for k, v in (("state", state), ("channel", channel_id)) if v}
    return render_template(
        "publishing/index.html", rows=rows, total=total, page=page, args=args,
        pages=max(1, -(-total // overview.PER_PAGE)), counts=overview.outbox_counts(current_user),
        channels=overview.organisation_channels(current_user), states=PUBLICATION_STATES,
        actions={r.id: overview.allowed_actions(current_user, r) for r in rows})
