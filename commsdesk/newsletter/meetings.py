"""Meeting notices: a members' meeting (time, place, agenda, documents) as an email with an
.ics invitation, optional answers (will you come?) through signed links without login, a
reminder the day before to everyone who has not declined, and an update when the time or
place changed after the notice went out. Sending goes through newsletter.mailings."""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from sqlalchemy import func, select

from .. import audit
from ..access import can_see_members
from ..audience import settings as mail_settings
from ..audience.suppression import email_hash
from ..errors import DomainError, NotFound, ValidationError
from ..extensions import db
from ..models import RSVP_ANSWERS, Document, Mailing, MeetingRsvp, Member
from ..rendering import render_markdown
from ..times import organisation_zone, utcnow
from . import ics
from .parts import flat, when

log = logging.getLogger(__name__)
# Send-outs about a meeting: their messages carry the recipient's answer links.
MEETING_KINDS = ("meeting_notice", "meeting_update", "meeting_reminder")
SENT_KINDS = ("meeting_notice", "meeting_update")  # what told members the time and place
REMIND_BEFORE = timedelta(days=1)
CHANGING_FIELDS = ("starts_at", "ends_at", "place")


@dataclass(frozen=True)
class Meeting:
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    agenda: str
    documents: tuple
    rsvp_by: datetime | None


def _moment(value):
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def meeting(content):
    """The Meeting a revision's content describes, or None without a start time."""
    content = flat(content)
    starts_at = _moment(content.get("starts_at"))
    if starts_at is None:
        return None
    documents = tuple(line.strip() for line in (content.get("documents") or "").splitlines()
                      if line.strip())
    return Meeting(title=content.get("title") or "", starts_at=starts_at,
                   ends_at=_moment(content.get("ends_at")), place=content.get("place") or "",
                   agenda=content.get("agenda") or "", documents=documents,
                   rsvp_by=_moment(content.get("rsvp_by")))


def time_span(doc, item, locale):
    """"1 dec 18:00–20:00" in the organisation's zone and language."""
    text = when(item.starts_at, doc, locale)
    if item.ends_at:
        zone = organisation_zone(doc)
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        text += "–" + (end.strftime("%H:%M") if start.date() == end.date()
                       else when(item.ends_at, doc, locale))
    return text


def sequence(doc, kind):
    """The invitation's SEQUENCE: 0 for the notice, one more for each update sent."""
    updates = db.session.execute(
        select(func.count(Mailing.id)).where(Mailing.document_id == doc.id,
                                             Mailing.kind == "meeting_update",
                                             Mailing.state != "cancelled")).scalar()
    return updates + (1 if kind == "meeting_update" else 0)


def _subject(kind, title):
    if kind == "meeting_update":
        return _("Changed time or place: %(title)s", title=title)
    if kind == "meeting_reminder":
        return _("Reminder: %(title)s", title=title)
    return title


def add_to_message(message, doc, revision, kind, brand):
    """Fill a parts.Message with the meeting: subject, time and place, agenda, documents,
    the answer links when replies are asked for, and the .ics invitation."""
    item = meeting(revision.content)
    if item is None:
        raise ValidationError(_("A meeting notice needs the time the meeting starts."),
                              field="starts_at")
    message.subject = _subject(kind, item.title)
    span = time_span(doc, item, brand.locale)
    message.notices = [(_("When"), span)] + ([(_("Where"), item.place)] if item.place else [])
    extra_html, extra_text = _agenda_parts(item)
    message.body_html = Markup(message.body_html) + extra_html
    head = [f"{label}: {value}" for label, value in message.notices]
    message.body_text_lines = [*head, "", *message.body_text_lines, *extra_text]
    message.preheader = message.preheader or f"{span} {item.place}".strip()
    message.rsvp = item.rsvp_by is not None
    settings = mail_settings.get(doc.organisation)
    data = ics.invitation(doc, item, sequence(doc, kind), settings.from_name, settings.reply_to)
    message.attachments = [ics.attachment(data)]


def _agenda_parts(item):
    html, text = Markup(""), []
    if item.agenda:
        html += Markup("<h2>%s</h2>") % _("Meeting agenda") + Markup(render_markdown(item.agenda))
        text += ["", _("Meeting agenda"), item.agenda]
    if item.documents:
        links = Markup("").join(Markup('<li><a href="%s">%s</a></li>') % (url, url)
                                for url in item.documents if url.startswith(("http://",
                                                                             "https://")))
        html += Markup("<h2>%s</h2><ul>%s</ul>") % (_("Meeting documents"), links)
        text += ["", _("Meeting documents"), *list(item.documents)]
    return html, text


# --- answers ----------------------------------------------------------------------------

def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="commsdesk-rsvp")


def rsvp_token(document_id, email, member_id=None):
    """The signed token of one recipient's answer links for a meeting."""
    return _serializer().dumps([document_id, member_id, email_hash(email)])


def rsvp_links(document_id, email, member_id=None):
    """The recipient's yes and no links (placeholder values rsvp_yes_url, rsvp_no_url)."""
    token = rsvp_token(document_id, email, member_id)
    base = f"{current_app.config['BASE_URL'].rstrip('/')}/r/{token}"
    return {"rsvp_yes_url": f"{base}?answer=yes", "rsvp_no_url": f"{base}?answer=no"}


def read_rsvp(token):
    """(document, member_id, email_hash) of an answer token; NotFound if it is not ours or
    the meeting is gone."""
    try:
        document_id, member_id, digest = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound(_("This link is not valid.")) from None
    doc = db.session.get(Document, document_id) if isinstance(document_id, int) else None
    if doc is None or doc.kind != "meeting_notice":
        raise NotFound(_("This link is not valid."))
    return doc, member_id, digest


def current_answer(token):
    """(document, Meeting of the newest notice, the recipient's answer or None)."""
    doc, _member_id, digest = read_rsvp(token)
    row = db.session.execute(select(MeetingRsvp.answer).where(
        MeetingRsvp.document_id == doc.id, MeetingRsvp.email_hash == digest)).scalar()
    return doc, meeting(_last_sent_content(doc) or doc.current_revision.content), row


def answer(token, value):
    """Record the recipient's answer ("yes" or "no"), replacing an earlier one; commits."""
    if value not in RSVP_ANSWERS:
        raise ValidationError(_("Answer yes or no."), field="answer")
    doc, member_id, digest = read_rsvp(token)
    member = db.session.get(Member, member_id) if isinstance(member_id, int) else None
    row = db.session.execute(select(MeetingRsvp).where(
        MeetingRsvp.document_id == doc.id, MeetingRsvp.email_hash == digest)).scalar()
    if row is None:
        row = MeetingRsvp(organisation_id=doc.organisation_id, document_id=doc.id,
                          email_hash=digest, mailing_id=_last_sent(doc, "id"))
        db.session.add(row)
    row.member_id = member.id if member and member.organisation_id == doc.organisation_id \
        else None
    row.answer, row.at = value, utcnow()
    db.session.commit()
    return row


def answers(user, doc):
    """Counts of yes and no, with the names of members who answered (staff who may see
    members only; None for anyone else)."""
    if not can_see_members(user) or user.organisation_id != doc.organisation_id:
        return None
    rows = db.session.execute(
        select(MeetingRsvp.answer, Member.name)
        .outerjoin(Member, Member.id == MeetingRsvp.member_id)
        .where(MeetingRsvp.document_id == doc.id).order_by(Member.name)).all()
    result = {value: {"count": 0, "names": []} for value in RSVP_ANSWERS}
    for value, name in rows:
        result[value]["count"] += 1
        if name:
            result[value]["names"].append(name)
    if any(item["names"] for item in result.values()):
        # Names of members are member data: every view of them is on the audit log.
        audit.record(user, "members.viewed", doc, shown=sum(
            len(item["names"]) for item in result.values()), context="meeting answers")
        db.session.commit()
    return result


def declined_hashes(doc):
    """The address hashes of everyone who said no."""
    return set(db.session.execute(select(MeetingRsvp.email_hash).where(
        MeetingRsvp.document_id == doc.id, MeetingRsvp.answer == "no")).scalars())


# --- what was sent, updates and reminders ----------------------------------------------

def _sent(doc, kinds=SENT_KINDS):
    return (select(Mailing).where(Mailing.document_id == doc.id, Mailing.kind.in_(kinds),
                                  Mailing.started_at.is_not(None))
            .order_by(Mailing.started_at.desc(), Mailing.id.desc()).limit(1))


def _last_sent(doc, attribute=None):
    row = db.session.execute(_sent(doc)).scalar()
    return getattr(row, attribute) if row is not None and attribute else row


def _last_sent_content(doc):
    row = _last_sent(doc)
    return row.revision.content if row is not None and row.revision is not None else None


def changes_since_notice(doc):
    """The fields of time and place that differ from what members were last told (empty
    when nothing went out yet or nothing changed)."""
    if doc.kind != "meeting_notice":
        return []
    told = _last_sent_content(doc)
    if told is None:
        return []
    told, now = flat(told), flat(doc.current_revision.content)
    return [name for name in CHANGING_FIELDS if (told.get(name) or "") != (now.get(name) or "")]


def send_update(user, doc, at=None):
    """Send the changed time or place to the audience of the last notice (the publish gate
    applies: the changed revision must be approved). Returns the Mailing."""
    from . import mailings

    last = _last_sent(doc)
    if last is None or not changes_since_notice(doc):
        raise ValidationError(_("Neither the time nor the place changed since the notice "
                                "went out."))
    return mailings.create(user, doc, dict(last.audience), at=at, kind="meeting_update")


def _due_reminders(now):
    """Meetings whose notice went out, starting within a day, not reminded yet."""
    reminded = select(Mailing.document_id).where(Mailing.kind == "meeting_reminder")
    rows = db.session.execute(
        select(Mailing).where(Mailing.kind.in_(SENT_KINDS), Mailing.started_at.is_not(None),
                              Mailing.document_id.not_in(reminded))
        .order_by(Mailing.started_at.desc())).scalars()
    due, seen = [], set()
    for row in rows:
        if row.document_id in seen:
            continue
        seen.add(row.document_id)
        item = meeting(row.revision.content if row.revision else None)
        if item and item.starts_at - REMIND_BEFORE <= now < item.starts_at \
                and row.started_at < item.starts_at - REMIND_BEFORE:
            due.append(row)
    return due


def reminders_waiting(now=None):
    """Whether a meeting reminder is due (for the worker's due work)."""
    return bool(_due_reminders(now or utcnow()))


def remind_due(now=None):
    """Send the day-before reminders that are due, to the notice's audience except those who
    declined; returns how many mailings were created."""
    from . import mailings

    count = 0
    for notice in _due_reminders(now or utcnow()):
        doc = notice.document
        declined = {hashed: mailings.DECLINED for hashed in declined_hashes(doc)}
        try:
            mailings.create(notice.created_by, doc, dict(notice.audience),
                            kind="meeting_reminder", spare=declined)
        except DomainError as exc:
            # Not retried every tick: a cancelled reminder says why on the send-outs list.
            db.session.rollback()
            _record_failed_reminder(notice, str(exc))
            continue
        except Exception:
            db.session.rollback()
            log.exception("meeting reminder for document %s not created", doc.id)
            continue
        count += 1
    return count


def _record_failed_reminder(notice, reason):
    """A cancelled reminder with the reason, so that the clock does not try it again."""
    db.session.add(Mailing(
        organisation_id=notice.organisation_id, document_id=notice.document_id,
        revision_id=notice.revision_id, kind="meeting_reminder", audience=notice.audience,
        subject=notice.subject, text_template="", state="cancelled",
        paused_reason=_("The reminder was not sent: %(reason)s", reason=reason),
        due_at=utcnow(), created_by_id=notice.created_by_id))
    db.session.commit()
    log.warning("meeting reminder for document %s not sent: %s", notice.document_id, reason)

