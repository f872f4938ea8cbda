"""The append-only audit log: writing entries, the scope of a document's log and of an
organisation's (who may read which is decided in access), and exporting them as CSV.

Audit entries and revisions are never changed or deleted: with the guard installed (by the app
factory), an ORM flush or a bulk UPDATE/DELETE that would do so fails."""
import csv
import io
import json
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, event, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from .access import can_read_global_log
from .errors import Forbidden, ValidationError
from .extensions import db
from .models import (
    Approval,
    AuditEntry,
    Comment,
    Organisation,
    PreviewLink,
    ReviewRequest,
    Revision,
    Share,
    Signatory,
    Submission,
    Suggestion,
    User,
)

PER_PAGE = 50
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)  # the range a date filter takes
# Rows about these objects belong to a document's log when the object is the document's.
DOCUMENT_PARTS = {
    "revision": Revision, "approval": Approval, "comment": Comment, "suggestion": Suggestion,
    "previewlink": PreviewLink, "share": Share, "signatory": Signatory,
    "reviewrequest": ReviewRequest, "submission": Submission,
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("id", "at", "actor_id", "actor", "organisation", "action", "action_label",
               "object_type", "object_id", "data")
# Rows that are written once and never changed or deleted.
APPEND_ONLY = (AuditEntry, Revision)


def record(actor, action, obj=None, organisation_id=None, **data):
    """Add an audit entry to the current transaction (the caller commits)."""
    if organisation_id is None and obj is not None:
        organisation_id = getattr(obj, "organisation_id", None)
    if organisation_id is None and actor is not None:
        organisation_id = actor.organisation_id
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        organisation_id=organisation_id,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        data=data,
    )
    db.session.add(entry)
    return entry


# --- actions in words ---------------------------------------------------------------------

# Every action code the application writes, as the log shows it. A code without a label (an
# entry written before a label existed) is shown as the code itself.
ACTION_LABELS = {
    "audit.exported": _l("Audit log exported"),
    "calendar_feed.created": _l("Calendar address created"),
    "calendar_feed.revoked": _l("Calendar address revoked"),
    "comment.created": _l("Comment written"),
    "comment.reopened": _l("Comment reopened"),
    "comment.resolved": _l("Comment resolved"),
    "document.created": _l("Document created"),
    "document.metadata": _l("Details changed"),
    "document.image_attached": _l("Image attached"),
    "document.image_detached": _l("Image removed"),
    "document.images_ordered": _l("Images reordered"),
    "media.uploaded": _l("Image uploaded"),
    "media.described": _l("Image description changed"),
    "media.deleted": _l("Image deleted"),
    "document.saved": _l("Text saved"),
    "document.shared": _l("Shared with a partner"),
    "document.trail_exported": _l("Decision trail exported"),
    "document.unshared": _l("Unshared from a partner"),
    "newsroom.branded": _l("Newsroom appearance changed"),
    "newsletter.test_sent": _l("Test email sent to oneself"),
    "organisation.created": _l("Organisation created"),
    "policy.changed": _l("Approval rules changed"),
    "preview_link.created": _l("Preview link created"),
    "preview_link.guest_comment": _l("Guest commented through a preview link"),
    "preview_link.revoked": _l("Preview link revoked"),
    "signatory.added": _l("Signatory added"),
    "signatory.changed": _l("Signatory changed"),
    "signatory.removed": _l("Signatory removed"),
    "suggestion.accepted": _l("Suggestion accepted"),
    "suggestion.created": _l("Suggestion made"),
    "suggestion.rejected": _l("Suggestion rejected"),
    "token.issued": _l("API token issued"),
    "token.revoked": _l("API tokens revoked"),
    "user.created": _l("User created"),
    "user.disabled": _l("User disabled"),
    "user.enabled": _l("User enabled"),
    "user.invite_accepted": _l("Invitation accepted"),
    "user.invited": _l("User invited"),
    "user.login": _l("Logged in"),
    "user.logout": _l("Logged out"),
    "user.password_changed": _l("Password changed"),
    "workflow.agreed": _l("Agreed by every party"),
    "workflow.approve": _l("Approved"),
    "workflow.archive": _l("Archived"),
    "workflow.back_to_review": _l("Back to review"),
    "workflow.held": _l("Held back (approval missing or stale)"),
    "workflow.publish": _l("Published now"),
    "workflow.reschedule": _l("Rescheduled"),
    "workflow.publications_settled": _l("Publishing finished on every channel"),
    "workflow.publications_retried": _l("Publication retried"),
    "workflow.publications_cancelled": _l("Every publication cancelled: back to approved"),
    "publication.sent": _l("Went out on a channel"),
    "publication.failed": _l("Publication failed"),
    "publication.uncertain": _l("Publication uncertain (check it)"),
    "publication.held": _l("Publication held (approval no longer valid)"),
    "publication.retried": _l("Publication retried"),
    "publication.cancelled": _l("Publication cancelled"),
    "publication.confirmed": _l("Publication confirmed as sent"),
    "publication.taken_down": _l("Taken down on a channel after withdrawal"),
    "publication.take_down_failed": _l("Taking down on a channel failed"),
    "publication.take_down_retried": _l("Taking down on a channel retried"),
    "publication.waiting": _l("Publication waiting to be posted by hand"),
    "publication.posted_by_hand": _l("Posted by hand"),
    "publication.not_posted": _l("Could not be posted by hand"),
    "channel.created": _l("Channel added"),
    "channel.updated": _l("Channel changed"),
    "channel.enabled": _l("Channel enabled"),
    "channel.disabled": _l("Channel disabled"),
    "channel.tested": _l("Channel connection tested"),
    "channel.problem": _l("Channel needs reconnecting"),
    "channel.problem_cleared": _l("Channel works again"),
    "outlet.created": _l("Newspaper outlet added"),
    "outlet.updated": _l("Newspaper outlet changed"),
    "outlet.deactivated": _l("Newspaper outlet deactivated"),
    "watch_list.created": _l("Watch list added"),
    "watch_list.updated": _l("Watch list changed"),
    "watch_list.removed": _l("Watch list removed"),
    "submission.offered": _l("Offered to a newspaper"),
    "submission.accepted": _l("Accepted by the newspaper"),
    "submission.refused": _l("Refused by the newspaper"),
    "submission.published": _l("Published in the newspaper"),
    "submission.withdrawn": _l("Offer to a newspaper withdrawn"),
    "submission.reply_by_changed": _l("Newspaper reply deadline changed"),
    "channel.token_refreshed": _l("Channel's access token renewed"),
    "channel.secret_renewed": _l("Channel's signing secret renewed"),
    "workflow.reopen": _l("Reopened as draft"),
    "workflow.request_changes": _l("Changes requested"),
    "workflow.schedule": _l("Scheduled"),
    "workflow.submit": _l("Submitted for review"),
    "workflow.unschedule": _l("Unscheduled"),
    "workflow.withdraw": _l("Withdrawn"),
    "workflow.recall": _l("Recalled from review"),
    "workflow.reviewers_changed": _l("Reviewers changed"),
    "workflow.due_changed": _l("Review due time changed"),
    "workflow.approval_withdrawn": _l("Approval taken back"),
    "workflow.release_scheduled": _l("Scheduled for the joint release"),
    "release.timed": _l("Joint release time set"),
    "release.planned": _l("Channels planned for the joint release"),
    "release.held": _l("Joint release held"),
    "release.resumed": _l("Joint release released"),
    "member.created": _l("Member added"),
    "member.updated": _l("Member changed"),
    "member.deleted": _l("Member deleted"),
    "member.viewed": _l("Member's page viewed"),
    "member.data_exported": _l("Member's data exported (access request)"),
    "member.erased": _l("Member erased"),
    "members.viewed": _l("Member list viewed"),
    "members.exported": _l("Members exported"),
    "members.imported": _l("Members imported"),
    "segment.created": _l("Segment created"),
    "segment.updated": _l("Segment changed"),
    "segment.deleted": _l("Segment deleted"),
    "press_contact.created": _l("Press contact added"),
    "press_contacts.imported": _l("Press contacts imported"),
    "press_contact.updated": _l("Press contact changed"),
    "press_contact.deleted": _l("Press contact deleted"),
    "press_list.created": _l("Press list created"),
    "press_list.updated": _l("Press list changed"),
    "press_list.deleted": _l("Press list deleted"),
    # Consent, unsubscribes, bounces and the email settings (audience.consent & co.).
    "member.confirmed": _l("Signup confirmed by the member"),
    "member.unsubscribed": _l("Unsubscribed"),
    "member.resubscribed": _l("Subscribed again after unsubscribing"),
    "member.preferences_changed": _l("Member changed their email preferences"),
    "member.bounced": _l("Address bounced and suppressed"),
    "suppression.checked": _l("Suppression list checked for an address"),
    "suppression.removed": _l("Address taken off the suppression list"),
    "mail.settings_changed": _l("Email settings changed"),
    "mailing.created": _l("Send-out by email decided"),
    "mailing.paused": _l("Send-out paused"),
    "mailing.self_paused": _l("Send-out paused itself"),
    "mailing.resumed": _l("Send-out resumed"),
    "mailing.cancelled": _l("Send-out cancelled"),
    "mailing.overdue": _l("Send-out overdue: waits for confirmation"),
    "mailing.overdue_confirmed": _l("Overdue send-out confirmed"),
    "mailing.delivery_settled": _l("Uncertain recipient of a send-out decided"),
    "mailing.finished": _l("Send-out finished"),
    "workflow.mailing_sent": _l("Published by email"),
    # Monitoring: triage of items (monitoring.triage, monitoring.respond).
    "item.read": _l("Monitored item read"),
    "item.flagged": _l("Monitored item flagged"),
    "item.unflagged": _l("Monitored item unflagged"),
    "item.archived": _l("Monitored item archived"),
    "item.unarchived": _l("Monitored item taken out of the archive"),
    "item.assigned": _l("Monitored item given to a colleague"),
    "item.unassigned": _l("Monitored item given to nobody"),
    "item.note_added": _l("Note added to a monitored item"),
    "item.note_removed": _l("Note removed from a monitored item"),
    "item.responded": _l("Draft written in answer to a monitored item"),
    # Monitoring sources (monitoring.sources, monitoring.opml).
    "source.created": _l("Source added"),
    "source.updated": _l("Source changed"),
    "source.paused": _l("Source paused"),
    "source.resumed": _l("Source resumed"),
    "source.removed": _l("Source removed"),
    "sources.imported": _l("Sources imported from OPML"),
    "monitoring.allowed_hosts_changed": _l("Private hosts allowed for sources changed"),
    "monitoring.digest_hour_changed": _l("Hour of the daily digest changed"),
}
# The admin writes admin.<model>.<verb>; the model stays a code, the verb is in words.
ADMIN_LABELS = {
    "created": _l("Created in the admin: %(object)s"),
    "updated": _l("Changed in the admin: %(object)s"),
    "deleted": _l("Deleted in the admin: %(object)s"),
}


def action_label(code):
    """The action in words, in the reader's language; the code itself when it has no label."""
    label = ACTION_LABELS.get(code)
    if label is not None:
        return str(label)
    prefix, _dot, rest = (code or "").partition(".")
    model, _dot, verb = rest.rpartition(".")
    if prefix == "admin" and model and verb in ADMIN_LABELS:
        return str(ADMIN_LABELS[verb]) % {"object": model}
    return code


# --- the append-only guard ----------------------------------------------------------------

class AppendOnlyError(RuntimeError):
    """Something tried to change or delete an audit entry or a revision."""


def _refuse_changes(session, _context, _instances):
    for obj in session.deleted:
        if isinstance(obj, APPEND_ONLY):
            raise AppendOnlyError(f"{type(obj).__name__} rows are never deleted")
    for obj in session.dirty:
        if isinstance(obj, APPEND_ONLY) and session.is_modified(obj):
            raise AppendOnlyError(f"{type(obj).__name__} rows are never changed")


_GUARDED_TABLES = {model.__tablename__ for model in APPEND_ONLY}


def _refuse_bulk_changes(state):
    if not (state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table in _GUARDED_TABLES or any(m.class_ in APPEND_ONLY for m in state.all_mappers):
        raise AppendOnlyError("audit entries and revisions are never changed or deleted")


def install_guard():
    """Make every session refuse to change or delete audit entries and revisions (idempotent)."""
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)
        event.listen(Session, "do_orm_execute", _refuse_bulk_changes)


# --- who sees what ----------------------------------------------------------------------

def document_scope(doc):
    """Entries about the document itself or about one of its parts."""
    parts = [and_(AuditEntry.object_type == "document", AuditEntry.object_id == doc.id)]
    for name, model in DOCUMENT_PARTS.items():
        parts.append(and_(AuditEntry.object_type == name, AuditEntry.object_id.in_(
            select(model.id).where(model.document_id == doc.id))))
    # Parts that are gone (an unshared organisation) are found by the id in their data.
    if db.engine.dialect.name == "postgresql":
        parts.append(AuditEntry.data["document_id"].as_string() == str(doc.id))
    else:
        parts.append(AuditEntry.data["document_id"].as_integer() == doc.id)
    return or_(*parts)


def global_scope(user):
    """An organisation's admins see its entries; superusers see every entry."""
    if not can_read_global_log(user):
        raise Forbidden(_("Only admins read the organisation's audit log."))
    if user.is_superuser:
        return true()
    return AuditEntry.organisation_id == user.organisation_id


# --- filters ----------------------------------------------------------------------------

def _day(args, name, tz, label):
    value = args.get(name)
    if not value:
        return None
    try:
        day = datetime.strptime(str(value).strip(), "%Y-%m-%d").date()
        if not FIRST_DAY <= day <= LAST_DAY:  # beyond, zone arithmetic overflows
            raise ValueError(day)
    except ValueError:
        raise ValidationError(_("%(field)s must be a date like 2025-03-31.", field=label),
                              field=name) from None
    return datetime.combine(day, time.min, tzinfo=tz)


def parse_filters(args, tz):
    """{action, since, until} from request arguments; dates are whole days in the zone."""
    action = (args.get("action") or "").strip()[:64]
    since = _day(args, "from", tz, _("From"))
    until = _day(args, "to", tz, _("To"))
    return {"action": action, "since": since,
            "until": until + timedelta(days=1) if until else None}


def _filtered(scope, filters):
    query = select(AuditEntry).where(scope)
    action = filters.get("action")
    if action:
        if action.endswith((".", "*")):
            prefix = action.rstrip("*")
            query = query.where(func.substr(AuditEntry.action, 1, len(prefix)) == prefix)
        else:
            query = query.where(AuditEntry.action == action)
    if filters.get("since"):
        query = query.where(AuditEntry.at >= filters["since"])
    if filters.get("until"):
        query = query.where(AuditEntry.at < filters["until"])
    return query


def _with_names(query):
    actor, org = aliased(User), aliased(Organisation)
    return (query.add_columns(actor.name, org.name)
            .outerjoin(actor, actor.id == AuditEntry.actor_id)
            .outerjoin(org, org.id == AuditEntry.organisation_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))


def entries(scope, filters, page=1, per_page=PER_PAGE):
    """A page of (entry, actor name, organisation name), newest first, and the total."""
    query = _filtered(scope, filters)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = max(1, int(page or 1))
    rows = db.session.execute(
        _with_names(query).limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def actions(scope):
    """The distinct actions in scope, for the filter's choices."""
    return db.session.execute(
        select(AuditEntry.action).where(scope).distinct().order_by(AuditEntry.action)
    ).scalars().all()


# --- CSV export -------------------------------------------------------------------------

def csv_cell(value):
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab or
    carriage return) gets a leading single quote."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    return "'" + value if value.startswith(FORMULA_START) else value


def export_csv(actor, scope, filters, document=None):
    """Record the export in the log (committed), then yield the CSV text in chunks."""
    record(actor, "audit.exported", document,
                 organisation_id=document.organisation_id if document else actor.organisation_id,
                 scope="document" if document else "global",
                 action_filter=filters.get("action") or None,
                 since=filters["since"].isoformat() if filters.get("since") else None,
                 until=filters["until"].isoformat() if filters.get("until") else None)
    db.session.commit()
    return _csv_rows(_with_names(_filtered(scope, filters)))


def _csv_rows(query):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # so spreadsheets read UTF-8
    writer.writerow(CSV_COLUMNS)
    for count, (entry, actor, org) in enumerate(
            db.session.execute(query.execution_options(yield_per=500)), start=1):
        writer.writerow([csv_cell(v) for v in (
            entry.id, entry.at.isoformat(), entry.actor_id, actor, org, entry.action,
            action_label(entry.action), entry.object_type, entry.object_id,
            json.dumps(entry.data or {}, ensure_ascii=False, sort_keys=True))])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
