"""The watch-list pages: add through the form, edit, try terms, remove; read-only for
contributors; another organisation's list is not found."""
from datetime import timedelta

from conftest import login_as, make_org, make_user
from sqlalchemy import select

from commsdesk.extensions import db
from commsdesk.models import AuditEntry, ItemMatch, Notification, WatchList, utcnow
from monitoring_watch.world import news, source, store, watch_list

BASE = "/monitoring/watch-lists"


def test_a_list_added_through_the_form_matches_recent_items_quietly(app):
    org = make_org("mitten")
    editor, approver = make_user(org), make_user(org, "approver")
    store(source(org), news("Förskolan i Bergsjön stänger"), now=utcnow() - timedelta(days=3))
    store(source(org, "https://b.example/rss"), news("Förskolor förr"),
          now=utcnow() - timedelta(days=40))
    client = login_as(app, editor)
    assert "förskolan" in client.get(f"{BASE}/new").get_data(as_text=True)  # the hint
    response = client.form(f"{BASE}/new", {
        "name": "Skola och förskola", "terms": 'förskola\n"nya skolan", skolskjuts',
        "delivery": "digest", "recipient_ids": [str(editor.id), str(approver.id)],
        "active": "1"})
    assert response.status_code == 302
    wl = db.session.execute(select(WatchList)).scalar_one()
    assert wl.terms == ["förskola", '"nya skolan"', "skolskjuts"] and wl.delivery == "digest"
    assert {u.id for u in wl.recipients} == {editor.id, approver.id}
    [match] = db.session.execute(select(ItemMatch)).scalars().all()
    assert match.notified_at and match.digested_at
    assert db.session.execute(select(Notification)).first() is None
    assert db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "watch_list.created")).first() is not None
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Skola och förskola" in page and "Daily digest" in page and approver.name in page


def test_edit_validate_and_remove(app):
    org = make_org("mitten")
    editor = make_user(org)
    wl = watch_list(editor, "Skola", "förskola")
    client = login_as(app, editor)
    assert "förskola" in client.get(f"{BASE}/{wl.id}").get_data(as_text=True)
    response = client.form(f"{BASE}/{wl.id}", {"name": "Skola", "terms": " , ",
                                               "delivery": "instant", "active": "1"})
    assert response.status_code == 422
    assert "at least one word" in response.get_data(as_text=True)
    response = client.form(f"{BASE}/{wl.id}", {"name": "Skola", "terms": "x" * 101,
                                               "delivery": "instant", "active": "1"})
    assert response.status_code == 422 and "too long" in response.get_data(as_text=True)
    response = client.form(f"{BASE}/{wl.id}", {"name": "Skola & fritid",
                                               "terms": "förskola\nfritids",
                                               "delivery": "instant", "active": "1",
                                               "recipient_ids": [str(editor.id)]})
    assert response.status_code == 302
    db.session.refresh(wl)
    assert wl.name == "Skola & fritid" and wl.terms == ["förskola", "fritids"]
    wl_id = wl.id
    assert client.form(f"{BASE}/{wl_id}/remove").status_code == 302
    db.session.expunge_all()
    assert db.session.get(WatchList, wl_id) is None


def test_recipients_must_be_of_the_organisation(app):
    org, other = make_org("mitten"), make_org("grona")
    editor, stranger = make_user(org), make_user(other)
    response = login_as(app, editor).form(f"{BASE}/new", {
        "name": "Skola", "terms": "förskola", "delivery": "instant",
        "recipient_ids": [str(stranger.id)], "active": "1"})
    assert response.status_code == 422
    assert "active people of your organisation" in response.get_data(as_text=True)


def test_try_it_shows_the_word_forms_found(app):
    org = make_org("mitten")
    client = login_as(app, make_user(org, "contributor"))
    page = client.form(f"{BASE}/try", {"terms": "förskola, \"nya skolan\"",
                                       "sample": "Förskolan <b>och</b> nya skolor."})
    text = page.get_data(as_text=True)
    assert "<mark>Förskolan</mark>" in text and "&lt;b&gt;och&lt;/b&gt;" in text
    assert "<mark>nya" not in text


def test_contributors_read_and_other_organisations_see_nothing(app):
    org, other = make_org("mitten"), make_org("grona")
    wl = watch_list(make_user(org), "Skola", "förskola")
    reader = login_as(app, make_user(org, "contributor"))
    page = reader.get(f"{BASE}/").get_data(as_text=True)
    assert "Skola" in page and f"{BASE}/{wl.id}" not in page
    assert reader.get(f"{BASE}/new").status_code == 403
    assert reader.get(f"{BASE}/{wl.id}").status_code == 403
    stranger = login_as(app, make_user(other))
    assert stranger.get(f"{BASE}/{wl.id}").status_code == 404
    assert stranger.form(f"{BASE}/{wl.id}/remove").status_code == 404
    assert "Skola" not in stranger.get(f"{BASE}/").get_data(as_text=True)
    assert db.session.get(WatchList, wl.id) is not None


def test_the_digest_hour_is_set_on_the_lists_page_by_an_editor(app):
    from commsdesk.monitoring import digest

    org = make_org("mitten")
    editor, contributor = make_user(org), make_user(org, "contributor")
    client = login_as(app, editor)
    assert 'name="digest_hour"' in client.get(f"{BASE}/").get_data(as_text=True)
    assert client.form(f"{BASE}/digest-hour", {"digest_hour": "9"}).status_code == 302
    assert digest.digest_hour(org.id) == 9
    client.form(f"{BASE}/digest-hour", {"digest_hour": "25"})
    assert digest.digest_hour(org.id) == 9  # refused, unchanged
    reader = login_as(app, contributor)
    assert 'name="digest_hour"' not in reader.get(f"{BASE}/").get_data(as_text=True)
    assert reader.form(f"{BASE}/digest-hour", {"digest_hour": "6"}).status_code in (302, 403)
    assert digest.digest_hour(org.id) == 9
