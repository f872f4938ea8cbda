"""Workflow: approvals bound to revisions, review requests and the approval policy per kind."""
from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class Approval(db.Model):
    """One organisation's approval of exactly one revision (by its content hash)."""

    __tablename__ = "approvals"
    __table_args__ = (
        UniqueConstraint("revision_id", "organisation_id", "user_id"),
        Index("ix_approvals_document", "document_id", "revision_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # Set when a later revision replaced the approved one (for display; "approved" is derived
    # from approvals of the current revision, never from this column).
    stale_at = mapped_column(UTCDateTime)
    # Set when the organisation took this approval back (workflow.withdraw_approval): it no
    # longer counts, and the reason is kept for the decision trail.
    withdrawn_at = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)

    revision = relationship("Revision")
    user = relationship("User", foreign_keys=[user_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])
    organisation = relationship("Organisation")


class ReviewRequest(db.Model):
    __tablename__ = "review_requests"
    __table_args__ = (
        Index("ix_review_requests_open", "reviewer_id", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    due_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    closed_at = mapped_column(UTCDateTime)

    document = relationship("Document")
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    requested_by = relationship("User", foreign_keys=[requested_by_id])


class KindPolicy(db.Model):
    """Which approvals a document kind needs in one organisation."""

    __tablename__ = "kind_policies"
    __table_args__ = (UniqueConstraint("organisation_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    # The lowest role that may approve: "approver" (group leader) or "editor".
    approver_role: Mapped[str] = mapped_column(String(20), default="approver")
    allow_self_approval: Mapped[bool] = mapped_column(Boolean, default=False)
