"""Documents and their immutable revisions."""
from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

document_tags = Table(
    "document_tags",
    db.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_org_updated", "organisation_id", "updated_at"),
        Index("ix_documents_org_deadline", "organisation_id", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(32), default="draft")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, ondelete="RESTRICT")
    )
    deadline = mapped_column(UTCDateTime)
    # Written only by workflow: when a scheduled document is due, and why it was held back.
    scheduled_at = mapped_column(UTCDateTime)
    hold_reason: Mapped[str | None] = mapped_column(String(40))
    # Copies of the current revision's title and text for listing and search; written
    # only together with current_revision_id by documents.save_revision.
    title: Mapped[str] = mapped_column(String(300), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The monitored item this draft answers (a letter to the editor made from a news item).
    source_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitor_items.id", ondelete="SET NULL"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    organisation = relationship("Organisation")
    owner = relationship("User", foreign_keys=[owner_id])
    current_revision = relationship("Revision", foreign_keys=[current_revision_id],
                                    post_update=True)
    tags = relationship("Tag", secondary=document_tags, order_by="Tag.name")
    source_item = relationship("Item", foreign_keys=[source_item_id])

    def __str__(self):
        return self.title or f"#{self.id}"


class Revision(db.Model):
    """One saved version of a document. Never updated, never deleted."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id", ondelete="RESTRICT"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    content = mapped_column(JSON, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    document = relationship("Document", foreign_keys=[document_id])
    author = relationship("User")


class Autosave(db.Model):
    """A user's unsaved editor buffer for one document, kept until they save or discard."""

    __tablename__ = "autosaves"
    __table_args__ = (UniqueConstraint("document_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    base_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"))
    content = mapped_column(JSON, nullable=False)
    saved_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
