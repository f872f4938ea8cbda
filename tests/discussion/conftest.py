"""Three organisations: the owner of a document, a partner it is shared with, and a stranger."""
from dataclasses import dataclass

import pytest
from conftest import make_document, make_org, make_user, share

from commsdesk.models import User


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


@pytest.fixture
def world():
    mitten, gronska, annat = make_org("mitten"), make_org("gronska"), make_org("annat")
    editor = make_user(mitten, "editor", email="eva.sjoberg@mitten.example")
    colleague = make_user(mitten, "editor", email="olle@mitten.example")
    contributor = make_user(mitten, "contributor", email="kim@mitten.example")
    stranger = make_user(annat, "editor", email="sven@annat.example")
    doc = make_document(editor, title="Skolan först", lead="Vi kräver **fler** lärare.",
                        body="Alla barn ska ha en behörig lärare.\n\nDet kostar 2 miljarder.")
    # Shared before the partner's users join, so the share's review requests are nobody's
    # notices and the tests count only what discussion sends.
    share(doc, gronska)
    partner = make_user(gronska, "editor", email="per@gronska.example")
    partner_b = make_user(gronska, "approver", email="lisa@gronska.example")
    return World(mitten, gronska, annat, editor, colleague, contributor, partner, partner_b,
                 stranger, doc)
