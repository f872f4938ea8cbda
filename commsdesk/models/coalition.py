"""Sharing documents with coalition partners, and the signatories of a joint text."""
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class Share(db.Model):
    """A document shared with another organisation: its users may read, comment, suggest and
    approve for their organisation. Deleting the row takes access away at once."""

    __tablename__ = "shares"
    __table_args__ = (UniqueConstraint("document_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    organisation = relationship("Organisation")
    document = relationship("Document")
    created_by = relationship("User")


class Signatory(db.Model):
    __tablename__ = "signatories"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    organisation = relationship("Organisation")


class JointRelease(db.Model):
    """A joint text's coordinated embargo: every party plans its own channels for one time
    (their Publication rows are due then); any party's approver may hold them all."""

    __tablename__ = "joint_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             unique=True)
    embargo_at = mapped_column(UTCDateTime, nullable=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # Set while every party's pending publications are held (who, when, why).
    held_at = mapped_column(UTCDateTime)
    held_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    hold_reason: Mapped[str | None] = mapped_column(Text)
    # The last time the owner's approver released a hold.
    released_at = mapped_column(UTCDateTime)
    released_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"))

    document = relationship("Document")
    created_by = relationship("User", foreign_keys=[created_by_id])
    held_by = relationship("User", foreign_keys=[held_by_id])
    released_by = relationship("User", foreign_keys=[released_by_id])

    @property
    def held(self):
        return self.held_at is not None
