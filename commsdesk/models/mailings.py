"""Email send-outs (newsletters to members, press releases to press lists, meeting notices)
and their per-recipient delivery rows: the outbox of email to many."""
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

MAILING_KINDS = ("newsletter", "press_release", "meeting_notice", "meeting_reminder",
                 "meeting_update", "test")
# scheduled: waits for due_at; overdue: its time passed while no worker ran, waits for a
# person to confirm; sending: the worker is on it; paused (by a person or by itself, with
# paused_reason); cancelled; finished: every delivery row is settled.
MAILING_STATES = ("scheduled", "overdue", "sending", "paused", "cancelled", "finished")
OPEN_MAILING_STATES = ("scheduled", "overdue", "sending", "paused")
# queued → sending → sent | failed | bounced; uncertain: the server may have accepted it but
# the outcome was not recorded (a person decides); skipped: never sent (suppressed, over
# the weekly cap), with the reason in last_error.
DELIVERY_STATES = ("queued", "sending", "sent", "failed", "bounced", "uncertain", "skipped")
SETTLED_DELIVERY_STATES = ("sent", "failed", "bounced", "skipped")


class Mailing(db.Model):
    __tablename__ = "mailings"
    __table_args__ = (Index("ix_mailings_state_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    # The approved revision that goes out (the publish gate is checked against it again
    # when sending starts).
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    kind: Mapped[str] = mapped_column(String(20), default="newsletter")
    # Who it goes to: {"all_members": bool, "segments": [ids], "press_lists": [ids]}.
    audience: Mapped[dict] = mapped_column(JSON, default=dict)
    # What goes out, formatted when the send was decided: subject, HTML and text with
    # personalisation placeholders (see newsletter.compose).
    subject: Mapped[str] = mapped_column(String(300))
    html_template: Mapped[str | None] = mapped_column(Text)
    text_template: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list] = mapped_column(JSON, default=list)  # e.g. a meeting's .ics
    state: Mapped[str] = mapped_column(String(16), default="scheduled")
    paused_reason: Mapped[str | None] = mapped_column(Text)
    due_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    started_at = mapped_column(UTCDateTime)
    finished_at = mapped_column(UTCDateTime)
    # Counts only, and only when the organisation turned tracking on (off by default).
    opens: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(Integer, default=0)

    document = relationship("Document")
    revision = relationship("Revision")
    created_by = relationship("User")


class Delivery(db.Model):
    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_mailing_state", "mailing_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailings.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True)
    press_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("press_contacts.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="queued")
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at = mapped_column(UTCDateTime)
    sent_at = mapped_column(UTCDateTime)

    mailing = relationship("Mailing")
