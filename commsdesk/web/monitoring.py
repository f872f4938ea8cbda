"""Monitoring pages (/monitoring): the triage inbox and an item's page, thin over
commsdesk.monitoring.triage and .respond."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, func, select
from sqlalchemy.exc import SQLAlchemyError

from .. import kinds
from ..access import can_monitor
from ..extensions import db
from ..models import ITEM_STATES, Item, ItemMatch, Source, WatchList
from ..monitoring import respond, triage, watch
from . import members_only, page_arg

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")
PER_PAGE = 25
members_only(bp)


@bp.app_template_global()
def monitoring_new_count():
    """For the navigation: new items of the user's organisation that a watch list matched."""
    if not current_user.is_authenticated or not can_monitor(current_user):
        return 0
    try:
        return db.session.execute(select(func.count()).select_from(Item).where(
            Item.organisation_id == current_user.organisation_id, Item.state == "new",
            exists().where(ItemMatch.item_id == Item.id))).scalar_one()
    except SQLAlchemyError:  # an error page after a database failure must still render
        db.session.rollback()
        return 0


def _filters():
    args = request.args
    state = args.get("state") if args.get("state") in ITEM_STATES else None
    return {"state": state, "source": args.get("source") or None,
            "watch_list": args.get("watch_list") or None,
            "assigned": "me" if args.get("assigned") == "me" else None}


@bp.route("/")
def inbox():
    args = _filters()
    result = triage.inbox(current_user, state=args["state"], source_id=args["source"],
                          watch_list_id=args["watch_list"], assigned=args["assigned"],
                          page=page_arg(), per_page=PER_PAGE)
    org_id = current_user.organisation_id
    terms, language = watch.terms_for(org_id), watch.language(org_id)
    rows = [(item, found, triage.highlighted_title(item, terms, language))
            for item, found in result.rows]
    return render_template(
        "monitoring/inbox.html", result=result, rows=rows, states=ITEM_STATES,
        state_labels=triage.STATE_LABELS, args={k: v for k, v in args.items() if v},
        keep={k: v for k, v in args.items() if v and k != "state"},
        sources=db.session.execute(select(Source).where(Source.organisation_id == org_id)
                                   .order_by(Source.name)).scalars().all(),
        watch_lists=db.session.execute(select(WatchList).where(
            WatchList.organisation_id == org_id).order_by(WatchList.name)).scalars().all())


@bp.route("/bulk", methods=["POST"])
def bulk():
    moved = triage.bulk(current_user, request.form.get("action"), request.form.getlist("item"))
    flash(_("%(n)d items changed.", n=moved), "info")
    state = request.form.get("state")
    return redirect(url_for(".inbox", state=state if state in ITEM_STATES else None))


@bp.route("/items/<int:item_id>")
def item(item_id):
    row = triage.open(current_user, triage.item(current_user, item_id))
    org_id = current_user.organisation_id
    terms, language = watch.terms_for(org_id), watch.language(org_id)
    return render_template(
        "monitoring/item.html", item=row, state_labels=triage.STATE_LABELS,
        title=triage.highlighted_title(row, terms, language),
        matches=triage.matches(row, terms, language), notes=triage.notes(row),
        drafts=triage.drafts(current_user, row), colleagues=triage.assignable(current_user),
        transitions=sorted(triage.TRANSITIONS[row.state], key=ITEM_STATES.index),
        respond_kinds=[(k, kinds.KINDS[k].label) for k in respond.KINDS])


def _back(row):
    return redirect(url_for(".item", item_id=row.id))


@bp.route("/items/<int:item_id>/state", methods=["POST"])
def set_state(item_id):
    row = triage.item(current_user, item_id)
    triage.set_state(current_user, row, request.form.get("state", ""))
    flash(_("The item is now %(state)s.", state=triage.STATE_LABELS[row.state]), "info")
    return _back(row)


@bp.route("/items/<int:item_id>/assign", methods=["POST"])
def assign(item_id):
    row = triage.item(current_user, item_id)
    triage.assign(current_user, row, request.form.get("assigned_to_id") or None)
    flash(_("Given to %(name)s.", name=row.assigned_to.name) if row.assigned_to
          else _("Given to nobody."), "info")
    return _back(row)


@bp.route("/items/<int:item_id>/notes", methods=["POST"])
def add_note(item_id):
    row = triage.item(current_user, item_id)
    triage.add_note(current_user, row, request.form.get("body", ""))
    return _back(row)


@bp.route("/items/<int:item_id>/notes/<int:note_id>/delete", methods=["POST"])
def remove_note(item_id, note_id):
    row = triage.item(current_user, item_id)
    triage.remove_note(current_user, row, note_id)
    flash(_("The note is removed."), "info")
    return _back(row)


@bp.route("/items/<int:item_id>/respond", methods=["POST"])
def respond_to(item_id):
    row = triage.item(current_user, item_id)
    doc = respond.respond(current_user, row, request.form.get("kind", ""))
    flash(_("A draft answering the item is made: write your answer."), "info")
    return redirect(url_for("documents.show", document_id=doc.id))
