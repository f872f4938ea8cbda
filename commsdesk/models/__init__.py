"""All tables, imported here so Alembic and the app see every model."""
from .audit import AuditEntry
from .base import UTCDateTime, utcnow
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

__all__ = [
    "ROLES", "ApiToken", "AuditEntry", "Autosave", "Document", "LoginAttempt", "LoginSession",
    "Organisation", "OrganisationSetting", "OutgoingEmail", "Revision", "Tag", "User",
    "UTCDateTime", "document_tags", "utcnow",
]
