"""Newspaper submissions: the outlets an organisation offers op-eds and letters to, and each
offer of an approved revision to one outlet with what became of it."""
from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

# offered: sent to the desk, no answer yet; accepted: the desk will publish it; refused;
# published (on a date, at an address); withdrawn: taken back by the office.
SUBMISSION_STATES = ("offered", "accepted", "refused", "published", "withdrawn")
# An offer that still binds the text (for exclusivity) and may still change.
OPEN_SUBMISSION_STATES = ("offered", "accepted")


class Outlet(db.Model):
    """A newspaper's debate desk or letters page, as one organisation keeps it."""

    __tablename__ = "outlets"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    # Characters of lead and body, counted as the editor counts; None: no limit.
    length_limit: Mapped[int | None] = mapped_column(Integer)
    wants_exclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    exclusivity_note: Mapped[str] = mapped_column(Text, default="")
    reply_days: Mapped[int] = mapped_column(Integer, default=7)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    organisation = relationship("Organisation")

    def __str__(self):
        return self.name


class Submission(db.Model):
    """One approved revision offered to one outlet, and what the desk answered."""

    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_state_reply_by", "state", "reply_by"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="RESTRICT"))
    content_hash: Mapped[str] = mapped_column(String(64))
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="RESTRICT"),
                                           index=True)
    state: Mapped[str] = mapped_column(String(16), default="offered")
    # The outlet's exclusivity rule when the offer was made (it binds that offer).
    exclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    offered_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    reply_by = mapped_column(UTCDateTime, nullable=False)
    reminded_at = mapped_column(UTCDateTime)
    decided_at = mapped_column(UTCDateTime)
    published_on = mapped_column(Date)
    published_url: Mapped[str | None] = mapped_column(String(1000))
    presentation: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="RESTRICT"))
    email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outgoing_emails.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    document = relationship("Document")
    revision = relationship("Revision")
    outlet = relationship("Outlet")
    created_by = relationship("User")
