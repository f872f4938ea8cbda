import io

import pytest
from conftest import login_as, make_org, make_user

from commsdesk.audience import members


@pytest.fixture
def office(app):
    org = make_org("mitten")
    return org, make_user(org, "editor")


@pytest.fixture
def steward(app, client, office):
    return login_as(client, office[1])


def upload(client, name, data):
    """Upload a file on the import form; the response (no redirect followed)."""
    return client.post("/members/import", data={
        "csrf_token": client.csrf_token(), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def add_member(user, email, **values):
    return members.add(user, {"email": email, "name": values.pop("name", email.split("@")[0]),
                              **values})
