"""Rows for the composition tests: documents of the email kinds and sent mailings, made
directly (the sending engine is another part's)."""
import pytest
from conftest import make_document, make_org, make_user

from commsdesk.extensions import db
from commsdesk.models import Mailing, OrganisationSetting
from commsdesk.times import utcnow

MEETING = {"starts_at": "2026-12-01T18:00", "ends_at": "2026-12-01T20:00",
           "place": "Folkets hus", "agenda": "1. Öppnande\n2. Val",
           "documents": "https://example.org/handlingar.pdf", "rsvp_by": "2026-11-30T12:00"}


@pytest.fixture
def team():
    org = make_org()
    return {"org": org, "editor": make_user(org, "editor"), "admin": make_user(org, "admin"),
            "other": make_user(make_org("annan"), "editor")}


def newsletter(user, body="Läs [mer](https://example.org/a?b=1&c=2).", **fields):
    return make_document(user, kind="newsletter", title="Nytt från oss", body=body,
                         fields={"subject": "Veckans nyheter", "preheader": "Det här hände",
                                 **fields})


def meeting_doc(user, **fields):
    return make_document(user, kind="meeting_notice", title="Årsmöte", body="Välkomna!",
                         fields={**MEETING, **fields})


def sent_mailing(doc, kind="newsletter", started=True, html="", **extra):
    row = Mailing(organisation_id=doc.organisation_id, document_id=doc.id,
                  revision_id=doc.current_revision_id, kind=kind, audience={"all_members": True},
                  subject="s", html_template=html, text_template="", state="sending",
                  started_at=utcnow() if started else None, created_by_id=doc.owner_id, **extra)
    db.session.add(row)
    db.session.commit()
    return row


def turn_on_tracking(org):
    db.session.add(OrganisationSetting(organisation_id=org.id, name="mail.tracking", value="1"))
    db.session.commit()
