"""Discussion: comment threads and suggested changes on a document."""
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class Comment(db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    guest_name: Mapped[str | None] = mapped_column(String(200))  # via a preview link
    preview_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("preview_links.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id", ondelete="SET NULL"))
    quote: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    resolved_at = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author = relationship("User", foreign_keys=[author_id])
    # Loaded with every comment: a thread shows who resolved it, and lists must not ask for
    # each resolver on its own.
    resolved_by = relationship("User", foreign_keys=[resolved_by_id], lazy="selectin")
    organisation = relationship("Organisation")
    replies = relationship("Comment", order_by="Comment.id")


class Suggestion(db.Model):
    """A proposed change, as full content based on a revision; accepting makes a revision."""

    __tablename__ = "suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    base_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="RESTRICT"))
    content = mapped_column(JSON, nullable=False)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|accepted|rejected
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    result_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", ondelete="SET NULL"))

    author = relationship("User", foreign_keys=[author_id])
    # Loaded with every suggestion: lists show who decided it and the revision it became.
    decided_by = relationship("User", foreign_keys=[decided_by_id], lazy="selectin")
    organisation = relationship("Organisation")
    base_revision = relationship("Revision", foreign_keys=[base_revision_id])
    result_revision = relationship("Revision", foreign_keys=[result_revision_id], lazy="selectin")
