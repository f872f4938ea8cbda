"""The sources pages and API: adding through the form, health at a glance, OPML through the
pages, the admin's allowed hosts; other organisations' sources are not found."""
import io

from conftest import api_as, login_as, make_org, make_user
from sqlalchemy import select

from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Source, utcnow
from commsdesk.monitoring import polling, sources


def test_add_a_source_through_the_form_and_see_its_health(app, client, feeds, office):
    _org, editor, _admin = office
    login_as(client, editor)
    response = client.form("/monitoring/sources/new", {
        "url": feeds.url + "/page.html", "name": "", "kind": "feed", "interval_minutes": "15"})
    assert response.status_code == 302
    source = db.session.execute(select(Source)).scalar_one()
    assert source.url == feeds.url + "/rss.xml" and source.interval_minutes == 15
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "following its feed" in page and "Not checked yet" in page
    polling.poll_one(source.id)
    listing = client.get("/monitoring/sources/").get_data(as_text=True)
    assert "Älvstads-Posten" in listing and "Working" in listing
    feeds.broken.add("/rss.xml")
    client.form(f"/monitoring/sources/{source.id}/check")
    polling.poll_one(source.id)
    listing = client.get("/monitoring/sources/").get_data(as_text=True)
    assert "Failing" in listing and "500 Internal Server Error" in listing
    shown = client.get(f"/monitoring/sources/{source.id}").get_data(as_text=True)
    assert "1 of the last 2" in shown and "src-tick-error" in shown


def test_form_errors_are_shown_in_words(app, client, office):
    login_as(client, office[1])
    response = client.form("/monitoring/sources/new", {
        "url": "file:///etc/passwd", "kind": "feed", "interval_minutes": "30"})
    assert response.status_code == 422
    assert "starting with https://" in response.get_data(as_text=True)


def test_edit_pause_and_remove(app, client, office):
    _org, editor, _admin = office
    source = sources.add(editor, "https://kommun.example/handlingar", kind="documents_page")
    login_as(client, editor)
    client.form(f"/monitoring/sources/{source.id}/edit", {"name": "Kallelser",
                                                          "interval_minutes": "60"})
    assert (source.name, source.interval_minutes) == ("Kallelser", 60)
    client.form(f"/monitoring/sources/{source.id}/active", {"active": "0"})
    assert not source.active and "Paused" in client.get("/monitoring/sources/").get_data(
        as_text=True)
    assert "Remove Kallelser?" in client.get(
        f"/monitoring/sources/{source.id}/remove").get_data(as_text=True)
    source_id = source.id
    client.form(f"/monitoring/sources/{source_id}/remove")
    assert db.session.get(Source, source_id) is None
    actions = db.session.execute(select(AuditEntry.action)).scalars().all()
    assert {"source.created", "source.updated", "source.paused", "source.removed"} <= set(actions)


def test_opml_import_and_export_through_the_pages(app, client, office):
    login_as(client, office[1])
    data = (b'<opml version="2.0"><body><outline text="P" type="rss" '
            b'xmlUrl="https://posten.example/rss.xml"/></body></opml>')
    response = client.form("/monitoring/sources/import",
                           {"file": (io.BytesIO(data), "feeds.opml")},
                           content_type="multipart/form-data")
    assert "Added 1, skipped 0." in response.get_data(as_text=True)
    exported = client.get("/monitoring/sources/export.opml")
    assert exported.mimetype == "text/x-opml" and b"https://posten.example/rss.xml" in \
        exported.data


def test_only_admins_allow_private_hosts(app, client, office):
    org, editor, admin = office
    login_as(client, editor)
    assert client.form("/monitoring/sources/settings", {"allowed_hosts": "10.0.0.5"}
                       ).status_code in (302, 403)
    assert sources.allowed_hosts_text(org.id) == "127.0.0.1"
    admin_client = login_as(app, admin)
    admin_client.form("/monitoring/sources/settings", {"allowed_hosts": "127.0.0.1\nintranet.lan"})
    assert sources.allowed_hosts_text(org.id) == "127.0.0.1\nintranet.lan"


def test_contributors_read_but_do_not_manage(app, client, office):
    org, editor, _admin = office
    source = sources.create(editor, "https://posten.example/rss.xml", "Posten", "feed", 30)
    db.session.commit()
    login_as(client, make_user(org, "contributor"))
    assert "Posten" in client.get("/monitoring/sources/").get_data(as_text=True)
    assert client.get(f"/monitoring/sources/{source.id}").status_code == 200
    assert client.get("/monitoring/sources/new").status_code == 403
    assert client.get(f"/monitoring/sources/{source.id}/edit").status_code == 403


def test_other_organisations_sources_are_not_found(app, client, office):
    _org, editor, _admin = office
    source = sources.create(editor, "https://posten.example/rss.xml", "Posten", "feed", 30)
    db.session.commit()
    stranger = make_user(make_org("vanster"), "admin")
    login_as(client, stranger)
    for path in ("", "/edit", "/remove"):
        assert client.get(f"/monitoring/sources/{source.id}{path}").status_code == 404
    assert client.form(f"/monitoring/sources/{source.id}/check").status_code == 404
    assert "Posten" not in client.get("/monitoring/sources/").get_data(as_text=True)
    assert b"posten.example" not in client.get("/monitoring/sources/export.opml").data
    api = api_as(stranger)
    assert api.get(f"/monitoring/sources/{source.id}").status_code == 404
    assert api.request("DELETE", f"/monitoring/sources/{source.id}").status_code == 404
    assert api.get("/monitoring/sources").get_json() == {"items": []}


def test_the_api(app, feeds, office):
    _org, editor, _admin = office
    api = api_as(editor)
    created = api.post("/monitoring/sources", json={"url": feeds.url + "/page.html",
                                                    "interval_minutes": 10})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["url"] == feeds.url + "/rss.xml"
    assert body["discovered_on"] == feeds.url + "/page.html"
    assert body["health"]["status"] == "new"
    polling.poll_one(body["id"], now=utcnow())
    shown = api.get(f"/monitoring/sources/{body['id']}").get_json()
    assert shown["health"]["status"] == "ok" and shown["checks"][0]["new_items"] == 2
    refused = api.post("/monitoring/sources", json={"url": feeds.url + "/rss.xml"})
    assert refused.status_code == 422 and "already followed" in refused.get_json()[
        "error"]["message"]
    changed = api.patch(f"/monitoring/sources/{body['id']}",
                        json={"active": False, "name": "Posten"})
    assert changed.get_json()["active"] is False and changed.get_json()["name"] == "Posten"
    assert api.patch(f"/monitoring/sources/{body['id']}",
                     json={"interval_minutes": 2}).status_code == 422
    assert len(api.get("/monitoring/sources").get_json()["items"]) == 1
    assert api.request("DELETE", f"/monitoring/sources/{body['id']}").status_code == 204
