"""The OAuth application commsdesk registers on each Mastodon instance it connects to."""
from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class MastodonApp(db.Model):
    """One registered app per instance and installation (its callback address), reused by
    every channel connected there; its client id and secret are kept encrypted."""

    __tablename__ = "mastodon_apps"
    __table_args__ = (UniqueConstraint("instance_url", "redirect_uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_url: Mapped[str] = mapped_column(String(500))
    redirect_uri: Mapped[str] = mapped_column(String(1000))
    # {"client_id", "client_secret"} encrypted with channels.credentials.
    credentials: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
