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
    "Approval", "Comment", "KindPolicy", "Notification", "NotificationPreference",
    "PreviewLink", "ReviewRequest", "Share", "Signatory", "Suggestion",
    "ROLES", "ApiToken", "AuditEntry", "Autosave", "Document", "LoginAttempt", "LoginSession",
    "Organisation", "OrganisationSetting", "OutgoingEmail", "Revision", "Tag", "User",
    "UTCDateTime", "document_tags", "utcnow",
]
