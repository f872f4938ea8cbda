"""A user of an organisation the document is not shared with gets 404 on every comment and
suggestion URL and API endpoint, and changes nothing; the owner and partner get through."""
import pytest
from conftest import api_as, login_as
from sqlalchemy import func, select

from commsdesk import discussion, documents
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Comment, Notification, Revision, Suggestion

API_ENDPOINTS = {"api.list_comments", "api.create_comment", "api.resolve_comment",
                 "api.reopen_comment", "api.list_suggestions", "api.create_suggestion",
                 "api.get_suggestion", "api.accept_suggestion", "api.reject_suggestion"}


def snapshot():
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Comment, Suggestion, Revision, Notification, AuditEntry))


def urls(app, prefix_filter, values):
    """Every (method, url) of the matching routes, with the given ids filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        if not prefix_filter(rule.endpoint):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            arguments = {name: values[name] for name in rule.arguments if name != "action"}
            actions = ["resolve", "reopen"] if "action" in rule.arguments else [None]
            for action in actions:
                args = dict(arguments, **({"action": action} if action else {}))
                with app.test_request_context():
                    from flask import url_for

                    found.append((method, url_for(rule.endpoint, **args)))
    return found


@pytest.fixture
def targets(world):
    w = world
    comment = discussion.add_comment(w.partner, w.doc, "Hemlig kommentar")
    item = discussion.create_suggestion(w.partner, w.doc, {"title": "Hemligt förslag"},
                                    w.doc.current_revision_id)
    return {"document_id": w.doc.id, "comment_id": comment.id, "suggestion_id": item.id}


def test_every_discussion_page_is_404_for_a_stranger(app, world, targets):
    browser = login_as(app, world.stranger)
    routes = urls(app, lambda e: e.startswith("discussion."), targets)
    assert len(routes) >= 10
    before = snapshot()
    for method, url in routes:
        if method == "GET":
            response = browser.get(url)
        else:
            response = browser.form(url, {"body": "x", "title": "x", "reason": "x",
                                          "base_revision_id": world.doc.current_revision_id})
        assert response.status_code == 404, (method, url)
        page = response.get_data(as_text=True)
        assert "Hemlig" not in page and world.doc.title not in page, url
    assert snapshot() == before


def test_every_discussion_endpoint_is_404_for_a_stranger(app, world, targets):
    api = api_as(world.stranger)
    routes = urls(app, lambda e: e in API_ENDPOINTS, targets)
    assert len(routes) == 9
    before = snapshot()
    payload = {"body": "x", "title": "x", "reason": "x",
               "base_revision_id": world.doc.current_revision_id}
    for method, url in routes:
        path = url.removeprefix("/api/v1")
        response = api.request(method, path, json=payload if method == "POST" else None)
        assert response.status_code == 404, (method, url)
        assert "Hemlig" not in response.get_data(as_text=True)
    assert snapshot() == before


def test_a_strangers_own_document_does_not_open_others_comments(world, targets):
    w = world
    own = documents.create_document(w.stranger, "press_release", {"title": "Eget"})
    api = api_as(w.stranger)
    assert api.post(f"/documents/{own.id}/comments/{targets['comment_id']}/resolve"
                    ).status_code == 404
    assert api.get(f"/documents/{own.id}/suggestions/{targets['suggestion_id']}"
                   ).status_code == 404
    assert api.post(f"/documents/{own.id}/suggestions/{targets['suggestion_id']}/accept"
                    ).status_code == 404
    assert api.post(f"/documents/{own.id}/comments",
                    json={"body": "x", "parent_id": targets["comment_id"]}).status_code == 404


def test_owner_and_partner_reach_every_page(app, world, targets):
    for user in (world.editor, world.partner, world.contributor):
        browser = login_as(app, user)
        for method, url in urls(app, lambda e: e.startswith("discussion."), targets):
            if method == "GET":
                assert browser.get(url).status_code == 200, (user.email, url)
