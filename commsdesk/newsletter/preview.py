"""Seeing an email before it goes out: the rendered message of a document's current
revision with the viewer's name and harmless sample links, and a test send to oneself."""
from flask_babel import gettext as _

from .. import audit, mail
from ..access import get_or_404, require_edit
from ..errors import NotFound
from ..extensions import db
from ..models import Document
from . import compose

# The document kinds that go out by email, and the mailing kind each is composed as.
EMAIL_KINDS = {"newsletter": "newsletter", "press_release": "press_release",
               "meeting_notice": "meeting_notice"}
TEST_PREFIX = "[Test] "


def email_document(user, document_id):
    """A document of the user's own organisation that can go out by email; NotFound for
    anything else (another organisation's, a partner's shared text, another kind)."""
    doc = get_or_404(Document, document_id, Document.organisation_id == user.organisation_id,
                     message=_("No such document."))
    if doc.kind not in EMAIL_KINDS:
        raise NotFound(_("This kind of document does not go out by email."))
    return doc


def rendered(user, doc):
    """(Composed, personalised HTML, personalised text) of the current revision as the user
    would receive it."""
    composed = compose.build(doc, doc.current_revision, EMAIL_KINDS[doc.kind])
    values = compose.sample_values(user.name)
    return (composed, compose.personalise(composed.html, values, html=True),
            compose.personalise(composed.text, values))


def send_test(user, doc):
    """Queue the current revision to the user's own address, subject marked [Test]; commits."""
    require_edit(user, doc)
    composed, html, text = rendered(user, doc)
    row = mail.queue(user.email, TEST_PREFIX + composed.subject, text, html,
                     organisation_id=doc.organisation_id)
    audit.record(user, "newsletter.test_sent", doc, revision=doc.current_revision.number)
    db.session.commit()
    return row
