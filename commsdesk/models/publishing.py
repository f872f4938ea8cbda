"""Publishing: an organisation's channels and the outbox of publications (one row per
revision and channel, with the payload frozen when it was queued)."""
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

# queued: waiting for its time; sending: claimed by a worker; sent: out, with its URL;
# failed: gave up (the reason in last_error); uncertain: the outcome of an attempt is unknown
# and a person must check; cancelled: withdrawn before it went out; held: the approval was
# no longer valid at its time; waiting: due on a channel posted by hand, waiting for the
# person responsible to post it and say so.
PUBLICATION_STATES = ("queued", "sending", "waiting", "sent", "failed", "uncertain",
                      "cancelled", "held")
OPEN_STATES = ("queued", "sending", "waiting")
# Taking a sent publication down on its platform (withdraw_state): pending until the worker
# has done it (retried with backoff like sending), then done, or failed with withdraw_error.
# None: never withdrawn, or a channel with nothing to take down elsewhere (the newsroom).
WITHDRAW_STATES = ("pending", "done", "failed")


class Channel(db.Model):
    """A place an organisation publishes to: its newsroom, a WordPress site, later social
    networks. Settings are plain; credentials are encrypted (never shown again)."""

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    settings = mapped_column(JSON, nullable=False, default=dict)
    credentials: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # Who connected it (told when its credentials stop working).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when the platform refused the credentials (expired, revoked): needs reconnecting.
    problem: Mapped[str | None] = mapped_column(Text)
    problem_at = mapped_column(UTCDateTime)

    organisation = relationship("Organisation")
    owner = relationship("User")

    def __str__(self):
        return self.name


class Publication(db.Model):
    """One revision going out on one channel: the outbox row the worker claims and sends."""

    __tablename__ = "publications"
    __table_args__ = (
        Index("ix_publications_state_due", "state", "due_at"),
        Index("ix_publications_org_sent", "organisation_id", "state", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="RESTRICT"))
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="RESTRICT"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    due_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # When the text may be seen (a press release's embargo); None: as soon as it is sent.
    embargo_until = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(1000))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    payload = mapped_column(JSON, nullable=False)
    # Steps of a multi-step send already done (thread part ids, uploaded media, containers).
    progress = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    claimed_at = mapped_column(UTCDateTime)
    sent_at = mapped_column(UTCDateTime)
    # Set when the text was withdrawn after it went out (the newsroom answers 410).
    withdrawn_at = mapped_column(UTCDateTime)
    withdraw_state: Mapped[str | None] = mapped_column(String(16))
    withdraw_error: Mapped[str | None] = mapped_column(Text)
    withdraw_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    withdraw_due_at = mapped_column(UTCDateTime)
    # What a listing shows, copied from the payload at enqueue so that the newsroom's lists
    # never read the payload (the text's page still does).
    kind: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(String(1000))
    card_image: Mapped[str | None] = mapped_column(String(1000))

    document = relationship("Document")
    revision = relationship("Revision")
    channel = relationship("Channel")
    created_by = relationship("User")
