"""All tables, imported here so Alembic and the app see every model."""
from .audit import AuditEntry
from .base import UTCDateTime, utcnow
from .coalition import Share, Signatory
from .documents import Autosave, Document, Revision, document_tags
from .mail import OutgoingEmail
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
from .review import (
    Approval,
    Comment,
    KindPolicy,
    Notification,
    NotificationPreference,
    PreviewLink,
    ReviewRequest,
    Suggestion,
)

__all__ = [
    "ROLES",
    "ApiToken",
    "Approval",
    "AuditEntry",
    "Autosave",
    "Comment",
    "Document",
    "KindPolicy",
    "LoginAttempt",
    "LoginSession",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OrganisationSetting",
    "OutgoingEmail",
    "PreviewLink",
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
