"""An import of members from a file: the uploaded file until it is confirmed or dropped,
the column mapping, progress while it runs and the report of rejected rows afterwards."""
from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

# uploaded: waits for the mapping and the user's confirmation (nothing written yet);
# running: confirmed, being checked and written; finished: written in one transaction;
# failed: nothing written (error says why); dropped: the user cancelled.
IMPORT_STATES = ("uploaded", "running", "finished", "failed", "dropped")


class MemberImport(db.Model):
    __tablename__ = "member_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    # The file as uploaded, kept only until the import ends (then emptied).
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)  # column index (str) -> field
    state: Mapped[str] = mapped_column(String(16), default="uploaded")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    suppressed: Mapped[int] = mapped_column(Integer, default=0)
    # The rejected rows with their reasons, as the CSV the user downloads.
    report: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    finished_at = mapped_column(UTCDateTime)
    # Set when the import starts and at each progress step: a running import whose thread
    # died (the server restarted) stops moving, and is then marked failed.
    progress_at = mapped_column(UTCDateTime)

    created_by = relationship("User")
