"""Answers to a meeting notice (will you come?): one row per recipient and meeting, the
newest answer kept. A member is known by id; anyone else only by their address's hash."""
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

RSVP_ANSWERS = ("yes", "no")


class MeetingRsvp(db.Model):
    __tablename__ = "meeting_rsvps"
    __table_args__ = (UniqueConstraint("document_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    mailing_id: Mapped[int | None] = mapped_column(
        ForeignKey("mailings.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"))
    email_hash: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(8))
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    member = relationship("Member")
