"""Send-outs by email on the signed-in side: the document page's "Send by email" panel, the
organisation's list of send-outs and one send-out's page with its live progress."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import workflow
from ..access import can_publish, get_document, parse_id
from ..audience import segments
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Delivery, Mailing, PressList, Segment
from ..newsletter import labels, mailings
from ..times import organisation_zone, parse_datetime
from . import members_only

bp = Blueprint("mailings", __name__)

members_only(bp)

SHOWN_ROWS = 200  # failed, uncertain and spared rows listed on the page, at most


@bp.app_template_global()
def mailing_panel(doc):
    """What the document page's "Send by email" panel needs (None: no panel)."""
    if doc.kind not in mailings.SENDABLE_KINDS or not can_publish(current_user, doc):
        return None
    try:
        workflow.publish_gate(doc)
        ready = True
    except workflow.ApprovalExpired:
        ready = False
    org = doc.organisation_id
    return {
        "ready": ready,
        "segments": db.session.execute(select(Segment).where(Segment.organisation_id == org)
                                       .order_by(Segment.name)).scalars().all(),
        "press_lists": db.session.execute(
            select(PressList).where(PressList.organisation_id == org)
            .order_by(PressList.name)).scalars().all(),
        "mailings": db.session.execute(
            select(Mailing).where(Mailing.document_id == doc.id)
            .order_by(Mailing.id.desc()).limit(5)).scalars().all(),
    }


@bp.app_template_global()
def mailing_audience(mailing):
    """Whom a send-out went to, in words (several send-outs of one text look alike)."""
    return segments.describe(mailing.organisation_id, mailing.audience)


@bp.app_template_global()
def mailing_state_label(state):
    return labels.MAILING_STATE_LABELS.get(state, state)


@bp.app_template_global()
def delivery_state_label(state):
    return labels.DELIVERY_STATE_LABELS.get(state, state)


@bp.app_template_global()
def spared_reason(code):
    return labels.SPARED_REASONS.get(code, code)


def _audience(form):
    ids = lambda name: [i for i in (parse_id(v) for v in form.getlist(name)) if i]  # noqa: E731
    return {"all_members": form.get("all_members") == "1", "segments": ids("segment"),
            "press_lists": ids("press_list")}


@bp.get("/documents/<int:document_id>/mailings/count")
def count(document_id):
    """How many the chosen audience reaches, and how many are spared (before sending)."""
    doc = get_document(current_user, document_id)
    try:
        reached, spared = mailings.count_recipients(current_user, doc, _audience(request.args))
    except ValidationError:
        reached, spared = 0, 0
    return jsonify(recipients=reached, spared=spared,
                   text=_("%(num)d recipients, %(spared)d spared", num=reached, spared=spared))


@bp.post("/documents/<int:document_id>/mailings")
def create(document_id):
    doc = get_document(current_user, document_id)
    at = None
    if request.form.get("when") == "later":
        at = parse_datetime(request.form.get("at") or None, organisation_zone(doc),
                            field="at", label=_("Send at"))
        if at is None:
            raise ValidationError(_("Choose when it goes out."), field="at")
    mailing = mailings.create(current_user, doc, _audience(request.form), at=at)
    flash(_("The send-out is decided: it goes out at its time.") if at
          else _("The send-out has started."), "info")
    return redirect(url_for(".show", mailing_id=mailing.id))


@bp.get("/mailings")
def index():
    return render_template("mailings/index.html", rows=mailings.list_mailings(current_user))


def _rows(mailing, states):
    return db.session.execute(
        select(Delivery).where(Delivery.mailing_id == mailing.id, Delivery.state.in_(states))
        .order_by(Delivery.id).limit(SHOWN_ROWS)).scalars().all()


@bp.get("/mailings/<mailing_id>")
def show(mailing_id):
    mailing = mailings.get_mailing(current_user, mailing_id)
    return render_template("mailings/show.html", mailing=mailing,
                           progress=mailings.progress(mailing),
                           failed=_rows(mailing, ("failed", "bounced")),
                           uncertain=_rows(mailing, ("uncertain",)),
                           spared=_rows(mailing, ("skipped",)))


@bp.get("/mailings/<mailing_id>/progress.json")
def progress(mailing_id):
    mailing = mailings.get_mailing(current_user, mailing_id)
    return jsonify(mailings.progress(mailing))


DONE = {"pause": mailings.pause, "resume": mailings.resume, "cancel": mailings.cancel,
        "confirm": mailings.confirm_overdue}


@bp.post("/mailings/<mailing_id>/<action>")
def act(mailing_id, action):
    mailing = mailings.get_mailing(current_user, mailing_id)
    if action not in DONE:
        raise NotFound(_("No such action."))
    DONE[action](current_user, mailing)
    flash(_("Done: the send-out is now “%(state)s”.",
            state=mailing_state_label(mailing.state)), "info")
    return redirect(url_for(".show", mailing_id=mailing.id))


@bp.post("/mailings/<mailing_id>/deliveries/<delivery_id>/settle")
def settle(mailing_id, delivery_id):
    mailing = mailings.get_mailing(current_user, mailing_id)
    delivery = mailings.get_delivery(current_user, mailing, delivery_id)
    outcome = request.form.get("outcome")
    if outcome not in ("sent", "resend"):
        raise ValidationError(_("Choose sent or send again."), field="outcome")
    mailings.settle_uncertain(current_user, delivery, outcome)
    return redirect(url_for(".show", mailing_id=mailing.id) + "#uncertain")
