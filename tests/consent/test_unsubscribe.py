"""Unsubscribing without a login: RFC 8058 one-click POST, the visible link (at once on
GET), undo, the preference page, altered tokens, and the contract's links/headers."""
import threading

import pytest
import requests
from conftest import make_org
from sqlalchemy import select
from werkzeug.serving import make_server

from commsdesk.audience import suppression, unsubscribe
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Member, Suppression

from .helpers import member

ONE_CLICK_BODY = "List-Unsubscribe=One-Click"


def _path(url):
    return url.removeprefix("http://localhost")


def test_links_and_headers_follow_rfc_8058(app):
    org = make_org()
    links = unsubscribe.links(org.id, "Eva@Example.org")
    assert set(links) == {"unsubscribe_url", "preferences_url", "one_click_url"}
    assert all(url.startswith("http://localhost/u/") for url in links.values())
    headers = unsubscribe.headers(org.id, "eva@example.org")
    assert headers == {"List-Unsubscribe": f"<{links['one_click_url']}>",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def test_one_click_post_unsubscribes_without_login_or_csrf(client):
    org = make_org()
    row = member(org, "eva@example.org")
    url = _path(unsubscribe.links(org.id, "eva@example.org")["one_click_url"])
    response = client.post(url, data=ONE_CLICK_BODY,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    db.session.refresh(row)
    assert row.state == "unsubscribed"
    assert db.session.execute(select(Suppression.reason)).scalar_one() == "unsubscribed"
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "member.unsubscribed")).scalar_one()
    assert entry.actor_id is None and entry.data["source"] == "one-click"
    # Again: still 200, nothing written twice.
    assert client.post(url, data=ONE_CLICK_BODY,
                       content_type="application/x-www-form-urlencoded").status_code == 200
    assert len(db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "member.unsubscribed")).all()) == 1


def test_a_get_of_the_one_click_address_changes_nothing(client):
    org = make_org()
    member(org, "eva@example.org")
    url = _path(unsubscribe.links(org.id, "eva@example.org")["one_click_url"])
    response = client.get(url)
    assert response.status_code == 302 and response.location.endswith("/preferences")
    assert db.session.execute(select(Member.state)).scalar_one() == "subscribed"


def test_one_click_against_a_live_server(app):
    org = make_org()
    row = member(org, "eva@example.org")
    url = _path(unsubscribe.links(org.id, "eva@example.org")["one_click_url"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        response = requests.post(f"http://127.0.0.1:{server.server_port}{url}",
                                 data={"List-Unsubscribe": "One-Click"}, timeout=10,
                                 allow_redirects=False)
    finally:
        server.shutdown()
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Member, row.id).state == "unsubscribed"


def test_visible_link_unsubscribes_at_once_and_undo_brings_back(client):
    org = make_org()
    row = member(org, "eva@example.org")
    url = _path(unsubscribe.links(org.id, "eva@example.org")["unsubscribe_url"])
    page = client.get(url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "You are unsubscribed" in text
    assert "Subscribe again" in text and "/preferences" in text
    db.session.refresh(row)
    assert row.state == "unsubscribed" and suppression.is_suppressed(org.id, row.email)
    response = client.form(url + "/undo")
    assert response.status_code == 200
    db.session.refresh(row)
    assert row.state == "subscribed" and not suppression.is_suppressed(org.id, row.email)


def test_undo_never_lifts_a_bounce(client):
    org = make_org()
    row = member(org, "eva@example.org")
    suppression.suppress(org.id, row.email, "hard_bounce")
    db.session.commit()
    url = _path(unsubscribe.links(org.id, row.email)["unsubscribe_url"])
    client.get(url)
    client.form(url + "/undo")
    assert db.session.execute(select(Suppression.reason)).scalar_one() == "hard_bounce"
    db.session.refresh(row)
    assert row.state == "unsubscribed"


def test_preferences_choose_topics_name_or_everything(client):
    org = make_org()
    row = member(org, "eva@example.org")
    url = _path(unsubscribe.links(org.id, row.email)["preferences_url"])
    assert "Newsletters" in client.get(url).get_data(as_text=True)
    response = client.form(url, {"topics": ["meetings"], "name": "Eva Berg", "action": "save"})
    assert "Your choices are saved." in response.get_data(as_text=True)
    db.session.refresh(row)
    assert (row.topics, row.name, row.state) == (["meetings"], "Eva Berg", "subscribed")
    response = client.form(url, {"action": "unsubscribe"})
    assert "You are unsubscribed" in response.get_data(as_text=True)
    db.session.refresh(row)
    assert row.state == "unsubscribed"


@pytest.mark.parametrize("suffix", ["", "/preferences", "/undo", "/one-click"])
def test_altered_token_is_a_clear_error_never_a_500(client, suffix):
    org = make_org()
    member(org, "eva@example.org")
    token = unsubscribe.links(org.id, "eva@example.org")["unsubscribe_url"].rsplit("/", 1)[1]
    bad = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for url in (f"/u/{bad}{suffix}", f"/u/garbage{suffix}"):
        if suffix in ("/undo", "/one-click"):
            response = client.post(url, data=ONE_CLICK_BODY,
                                   content_type="application/x-www-form-urlencoded")
            assert response.status_code == 400
        else:
            response = client.get(url)
            assert response.status_code == 400
            assert "The link does not work" in response.get_data(as_text=True)
    assert db.session.execute(select(Member.state)).scalar_one() == "subscribed"


def test_unsubscribe_is_per_organisation(app):
    mitten, grona = make_org("mitten"), make_org("grona")
    member(mitten, "eva@example.org")
    member(grona, "eva@example.org")
    assert unsubscribe.unsubscribe(mitten.id, "eva@example.org", "test")
    assert not unsubscribe.unsubscribe(mitten.id, "EVA@example.org", "test")  # idempotent
    states = dict(db.session.execute(select(Member.organisation_id, Member.state)).all())
    assert states == {mitten.id: "unsubscribed", grona.id: "subscribed"}
    assert not suppression.is_suppressed(grona.id, "eva@example.org")
