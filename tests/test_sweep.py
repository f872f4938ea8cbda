"""Input a security sweep sent: every page and endpoint answers a clear 4xx, never a 500
(SQLite and PostgreSQL)."""
import http.client
import io
import json
import threading

import pytest
from conftest import (
    API_PREFIX,
    api_as,
    assert_documented,
    login_as,
    make_document,
    make_user,
    share,
)
from sqlalchemy import func, select
from werkzeug.serving import make_server
from werkzeug.test import EnvironBuilder

from commsdesk import documents, notifications, people, previews
from commsdesk.extensions import db
from commsdesk.models import Comment, Document

HUGE = "9" * 20


@pytest.fixture
def world(app, org):
    from conftest import make_org

    editor = make_user(org, "editor")
    admin = make_user(org, "admin")
    op_ed = make_document(editor, kind="op_ed", title="Debatt")
    post = make_document(editor, kind="social_post", title="Inlägg")
    documents.save_revision(editor, op_ed, {"title": "Debatt", "body": "Andra"},
                            op_ed.current_revision_id)
    notifications.notify("review_requested", op_ed, admin, [editor])
    db.session.commit()
    share(op_ed, make_org("gron"))
    return {"editor": editor, "admin": admin, "op_ed": op_ed, "post": post}


# --- numbers in the API body ------------------------------------------------------------

@pytest.mark.parametrize("number", ["1e400", "-1e400", "1e308", HUGE * 20])
def test_api_length_limit_out_of_range_is_422(world, number):
    api = api_as(world["editor"])
    body = '{"kind": "op_ed", "title": "x", "fields": {"length_limit": ' + number + "}}"
    response = api.client.post(API_PREFIX + "/documents", data=body,
                               content_type="application/json",
                               headers={"Authorization": f"Bearer {api.token}"})
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    assert db.session.execute(select(func.count(Document.id))).scalar_one() == 2


# --- the editor's preview and autosave ----------------------------------------------------

# (draft, the kinds it is wrong for): a key a kind does not have is ignored, as in a save.
DRAFTS = [
    ('{"variants": {"x": 5}}', {"post"}),
    ('{"variants": {"x": ["a"]}}', {"post"}),
    ('{"variants": {"x": {"a": 1}}}', {"post"}),
    ('{"variants": {"x": null, "bluesky": true}}', {"post"}),
    ('{"fields": {"length_limit": Infinity}}', {"op_ed", "post"}),
    ('{"fields": {"length_limit": -Infinity}}', {"op_ed", "post"}),
    ('{"fields": {"length_limit": NaN}}', {"op_ed", "post"}),
    ('{"fields": {"length_limit": 1e400}}', {"op_ed", "post"}),
    ('{"fields": {"length_limit": ' + HUGE * 20 + "}}", {"op_ed"}),
    ('{"fields": {"length_limit": [1]}}', {"op_ed"}),
    ('{"fields": {"outlet": 5}}', {"op_ed"}),
    ('{"fields": 5}', {"op_ed", "post"}),
    ('{"body": 1e400}', {"op_ed", "post"}),
    ('{"body": {"a": 1}, "lead": ["b"]}', {"op_ed", "post"}),
    ('{"title": 5, "body": Infinity}', {"op_ed", "post"}),
    ('{"base_revision_id": 1e400}', {"op_ed", "post"}),
    ('{"base_revision_id": ' + HUGE + "}", set()),
    ('{"base_revision_id": "' + HUGE + '"}', set()),
    ('{"body": "a\\u0000b"}', {"op_ed", "post"}),
    ('{"body": "\\ud800"}', {"op_ed", "post"}),
    ("[1, 2]", {"op_ed", "post"}),
    ("not json", {"op_ed", "post"}),
]


def _post_raw(client, url, body):
    return client.post(url, data=body, content_type="application/json",
                       headers={"X-CSRFToken": client.csrf_token()})


@pytest.mark.parametrize("endpoint", ["preview", "autosave"])
@pytest.mark.parametrize(("body", "wrong_for"), DRAFTS)
@pytest.mark.parametrize("kind", ["op_ed", "post"])
def test_editor_json_endpoints_refuse_bad_drafts_with_4xx(app, world, endpoint, body,
                                                          wrong_for, kind):
    client = login_as(app, world["editor"])
    doc = world[kind]
    response = _post_raw(client, f"/documents/{doc.id}/{endpoint}", body)
    assert response.status_code < 500 and response.is_json
    if kind in wrong_for or (endpoint == "autosave" and "base_revision_id" in body):
        assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
        assert "error" in response.get_json()


@pytest.mark.parametrize("endpoint", ["preview", "autosave"])
def test_editor_json_endpoints_still_take_a_good_draft(app, world, endpoint):
    client = login_as(app, world["editor"])
    doc = world["post"]
    body = ('{"title": "Inlägg", "body": "Hej", "variants": {"x": "Hej X"}, '
            f'"base_revision_id": {doc.current_revision_id}}}')
    response = _post_raw(client, f"/documents/{doc.id}/{endpoint}", body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


# --- numbers in query parameters -------------------------------------------------------

def _pages(world):
    doc = world["op_ed"].id
    return [f"/documents?page={HUGE}", f"/documents?page=-{HUGE}", f"/documents?owner={HUGE}",
            f"/documents?owner=-{HUGE}", f"/documents?page={HUGE}&q=x",
            f"/documents/{doc}/diff?a={HUGE}", f"/documents/{doc}/diff?b={HUGE}",
            f"/documents/{doc}/diff?a={HUGE}&b=-{HUGE}",
            f"/documents/{doc}/comments?parent_id={HUGE}",
            f"/documents/{doc}/comments?parent_id=-{HUGE}",
            f"/inbox?page={HUGE}", f"/audit?page={HUGE}", f"/documents/{doc}/audit?page={HUGE}",
            f"/documents/{HUGE}", f"/documents/{HUGE}/diff", f"/inbox/{HUGE}/read"]


def test_huge_numbers_in_query_parameters_are_not_500(app, world):
    for user in (world["editor"], world["admin"]):
        client = login_as(app, user)
        for path in _pages(world):
            response = client.get(path)
            assert response.status_code < 500, (path, response.status_code)


@pytest.mark.parametrize("page", [HUGE, f"-{HUGE}", "0", "abc", "1e400"])
def test_a_page_number_past_the_end_shows_an_empty_page(app, world, page):
    client = login_as(app, world["admin"])
    for path in ("/documents", "/inbox", "/audit"):
        response = client.get(f"{path}?page={page}")
        assert response.status_code == 200, (path, response.status_code)


# --- NUL characters in forms and search ---------------------------------------------

def test_nul_in_search_and_forms_is_4xx_and_stores_nothing(app, world):
    client = login_as(app, world["editor"])
    doc = world["op_ed"]
    for path in ("/documents?q=a%00b", "/documents?tag=%00", "/documents?kind=%00",
                 "/documents?state=%00", "/documents?owner=%00", "/audit?action=%00",
                 f"/documents/{doc.id}/diff?a=%00", "/inbox?unread=%00"):
        response = client.get(path)
        assert 400 <= response.status_code < 500 or response.status_code == 200, path
        assert response.status_code != 500
    forms = [
        ("/documents/new", {"kind": "op_ed", "title": "a\x00b"}),
        (f"/documents/{doc.id}/edit", {"base_revision_id": doc.current_revision_id,
                                       "title": "Debatt", "body": "a\x00b"}),
        (f"/documents/{doc.id}/edit", {"base_revision_id": doc.current_revision_id,
                                       "title": "Debatt", "body": "ok", "tags": "a\x00"}),
        (f"/documents/{doc.id}/comments", {"body": "a\x00b"}),
        (f"/documents/{doc.id}/comments", {"body": "ok", "quote": "\x00"}),
        ("/account/language", {"lang-locale": "\x00"}),
    ]
    before = _counts()
    for path, data in forms:
        response = client.form(path, data)
        assert 400 <= response.status_code < 500, (path, response.status_code)
    assert _counts() == before


def test_nul_in_a_guest_comment_is_4xx(app, world):
    _link, raw = previews.create_link(world["editor"], world["op_ed"], "Anna")
    guest = app.test_client()
    response = guest.form(f"/p/{raw}", {"name": "Anna\x00", "body": "Hej"})
    assert 400 <= response.status_code < 500
    assert db.session.execute(select(func.count(Comment.id))).scalar_one() == 0


def test_nul_on_the_login_form_is_4xx(client, world):
    response = client.form("/login", {"email": "a\x00@example.org", "password": "x\x00y"})
    assert 400 <= response.status_code < 500


def _counts():
    return (db.session.execute(select(func.count(Document.id))).scalar_one(),
            db.session.execute(select(func.count(Comment.id))).scalar_one())


# --- a streamed body past the limit --------------------------------------------------

LIMIT = 2_000


def _streamed_environ(token, size):
    """What a server that decodes chunked transfer encoding passes on: the body's stream, no
    Content-Length, and wsgi.input_terminated."""
    body = b'{"kind": "op_ed", "title": "x", "body": "' + b"a" * size + b'"}'
    environ = EnvironBuilder(API_PREFIX + "/documents", method="POST",
                             input_stream=io.BytesIO(body),
                             headers={"Authorization": f"Bearer {token}",
                                      "Content-Type": "application/json"}).get_environ()
    del environ["CONTENT_LENGTH"]
    environ["wsgi.input_terminated"] = True
    return environ


@pytest.mark.parametrize(("size", "status"), [(LIMIT * 3, 413), (LIMIT - 100, 201)])
def test_a_chunked_body_past_the_limit_is_413(app, world, monkeypatch, size, status):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", LIMIT)
    client = app.test_client()
    response = client.open(_streamed_environ(people.issue_token(world["editor"]), size))
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert_documented(response, "POST", API_PREFIX + "/documents")
    if status == 413:
        assert response.get_json()["error"]["limit"] == LIMIT


def test_a_chunked_body_past_the_limit_is_413_through_a_real_server(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", LIMIT)
    token = people.issue_token(world["editor"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        chunks = iter([b'{"kind": "op_ed", "title": "x", "body": "'] + [b"a" * 500] * 12
                      + [b'"}'])
        connection.request("POST", API_PREFIX + "/documents", body=chunks,
                           headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": "application/json"},
                           encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["error"]["limit"] == LIMIT
        connection.close()
    finally:
        server.shutdown()
        thread.join(5)
