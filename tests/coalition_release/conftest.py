"""A joint text agreed by its owner and a partner, and the people of both (and an outsider)."""
from datetime import timedelta

import pytest
from conftest import make_document, make_org, make_user, share

from commsdesk import workflow
from commsdesk.models import utcnow


class World:
    """The owner (Mitten) and a partner (Gröna) who both approved one press release."""

    def __init__(self):
        self.owner = make_org("mitten", "Mittenpartiet")
        self.green = make_org("gron", "Gröna")
        self.outsider = make_org("hoger", "Högern")
        self.editor = make_user(self.owner, "editor")
        self.approver = make_user(self.owner, "approver")
        self.green_editor = make_user(self.green, "editor")
        self.green_approver = make_user(self.green, "approver")
        self.green_contributor = make_user(self.green, "contributor")
        self.outsider_editor = make_user(self.outsider, "editor")
        self.doc = make_document(self.editor, title="Gemensamt utspel", body="Vi kräver *mer*.")
        share(self.doc, self.green)
        workflow.submit(self.editor, self.doc)
        workflow.approve(self.approver, self.doc)
        workflow.approve(self.green_approver, self.doc)
        assert self.doc.state == workflow.APPROVED


def soon(minutes=60):
    return utcnow() + timedelta(minutes=minutes)


@pytest.fixture
def world():
    return World()
