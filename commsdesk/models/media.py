"""The media library: an organisation's images (the original kept in the database, which is
the truth when the app runs on several machines), their renditions per use, and which images
a document carries."""
from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

# upload: from the library; card: a text's social card, drawn by the app (not in the library).
MEDIA_ORIGINS = ("upload", "card")
RENDITION_NAMES = ("card", "square", "portrait", "thumb", "large")
# queued: waiting for the worker; rendering: claimed by one; done; failed (error says why).
RENDITION_STATES = ("queued", "rendering", "done", "failed")
# image: shown with the text; card: the text's drawn link image.
ATTACHMENT_ROLES = ("image", "card")


class Media(db.Model):
    """One uploaded image. The original is never served: only renditions, re-encoded
    without metadata."""

    __tablename__ = "media"
    __table_args__ = (Index("ix_media_org_sha256", "organisation_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"))
    origin: Mapped[str] = mapped_column(String(16), default="upload")
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)  # as shown (orientation applied)
    height: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: lists never load the originals.
    data = deferred(mapped_column(LargeBinary, nullable=False))
    alt_text: Mapped[str] = mapped_column(String(1000), default="")
    caption: Mapped[str] = mapped_column(String(1000), default="")
    credit: Mapped[str] = mapped_column(String(300), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deleted_at = mapped_column(UTCDateTime)

    organisation = relationship("Organisation")
    uploaded_by = relationship("User")
    renditions = relationship("Rendition", back_populates="media", cascade="all, delete-orphan",
                              order_by="Rendition.id")

    def __str__(self):
        return self.filename


class Rendition(db.Model):
    """One size of an image for one use, made by the worker."""

    __tablename__ = "renditions"
    __table_args__ = (UniqueConstraint("media_id", "name"),
                      Index("ix_renditions_state", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(16))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(64), default="image/jpeg")
    data = deferred(mapped_column(LargeBinary))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    claimed_at = mapped_column(UTCDateTime)
    rendered_at = mapped_column(UTCDateTime)

    media = relationship("Media", back_populates="renditions")


class DocumentMedia(db.Model):
    """An image a document carries, in order; a document detail like its tags (attaching is
    audited, it makes no new revision)."""

    __tablename__ = "document_media"
    __table_args__ = (UniqueConstraint("document_id", "media_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="RESTRICT"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[str] = mapped_column(String(16), default="image")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    document = relationship("Document")
    media = relationship("Media")
