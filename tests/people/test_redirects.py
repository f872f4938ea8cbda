"""`next` after login and after marking an inbox item read: only a path on this site."""
import pytest
from conftest import PASSWORD, login_as, make_document, make_user

from commsdesk import notifications
from commsdesk.extensions import db
from commsdesk.web import safe_next

HOSTILE_NEXT = [
    "%2F%09%2Fevil.example%2F",       # a tab between the slashes: browsers drop it
    "%2F%0A%2Fevil.example%2F",       # LF
    "%2F%0D%2Fevil.example%2F",       # CR
    "%2F%0D%0ALocation:%20https://evil.example/",
    "%09//evil.example/",
    "%20//evil.example/",
    "/%5C/evil.example/",
    "https:evil.example",
    "%E3%80%80//evil.example",      # an ideographic space
    "//evil.example",
    "///evil.example",
    "http://evil.example/",
]


def _location(response):
    return response.headers["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_next_never_leaves_the_site(client, editor, target):
    token = client.csrf_token()
    response = client.post(f"/login?next={target}", data={
        "csrf_token": token, "email": editor.email, "password": PASSWORD})
    assert response.status_code == 302
    assert _location(response) == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_page_of_a_signed_in_user_never_leaves_the_site(client, editor, target):
    login_as(client, editor)
    response = client.get(f"/login?next={target}")
    assert response.status_code == 302 and _location(response) == "/"


@pytest.mark.parametrize("target", [t.replace("%2F", "/") for t in HOSTILE_NEXT])
def test_inbox_read_next_never_leaves_the_site(app, org, target):
    from urllib.parse import unquote

    actor = make_user(org, "editor")
    reader = make_user(org, "approver")
    doc = make_document(actor)
    notifications.notify("review_requested", doc, actor, [reader])
    db.session.commit()
    item = notifications.inbox(reader)[0][0]
    client = login_as(app, reader)
    response = client.form(f"/inbox/{item.id}/read", {"next": unquote(target)})
    assert response.status_code == 302
    assert _location(response) == "/"


@pytest.mark.parametrize("target", ["/documents?kind=op_ed", "/inbox?unread=1",
                                    "/documents/3#comment-2", "/documents/%2F%2Fx"])
def test_a_local_next_is_kept(client, editor, target):
    token = client.csrf_token()
    from urllib.parse import quote

    response = client.post(f"/login?next={quote(target)}", data={
        "csrf_token": token, "email": editor.email, "password": PASSWORD})
    assert _location(response) == target


@pytest.mark.parametrize("target", ["/\t/evil.example/", "/\n/evil.example", "/\x00/x", "/\x7f",
                                    "/\u2028//evil.example", "/\u00a0", "//x", "///x", "/\\x",
                                    "", None, 5, "evil.example", "https://evil.example"])
def test_safe_next_refuses_what_a_browser_could_read_as_another_site(app, target):
    with app.test_request_context():
        assert safe_next(target) == "/"


def test_a_nul_in_next_is_refused_before_anything_happens(client, editor):
    token = client.csrf_token()
    response = client.post("/login?next=/%00/evil.example", data={
        "csrf_token": token, "email": editor.email, "password": PASSWORD})
    assert response.status_code == 422 and "Location" not in response.headers
