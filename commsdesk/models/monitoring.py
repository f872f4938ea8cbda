"""Monitoring (omvärldsbevakning): the sources an organisation follows, the items fetched
from them, its watch lists and the matches found in items."""
from sqlalchemy import (
    JSON,
    Boolean,
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

# feed: an RSS or Atom feed; documents_page: a web page that lists meeting documents
# (kallelser, handlingar, protokoll) as PDF links.
SOURCE_KINDS = ("feed", "documents_page")
# One fetch of a source: ok (new or no new items), not_modified (304), error.
CHECK_OUTCOMES = ("ok", "not_modified", "error")
# The triage inbox.
ITEM_STATES = ("new", "read", "flagged", "archived")
# entry: an entry of a feed; pdf: a meeting document found on a documents page.
ITEM_KINDS = ("entry", "pdf")
# instant: in the inbox (and by email) at once; digest: in a daily digest email.
WATCH_DELIVERY = ("instant", "digest")

watch_list_recipients = Table(
    "watch_list_recipients",
    db.metadata,
    Column("watch_list_id", ForeignKey("watch_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Source(db.Model):
    __tablename__ = "monitor_sources"
    __table_args__ = (
        UniqueConstraint("organisation_id", "url"),
        Index("ix_monitor_sources_due", "active", "next_poll_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="feed")
    name: Mapped[str] = mapped_column(String(200))
    # What is fetched (the feed, or the page listing PDFs) and the site it belongs to.
    url: Mapped[str] = mapped_column(String(2000))
    site_url: Mapped[str] = mapped_column(String(2000), default="")
    interval_minutes: Mapped[int] = mapped_column(Integer, default=30)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Conditional GET: what the server last sent.
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    next_poll_at = mapped_column(UTCDateTime)
    last_polled_at = mapped_column(UTCDateTime)
    last_success_at = mapped_column(UTCDateTime)
    # The last error in plain words (None after a success), and how many polls in a row failed.
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    # A worker claims a poll before fetching, so two workers never poll one source at once.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    organisation = relationship("Organisation")

    def __str__(self):
        return self.name


class SourceCheck(db.Model):
    """One poll of a source, for its health over time (only the latest few are kept)."""

    __tablename__ = "monitor_source_checks"
    __table_args__ = (Index("ix_monitor_source_checks_source_at", "source_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("monitor_sources.id", ondelete="CASCADE"))
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    outcome: Mapped[str] = mapped_column(String(20))
    status: Mapped[int | None] = mapped_column(Integer)  # the HTTP status, if any answer came
    new_items: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class Item(db.Model):
    """A news item or meeting document, de-duplicated per organisation by `dedup_key`."""

    __tablename__ = "monitor_items"
    __table_args__ = (
        UniqueConstraint("organisation_id", "dedup_key"),
        Index("ix_monitor_items_org_state_seen", "organisation_id", "state", "fetched_at"),
        Index("ix_monitor_items_org_link", "organisation_id", "link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitor_sources.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="entry")
    # sha256 hex of the guid, or of the canonical link when the entry has no guid.
    dedup_key: Mapped[str] = mapped_column(String(64))
    guid: Mapped[str] = mapped_column(String(2000), default="")
    link: Mapped[str] = mapped_column(String(2000), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    author: Mapped[str] = mapped_column(String(300), default="")
    # Sanitised HTML (nh3) of the summary or content, safe to show as it is.
    summary_html: Mapped[str] = mapped_column(Text, default="")
    # Plain text for matching and search; for a PDF the pages' texts joined.
    text: Mapped[str] = mapped_column(Text, default="")
    # For a PDF: the text of each page, in order, so a match can name its page.
    pages = mapped_column(JSON)
    # sha256 of the fetched body (a PDF that changed under the same link is read again).
    content_hash: Mapped[str | None] = mapped_column(String(64))
    # Conditional GET of a PDF: what its server last sent, so an unchanged PDF is not read again.
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    published_at = mapped_column(UTCDateTime)
    fetched_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    state: Mapped[str] = mapped_column(String(20), default="new")
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    source = relationship("Source")
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])

    def __str__(self):
        return self.title or self.link or f"#{self.id}"


class ItemNote(db.Model):
    __tablename__ = "monitor_item_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("monitor_items.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    author = relationship("User")


class WatchList(db.Model):
    """Words and phrases to watch for (a term in double quotes is an exact phrase)."""

    __tablename__ = "watch_lists"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    terms: Mapped[list] = mapped_column(JSON, default=list)
    delivery: Mapped[str] = mapped_column(String(20), default="instant")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    recipients = relationship("User", secondary=watch_list_recipients, order_by="User.name")

    def __str__(self):
        return self.name


class ItemMatch(db.Model):
    """A watch list's term found in an item (on `page` of a PDF), and whom it was told to."""

    __tablename__ = "monitor_item_matches"
    __table_args__ = (
        UniqueConstraint("item_id", "watch_list_id", "term", "page"),
        Index("ix_monitor_item_matches_digest", "watch_list_id", "digested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("monitor_items.id", ondelete="CASCADE"),
                                         index=True)
    watch_list_id: Mapped[int] = mapped_column(
        ForeignKey("watch_lists.id", ondelete="CASCADE"))
    term: Mapped[str] = mapped_column(String(200))
    page: Mapped[int | None] = mapped_column(Integer)  # 1-based page of a PDF
    snippet: Mapped[str] = mapped_column(Text, default="")  # plain text around the match
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    notified_at = mapped_column(UTCDateTime)
    digested_at = mapped_column(UTCDateTime)

    item = relationship("Item")
    watch_list = relationship("WatchList")
