"""All tables, imported here so Alembic and the app see every model."""
from .audit import AuditEntry
from .base import UTCDateTime, utcnow
from .calendar import CalendarFeed
from .coalition import Share, Signatory
from .discussion import Comment, Suggestion
from .documents import Autosave, Document, Revision, document_tags
from .mail import OutgoingEmail
from .mastodon import MastodonApp
from .media import DocumentMedia, Media, Rendition
from .notifications import Notification, NotificationPreference
from .people import (
    ROLES,
    ApiToken,
    LoginAttempt,
    LoginSession,
    Organisation,
    OrganisationSetting,
    Tag,
    User,
)
from .previews import PreviewLink
from .publishing import OPEN_STATES, PUBLICATION_STATES, Channel, Publication
from .workflow import Approval, KindPolicy, ReviewRequest

__all__ = [
    "OPEN_STATES",
    "PUBLICATION_STATES",
    "ROLES",
    "ApiToken",
    "Approval",
    "AuditEntry",
    "Autosave",
    "CalendarFeed",
    "Channel",
    "Comment",
    "Document",
    "DocumentMedia",
    "KindPolicy",
    "LoginAttempt",
    "LoginSession",
    "MastodonApp",
    "Media",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OrganisationSetting",
    "OutgoingEmail",
    "PreviewLink",
    "Publication",
    "Rendition",
    "ReviewRequest",
    "Revision",
    "Share",
    "Signatory",
    "Suggestion",
    "Tag",
    "UTCDateTime",
    "User",
    "document_tags",
    "utcnow",
]
