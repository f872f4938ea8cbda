"""All tables, imported here so Alembic and the app see every model."""
from .audit import AuditEntry
from .base import UTCDateTime, utcnow
from .calendar import CalendarFeed
from .coalition import JointRelease, Share, Signatory
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
from .submissions import OPEN_SUBMISSION_STATES, SUBMISSION_STATES, Outlet, Submission
from .workflow import Approval, KindPolicy, ReviewRequest

__all__ = [
    "OPEN_STATES",
    "OPEN_SUBMISSION_STATES",
    "PUBLICATION_STATES",
    "ROLES",
    "SUBMISSION_STATES",
    "ApiToken",
    "Approval",
    "AuditEntry",
    "Autosave",
    "CalendarFeed",
    "Channel",
    "Comment",
    "Document",
    "DocumentMedia",
    "JointRelease",
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
    "Outlet",
    "PreviewLink",
    "Publication",
    "Rendition",
    "ReviewRequest",
    "Revision",
    "Share",
    "Signatory",
    "Submission",
    "Suggestion",
    "Tag",
    "UTCDateTime",
    "User",
    "document_tags",
    "utcnow",
]
