"""Every refusal of /api/v1 is a JSON 4xx with a clear message, never a 500 or an HTML page."""
import json

import pytest
from conftest import api_as, assert_documented, make_document, make_org, make_user
from sqlalchemy import func, select

from commsdesk import people
from commsdesk.extensions import db
from commsdesk.models import ApiToken, Document, Revision, utcnow

EN = {"Accept-Language": "en"}


def assert_error(response, status, *words):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.is_json, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["status"] == status and error["message"]
    for word in words:
        assert word.lower() in error["message"].lower(), error["message"]
    return error


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def api(editor):
    return api_as(editor)


@pytest.fixture
def doc(editor):
    return make_document(editor, body="Orörd")


# --- authentication ------------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Bearer cd_wrong",
                                   "Basic dXNlcjpwYXNz", "Token cd_x", "cd_raw-token-only"])
def test_missing_or_invalid_token_is_401(client, doc, header):
    headers = {**EN, "Authorization": header} if header is not None else EN
    for path in ("/api/v1/documents", f"/api/v1/documents/{doc.id}"):
        response = client.get(path, headers=headers)
        assert_error(response, 401, "token")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert_documented(response, "GET", path)
    response = client.post("/api/v1/documents", json={"kind": "letter", "title": "T"},
                           headers=headers)
    assert_error(response, 401)
    assert count(Document) == 1


def test_bearer_scheme_is_case_insensitive(client, editor):
    token = people.issue_token(editor)
    response = client.get("/api/v1/documents", headers={"Authorization": f"bearer {token}"})
    assert response.status_code == 200


def test_disabled_user_token_is_401(client, editor, doc):
    token = people.issue_token(editor)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/documents", headers=headers).status_code == 200
    people.set_active(None, editor, False)
    assert_error(client.get("/api/v1/documents", headers=headers), 401)
    assert_error(client.get(f"/api/v1/documents/{doc.id}", headers=headers), 401)


def test_revoked_token_is_401(client, editor):
    token = people.issue_token(editor)
    row = db.session.scalars(select(ApiToken)).one()
    row.revoked_at = utcnow()
    db.session.commit()
    assert_error(client.get("/api/v1/documents", headers={"Authorization": f"Bearer {token}"}),
                 401)


def test_user_without_organisation_is_403(client):
    superuser = people.create_user("root@example.org", "root", "admin", None,
                                   password="correct horse battery", superuser=True)
    token = people.issue_token(superuser)
    response = client.get("/api/v1/documents",
                          headers={**EN, "Authorization": f"Bearer {token}"})
    assert_error(response, 403, "organisation")


def test_session_cookie_is_not_enough(editor_client, doc):
    """A signed-in browser has no API access without a token (and so needs no CSRF here)."""
    assert_error(editor_client.get(f"/api/v1/documents/{doc.id}"), 401)


# --- unknown paths and methods -------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/documents/abc",
                                  "/api/v1/documents/0", "/api/v1/documents/-1",
                                  "/api/v1/documents/99999999999999999999999",
                                  "/api/v1/documents/1/revisions/99999999999999999999",
                                  "/api/v1/", "/api/v1/documents/1/nothing"])
def test_unknown_api_paths_are_json_404(client, editor, path):
    token = people.issue_token(editor)
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        assert_error(client.get(path, headers=headers), 404)
        response = client.post(path, json={}, headers=headers)
        # POST is allowed on none of these; werkzeug may say so (405) before "no such id".
        assert_error(response, response.status_code)
        assert response.status_code in (404, 405)


def test_unknown_document_is_404(api, doc):
    assert_error(api.get("/documents/999999"), 404, "no such document")
    assert_error(api.get("/documents/999999/revisions"), 404)
    assert_error(api.patch("/documents/999999", json={"body": "x"}, etag='"1"'), 404)
    assert_error(api.get(f"/documents/{doc.id}/revisions/999999"), 404, "revision")


@pytest.mark.parametrize("method, path", [
    ("DELETE", "/api/v1/documents/{id}"), ("PUT", "/api/v1/documents/{id}"),
    ("POST", "/api/v1/documents/{id}"), ("PATCH", "/api/v1/documents"),
    ("DELETE", "/api/v1/documents"), ("POST", "/api/v1/documents/{id}/revisions"),
    ("POST", "/api/v1/openapi.json"),
])
def test_wrong_method_is_json_405(client, editor, doc, method, path):
    token = people.issue_token(editor)
    response = client.open(path.format(id=doc.id), method=method, json={},
                           headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 405)
    assert revision_count(doc) == 1


def revision_count(doc):
    return db.session.scalar(select(func.count()).where(Revision.document_id == doc.id))


# --- request bodies ---------------------------------------------------------------------------

def raw_post(api, body, content_type="application/json", path="/documents", method="POST",
             headers=None):
    headers = {"Content-Type": content_type, **(headers or {})}
    return api.request(method, path, data=body, headers=headers)


@pytest.mark.parametrize("body", ["{", "kind=letter&title=x", '{"kind": "letter",}',
                                  "\xff\xfe{", '{"title": NaN}', '{"a": Infinity}',
                                  "[" * 100_000 + "]" * 100_000, '{"n": ' + "1" * 5000 + "}"])
def test_invalid_json_is_400(api, body):
    assert_error(raw_post(api, body.encode("latin-1")), 400, "JSON")
    assert count(Document) == 0


@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null", "true",
                                  '[{"kind": "letter", "title": "x"}]'])
def test_json_that_is_not_an_object_is_422(api, body):
    assert_error(raw_post(api, body), 422, "object")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", ""])
def test_body_not_sent_as_json_is_415(api, content_type):
    body = json.dumps({"kind": "letter", "title": "x"})
    assert_error(raw_post(api, body, content_type), 415, "application/json")
    assert count(Document) == 0


def test_empty_body_is_400(api, doc):
    assert_error(raw_post(api, b""), 400)
    assert_error(raw_post(api, b"", path=f"/documents/{doc.id}", method="PATCH",
                          headers={"If-Match": f'"{doc.current_revision_id}"'}), 400)


def test_oversized_body_is_json_413(api, app, doc):
    limit = app.config["MAX_CONTENT_LENGTH"]
    big = json.dumps({"kind": "letter", "title": "x", "body": "a" * limit}).encode()
    error = assert_error(raw_post(api, big), 413, "too large")
    assert error["limit"] == limit
    response = raw_post(api, big, path=f"/documents/{doc.id}", method="PATCH",
                        headers={"If-Match": f'"{doc.current_revision_id}"'})
    assert_error(response, 413)
    assert count(Document) == 1 and revision_count(doc) == 1


def test_body_over_the_text_limit_but_under_1_mib_is_422(api):
    response = api.post("/documents", json={"kind": "letter", "title": "x", "body": "a" * 200_001})
    assert_error(response, 422, "too long")


# --- validation: create -------------------------------------------------------------------

BASE = {"kind": "press_release", "title": "Rubrik"}


@pytest.mark.parametrize("payload, field", [
    ({"kind": "pamphlet", "title": "x"}, "kind"),
    ({"title": "x"}, "kind"),
    ({"kind": None, "title": "x"}, "kind"),
    ({"kind": ["letter"], "title": "x"}, "kind"),
    ({"kind": {"a": 1}, "title": "x"}, "kind"),
    ({"kind": "letter"}, "title"),
    ({"kind": "letter", "title": "   "}, "title"),
    ({"kind": "letter", "title": None}, "title"),
    ({**BASE, "title": 42}, "title"),
    ({**BASE, "title": ["a"]}, "title"),
    ({**BASE, "title": "x" * 301}, "title"),
    ({**BASE, "body": 123}, "body"),
    ({**BASE, "body": {"text": "x"}}, "body"),
    ({**BASE, "lead": True}, "lead"),
    ({**BASE, "fields": ["contact"]}, "fields"),
    ({**BASE, "fields": []}, "fields"),
    ({**BASE, "fields": "contact"}, "fields"),
    ({**BASE, "fields": {"contact": 5}}, None),
    ({**BASE, "fields": {"embargo": "tomorrow"}}, None),
    ({**BASE, "fields": {"embargo": "0001-01-01T00:00:00"}}, None),
    ({**BASE, "fields": {"embargo": "9999-12-31T23:59:59-05:00"}}, None),
    ({**BASE, "fields": {"embargo": {"at": 1}}}, None),
    ({"kind": "op_ed", "title": "x", "fields": {"length_limit": "lång"}}, None),
    ({"kind": "op_ed", "title": "x", "fields": {"length_limit": -5}}, None),
    ({"kind": "op_ed", "title": "x", "fields": {"length_limit": [1]}}, None),
    ({"kind": "social_post", "title": "x", "variants": ["x"]}, "variants"),
    ({"kind": "social_post", "title": "x", "variants": {"x": 5}}, None),
    ({**BASE, "tags": 5}, "tags"),
    ({**BASE, "tags": "a,b"}, "tags"),
    ({**BASE, "tags": [1, 2]}, "tags"),
    ({**BASE, "tags": [["a"]]}, "tags"),
    ({**BASE, "tags": {"a": 1}}, "tags"),
    ({**BASE, "tags": [f"t{n}" for n in range(21)]}, "tags"),
    ({**BASE, "tags": ["x" * 61]}, "tags"),
    ({**BASE, "deadline": "garbage"}, "deadline"),
    ({**BASE, "deadline": "2030-13-45"}, "deadline"),
    ({**BASE, "deadline": 1700000000}, "deadline"),
    ({**BASE, "deadline": ["2030-01-01"]}, "deadline"),
    ({**BASE, "deadline": True}, "deadline"),
    ({**BASE, "deadline": "0001-01-01T00:00"}, "deadline"),
    ({**BASE, "owner_id": "abc"}, "owner_id"),
    ({**BASE, "owner_id": "²"}, "owner_id"),
    ({**BASE, "owner_id": True}, "owner_id"),
    ({**BASE, "owner_id": 1.5}, "owner_id"),
    ({**BASE, "owner_id": 10**30}, "owner_id"),
    ({**BASE, "owner_id": -1}, "owner_id"),
    ({**BASE, "owner_id": 999999}, "owner_id"),
    ({**BASE, "title": "a\x00b"}, None),
    ({**BASE, "body": "ok", "fields": {"contact": "\x00"}}, None),
    ({**BASE, "tags": ["a\x00"]}, None),
])
def test_invalid_create_is_422_and_creates_nothing(api, payload, field):
    error = assert_error(api.post("/documents", json=payload), 422)
    if field:
        assert error.get("field") == field, error
    assert count(Document) == 0 and count(Revision) == 0


@pytest.mark.parametrize("depth", [17, 900])
def test_deeply_nested_body_is_422(api, depth):
    nested = "[" * depth + "]" * depth
    body = '{"kind": "op_ed", "title": "x", "fields": {"signatories": ' + nested + "}}"
    assert_error(raw_post(api, body), 422, "nested")
    body = '{"kind": "op_ed", "title": "x", "fields": {"signatories": [["a"], "b"]}}'
    assert raw_post(api, body).status_code == 201


def test_unpaired_surrogate_is_422(api):
    body = '{"kind": "letter", "title": "\\ud800"}'
    assert_error(raw_post(api, body), 422, "unicode")
    assert count(Document) == 0


def test_odd_but_valid_json_is_accepted(api):
    """Odd yet harmless input is accepted: unknown keys, unknown fields, big unicode."""
    response = api.post("/documents", json={**BASE, "unknown": {"deep": [1, 2]},
                                            "fields": {"nonexistent": "x"},
                                            "title": "Emoji 👩‍👩‍👧 och å ä ö", "lead": None})
    assert response.status_code == 201
    assert "nonexistent" not in response.get_json()["content"]["fields"]


# --- validation: update --------------------------------------------------------------------

def test_missing_if_match_is_428_and_changes_nothing(api, doc):
    error = assert_error(api.patch(f"/documents/{doc.id}", json={"body": "Ny"}), 428, "If-Match")
    assert "current_revision_id" not in error
    assert_error(api.patch(f"/documents/{doc.id}", json={"body": "Ny"}, etag=""), 428)
    assert_error(api.patch(f"/documents/{doc.id}", json={"body": "Ny"}, etag="*"), 428)
    assert revision_count(doc) == 1


@pytest.mark.parametrize("etag", ['"abc"', '"999999"', '"99999999999999999999999"', "W/",
                                  '"-1"', '"1.5"', '"²"'])
def test_if_match_naming_no_revision_is_412(api, doc, etag):
    assert_error(api.patch(f"/documents/{doc.id}", json={"body": "Ny"}, etag=etag), 412)
    assert revision_count(doc) == 1


def test_if_match_list_containing_the_current_revision_is_accepted(api, doc):
    etag = f'"999999", "{doc.current_revision_id}"'
    assert api.patch(f"/documents/{doc.id}", json={"body": "Ny"}, etag=etag).status_code == 200


@pytest.mark.parametrize("payload", [
    {"title": ""}, {"title": None}, {"body": 5}, {"lead": []}, {"fields": ["x"]},
    {"fields": {"embargo": "inte ett datum"}}, {"tags": 3}, {"tags": [None]},
    {"deadline": "i morgon"}, {"deadline": 20300101}, {"owner_id": "1"}, {"note": 5},
    {"body": "ok", "note": ["x"]}, {"body": "a\x00"},
])
def test_invalid_update_is_422_and_changes_nothing(api, doc, payload):
    response = api.patch(f"/documents/{doc.id}", json=payload,
                         etag=f'"{doc.current_revision_id}"')
    assert_error(response, 422)
    db.session.expire_all()
    assert revision_count(doc) == 1
    assert doc.current_revision.content["body"] == "Orörd" and doc.tags == []
    assert doc.deadline is None


def test_update_body_errors(api, doc):
    headers = {"If-Match": f'"{doc.current_revision_id}"'}
    path = f"/documents/{doc.id}"
    assert_error(raw_post(api, "{", path=path, method="PATCH", headers=headers), 400)
    assert_error(raw_post(api, "[1]", path=path, method="PATCH", headers=headers), 422)
    assert_error(raw_post(api, '{"body": "x"}', "text/plain", path=path, method="PATCH",
                          headers=headers), 415)
    assert revision_count(doc) == 1


# --- query parameters -----------------------------------------------------------------------

@pytest.mark.parametrize("query, field", [
    ("page=0", "page"), ("page=-1", "page"), ("page=abc", "page"), ("page=1.5", "page"),
    ("page=99999999999999999999", "page"), ("page=100001", "page"), ("page=²", "page"),
    ("per_page=0", "per_page"), ("per_page=x", "per_page"),
    ("per_page=99999999999999999999999", "per_page"),
    ("owner=abc", "owner"), ("owner=99999999999999999999", "owner"), ("owner=²", "owner"),
    ("kind=pamphlet", "kind"), ("q=" + "x" * 501, "q"), ("q=a%00b", "q"), ("tag=%00", "tag"),
    ("state=%00", "state"),
])
def test_bad_list_parameters_are_422(api, query, field):
    error = assert_error(api.get(f"/documents?{query}"), 422)
    assert error["field"] == field


def test_odd_but_valid_list_parameters(api, doc):
    for query in ("q=%25", "q=%5C", "q=' OR 1=1 --", "tag=%25", "state=x%27",
                  "page=", "per_page=", "owner=", "q=" + "a " * 100):
        response = api.get(f"/documents?{query}")
        assert response.status_code == 200, query


@pytest.mark.parametrize("query, status", [
    ("", 422), ("from=1", 422), ("to=1", 422), ("from=x&to=1", 422), ("from=1&to=²", 422),
    ("from=0&to=1", 422), ("from=99999999999999999999&to=1", 422), ("from=999&to=998", 404),
])
def test_bad_diff_parameters(api, doc, query, status):
    assert_error(api.get(f"/documents/{doc.id}/diff?{query}"), status)


def test_errors_are_not_cached_sessions(api, doc, editor):
    """After a refused request the next one on the same connection works normally."""
    assert_error(api.post("/documents", json={**BASE, "tags": 5}), 422)
    assert api.post("/documents", json=BASE).status_code == 201
    assert count(Document) == 2


def test_another_organisations_document_is_404_not_403(doc):
    outsider = api_as(make_user(make_org("annan"), "contributor"))
    for response in (outsider.get(f"/documents/{doc.id}"),
                     outsider.patch(f"/documents/{doc.id}", json={"body": "x"},
                                    etag=f'"{doc.current_revision_id}"')):
        assert_error(response, 404, "no such document")
