"""A joint text's coordinated release on the document page: the embargo time, each party's
channels, hold all, release, and an organisation taking its approval back. Thin over
commsdesk.coalition_release."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import coalition_release
from ..access import get_document
from ..times import organisation_zone, parse_datetime
from . import members_only

bp = Blueprint("coalition_release", __name__)

members_only(bp)


@bp.app_template_global()
def coalition_release_panel(doc):
    """What the joint release panel shows to the current user (None: not a joint text)."""
    return coalition_release.panel(current_user, doc)


def _at(doc):
    return parse_datetime(request.form.get("at") or None, organisation_zone(doc),
                          field="at", label=_("Release time"))


def _act(document_id, perform, message):
    """Do one thing to the document's joint release and go back to its panel saying so."""
    doc = get_document(current_user, document_id)
    perform(doc)
    flash(message, "info")
    return redirect(url_for("documents.show", document_id=doc.id) + "#joint-release")


def _reason():
    return request.form.get("reason", "")


@bp.post("/documents/<int:document_id>/release/time")
def set_time(document_id):
    return _act(document_id, lambda doc: coalition_release.set_time(current_user, doc, _at(doc)),
                _("The release time is set; every party is told."))


@bp.post("/documents/<int:document_id>/release/plan")
def plan(document_id):
    return _act(document_id, lambda doc: coalition_release.plan(
        current_user, doc, request.form.getlist("channel")),
        _("Your channels are planned for the release."))


@bp.post("/documents/<int:document_id>/release/hold")
def hold(document_id):
    return _act(document_id, lambda doc: coalition_release.hold_all(current_user, doc, _reason()),
                _("Every party's publications are held; everyone is told."))


@bp.post("/documents/<int:document_id>/release/release")
def release(document_id):
    return _act(document_id, lambda doc: coalition_release.release(current_user, doc, _at(doc)),
                _("Released: the publications wait for the release time again."))


@bp.post("/documents/<int:document_id>/approval/withdraw")
def withdraw_approval(document_id):
    return _act(document_id, lambda doc: coalition_release.withdraw_approval(
        current_user, doc, _reason()),
        _("Your organisation's approval is taken back; its publications are held."))
