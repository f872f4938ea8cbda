"""A small coalition: the owning organisation, two partners and an outsider, with clients."""
import pytest
from api.conftest import Api
from conftest import make_document, make_org, make_user

from commsdesk import coalition, people


class World:
    """Organisations and users for coalition tests; `client(user)` logs a fresh client in."""

    def __init__(self, app):
        self.app = app
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

    def client(self, user):
        client = self.app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages are looked for in English
        response = client.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return client

    def api(self, user):
        return Api(self.app.test_client(), people.issue_token(user))

    def share(self, *orgs):
        for org in orgs:
            coalition.share(self.editor, self.doc, org)


@pytest.fixture
def world(app):
    return World(app)

