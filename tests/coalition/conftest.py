"""A small coalition: the owning organisation, two partners and an outsider."""
import pytest
from conftest import make_document, make_org, make_user


class World:
    """Organisations and users for coalition tests, and one document of the owner's editor."""

    def __init__(self):
        self.owner = make_org("mitten", "Mittenpartiet")
        self.green = make_org("gron", "Gröna")
        self.left = make_org("vanster", "Vänstern")
        self.outsider = make_org("hoger", "Högern")
        self.editor = make_user(self.owner, "editor")
        self.approver = make_user(self.owner, "approver")
        self.contributor = make_user(self.owner, "contributor")
        self.green_editor = make_user(self.green, "editor")
        self.green_approver = make_user(self.green, "approver")
        self.green_contributor = make_user(self.green, "contributor")
        self.left_editor = make_user(self.left, "editor")
        self.left_approver = make_user(self.left, "approver")
        self.outsider_editor = make_user(self.outsider, "editor")
        self.doc = make_document(self.editor, title="Gemensamt utspel", body="Vi kräver *mer*.")


@pytest.fixture
def world():
    return World()
