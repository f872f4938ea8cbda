"""Three organisations: the owner of a document, a partner it is shared with, and a stranger."""
from dataclasses import dataclass

import pytest
from conftest import make_document, make_org, make_user

from commsdesk import people
from commsdesk.extensions import db
from commsdesk.models import Share, User


@dataclass
class World:
    owner_org: object
    partner_org: object
    stranger_org: object
    editor: User        # owns the document
    colleague: User     # another editor of the owning organisation
    contributor: User   # of the owning organisation, not the document's owner
    partner: User       # editor of the partner organisation
    partner_b: User     # approver of the partner organisation
    stranger: User      # editor of an organisation the document is not shared with
    doc: object


def share(doc, org, by):
    """Share a document directly (the coalition module's job; rows suffice here)."""
    db.session.add(Share(document_id=doc.id, organisation_id=org.id, created_by_id=by.id))
    db.session.commit()


@pytest.fixture
def world():
    mitten, gronska, annat = make_org("mitten"), make_org("gronska"), make_org("annat")
    editor = make_user(mitten, "editor", email="eva.sjoberg@mitten.example")
    colleague = make_user(mitten, "editor", email="olle@mitten.example")
    contributor = make_user(mitten, "contributor", email="kim@mitten.example")
    partner = make_user(gronska, "editor", email="per@gronska.example")
    partner_b = make_user(gronska, "approver", email="lisa@gronska.example")
    stranger = make_user(annat, "editor", email="sven@annat.example")
    doc = make_document(editor, title="Skolan först", lead="Vi kräver **fler** lärare.",
                        body="Alla barn ska ha en behörig lärare.\n\nDet kostar 2 miljarder.")
    share(doc, gronska, editor)
    return World(mitten, gronska, annat, editor, colleague, contributor, partner, partner_b,
                 stranger, doc)


@pytest.fixture
def login(app):
    """login(user) -> a fresh browser (test client) signed in as that user."""
    def _login(user):
        client = app.test_client()
        response = client.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return client
    return _login


@pytest.fixture
def api_as(client):
    from api.conftest import Api

    return lambda user: Api(client, people.issue_token(user))


__all__ = ["make_document", "make_org", "make_user", "share"]
