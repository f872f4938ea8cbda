"""All tables, imported here so Alembic and the app see every model."""
from .audience import (
    MEMBER_STATES,
    SUPPRESSION_REASONS,
    TOPICS,
    Member,
    PressContact,
    PressList,
    Segment,
    Suppression,
    press_list_contacts,
)
from .audit import AuditEntry
from .base import UTCDateTime, utcnow
from .calendar import CalendarFeed
from .coalition import JointRelease, Share, Signatory
from .discussion import Comment, Suggestion
from .documents import Autosave, Document, Revision, document_tags
from .mail import OutgoingEmail
from .mailings import (
    DELIVERY_STATES,
    MAILING_KINDS,
    MAILING_STATES,
    OPEN_MAILING_STATES,
    SETTLED_DELIVERY_STATES,
    Delivery,
    Mailing,
)
from .mastodon import MastodonApp
from .media import DocumentMedia, Media, Rendition
from .meetings import RSVP_ANSWERS, MeetingRsvp
from .member_imports import IMPORT_STATES, MemberImport
from .monitoring import (
    CHECK_OUTCOMES,
    ITEM_KINDS,
    ITEM_STATES,
    SOURCE_KINDS,
    WATCH_DELIVERY,
    Item,
    ItemMatch,
    ItemNote,
    Source,
    SourceCheck,
    WatchList,
    watch_list_recipients,
)
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
from .search import KIND_BITS, search_index
from .submissions import OPEN_SUBMISSION_STATES, SUBMISSION_STATES, Outlet, Submission
from .workflow import Approval, KindPolicy, ReviewRequest

__all__ = [
    "CHECK_OUTCOMES",
    "DELIVERY_STATES",
    "IMPORT_STATES",
    "ITEM_KINDS",
    "ITEM_STATES",
    "KIND_BITS",
    "MAILING_KINDS",
    "MAILING_STATES",
    "MEMBER_STATES",
    "OPEN_MAILING_STATES",
    "OPEN_STATES",
    "OPEN_SUBMISSION_STATES",
    "PUBLICATION_STATES",
    "ROLES",
    "RSVP_ANSWERS",
    "SETTLED_DELIVERY_STATES",
    "SOURCE_KINDS",
    "SUBMISSION_STATES",
    "SUPPRESSION_REASONS",
    "TOPICS",
    "WATCH_DELIVERY",
    "ApiToken",
    "Approval",
    "AuditEntry",
    "Autosave",
    "CalendarFeed",
    "Channel",
    "Comment",
    "Delivery",
    "Document",
    "DocumentMedia",
    "Item",
    "ItemMatch",
    "ItemNote",
    "JointRelease",
    "KindPolicy",
    "LoginAttempt",
    "LoginSession",
    "Mailing",
    "MastodonApp",
    "Media",
    "MeetingRsvp",
    "Member",
    "MemberImport",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OrganisationSetting",
    "OutgoingEmail",
    "Outlet",
    "PressContact",
    "PressList",
    "PreviewLink",
    "Publication",
    "Rendition",
    "ReviewRequest",
    "Revision",
    "Segment",
    "Share",
    "Signatory",
    "Source",
    "SourceCheck",
    "Submission",
    "Suggestion",
    "Suppression",
    "Tag",
    "UTCDateTime",
    "User",
    "WatchList",
    "document_tags",
    "press_list_contacts",
    "search_index",
    "utcnow",
    "watch_list_recipients",
]
