"""The audience of an organisation: members (special-category personal data: membership
reveals political opinion), segments, press contacts and lists, and the suppression list."""
from sqlalchemy import (
    JSON,
    Column,
    Date,
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

# pending: signed up, the confirmation link not yet followed (double opt-in);
# subscribed: receives what it chose; unsubscribed: receives nothing (and is suppressed).
MEMBER_STATES = ("pending", "subscribed", "unsubscribed")
# What a member may choose to receive on the preference page.
TOPICS = ("newsletter", "meetings")
SUPPRESSION_REASONS = ("unsubscribed", "hard_bounce", "erased", "complaint", "manual")


class Member(db.Model):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("organisation_id", "email"),
                      Index("ix_members_organisation_state", "organisation_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))  # stored lower-case
    phone: Mapped[str | None] = mapped_column(String(40))
    branch: Mapped[str | None] = mapped_column(String(200))  # municipality or local branch
    tags: Mapped[list] = mapped_column(JSON, default=list)
    topics: Mapped[list] = mapped_column(JSON, default=lambda: list(TOPICS))
    state: Mapped[str] = mapped_column(String(16), default="subscribed")
    # Consent: where it came from ("signup form", "import members.csv", "entered by hand"),
    # when, and the words the person agreed to, kept as shown.
    consent_source: Mapped[str | None] = mapped_column(String(200))
    consent_at = mapped_column(UTCDateTime)
    consent_text: Mapped[str | None] = mapped_column(Text)
    confirmed_at = mapped_column(UTCDateTime)
    member_since = mapped_column(Date)
    soft_bounces: Mapped[int] = mapped_column(Integer, default=0)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    organisation = relationship("Organisation")


class Segment(db.Model):
    """A saved filter over members, e.g. {"branches": ["Centrum"], "tags": ["skola"]}."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


press_list_contacts = Table(
    "press_list_contacts", db.metadata,
    Column("press_list_id", ForeignKey("press_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("press_contact_id", ForeignKey("press_contacts.id", ondelete="CASCADE"),
           primary_key=True),
)


class PressContact(db.Model):
    __tablename__ = "press_contacts"
    __table_args__ = (UniqueConstraint("organisation_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))  # stored lower-case
    outlet: Mapped[str | None] = mapped_column(String(200))
    beat: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    lists = relationship("PressList", secondary=press_list_contacts, back_populates="contacts")


class PressList(db.Model):
    __tablename__ = "press_lists"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    contacts = relationship("PressContact", secondary=press_list_contacts,
                            back_populates="lists")


class Suppression(db.Model):
    """An address that gets nothing from this organisation any more, kept only as the
    SHA-256 of its lower-cased form (so an erased member leaves no readable address)."""

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("organisation_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    email_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(20))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
