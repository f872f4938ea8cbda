"""Respond (a draft linked both ways to its item) and the monitoring pages: the inbox, the
item's page, the document's link back, and 404 for another organisation on every route."""
import re

import pytest
from conftest import login_as, make_org, make_user, share
from sqlalchemy import select

from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Document
from commsdesk.monitoring import respond, triage

from .helpers import item, match, source, watch_list


@pytest.fixture
def office(app):
    org = make_org("mitten", "Mittenpartiet")
    return org, make_user(org, "editor")


@pytest.mark.parametrize("kind", respond.KINDS)
def test_respond_makes_a_draft_quoting_the_item(office, kind):
    org, editor = office
    row = item(source(org), "Förskolan i Norr stänger")
    doc = respond.respond(editor, row, kind)
    content = doc.current_revision.content
    assert (doc.kind, doc.state, doc.source_item_id) == (kind, "draft", row.id)
    assert content["title"] == "Svar: Förskolan i Norr stänger"
    assert content["body"].startswith("> Förskolan i Norr stänger.\n> Kommunen stänger")
    assert "> — Älvstads Tidning, 6 maj 2025: <https://tidning.example/n/1>" in content["body"]
    assert db.session.execute(select(AuditEntry.action).where(
        AuditEntry.object_type == "item")).scalars().all() == ["item.responded"]


def test_respond_refuses_an_unknown_kind(office, client):
    org, editor = office
    row = item(source(org))
    login_as(client, editor)
    response = client.form(f"/monitoring/items/{row.id}/respond", {"kind": "newsletter"})
    assert response.status_code in (302, 422)
    assert db.session.query(Document).count() == 0


def test_the_item_lists_its_drafts_and_the_draft_links_back(office, client):
    org, editor = office
    partner = make_org("grona", "Gröna")
    partner_editor = make_user(partner, "editor")
    row = item(source(org), "Förskolan i Norr stänger")
    login_as(client, editor)
    response = client.form(f"/monitoring/items/{row.id}/respond", {"kind": "letter"})
    (doc,) = db.session.execute(select(Document)).scalars().all()
    assert response.headers["Location"].endswith(f"/documents/{doc.id}")
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert re.search(rf'class="answers">.*href="/monitoring/items/{row.id}">Förskolan i Norr '
                     r'stänger</a>.*Älvstads Tidning', page)
    item_page = client.get(f"/monitoring/items/{row.id}").get_data(as_text=True)
    assert f'href="/documents/{doc.id}">Svar: Förskolan i Norr stänger</a>' in item_page

    share(doc, partner)
    partner_page = login_as(client.application, partner_editor).get(f"/documents/{doc.id}")
    text = partner_page.get_data(as_text=True)
    assert partner_page.status_code == 200
    assert "/monitoring/items/" not in text and 'class="answers"' not in text


def test_the_inbox_shows_states_chips_and_the_highlighted_word(office, client):
    org, editor = office
    school = watch_list(org)
    row = item(source(org), "Förskolan i Norr stänger")
    item(source(org, "Kommunen", "https://kommun.example/rss"), "Budgeten",
         "Kommunen beslutar om annat.", n=2)
    match(row, school)
    login_as(client, editor)
    page = client.get("/monitoring/").get_data(as_text=True)
    assert "<mark>Förskolan</mark> i Norr stänger" in page
    assert '<span class="tag">förskola</span>' in page
    assert 'data-state="new"' in page
    nav = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/monitoring/">Monitoring <span class="badge">1<', nav)
    filtered = client.get(f"/monitoring/?watch_list={school.id}").get_data(as_text=True)
    assert "Budgeten" not in filtered and "stänger" in filtered
    assert "Budgeten" not in client.get("/monitoring/?state=flagged").get_data(as_text=True)
    response = client.form("/monitoring/bulk", {"action": "archive", "item": str(row.id)})
    assert response.status_code == 302 and row.state == "archived"


def test_the_item_page_opens_highlights_and_acts(office, client):
    org, editor = office
    colleague = make_user(org, "approver")
    watch_list(org)
    row = item(source(org), "Förskolan i Norr stänger")
    login_as(client, editor)
    page = client.get(f"/monitoring/items/{row.id}").get_data(as_text=True)
    assert row.state == "read"
    assert 'rel="noopener noreferrer"' in page and "<p>Kommunen stänger förskolan.</p>" in page
    assert 'data-term="förskola"' in page and "<mark>förskolan</mark>" in page
    client.form(f"/monitoring/items/{row.id}/state", {"state": "flagged"})
    assert row.state == "flagged"
    client.form(f"/monitoring/items/{row.id}/assign", {"assigned_to_id": str(colleague.id)})
    assert row.assigned_to_id == colleague.id
    client.form(f"/monitoring/items/{row.id}/notes", {"body": "Ring skolchefen"})
    (note,) = triage.notes(row)
    assert "Ring skolchefen" in client.get(f"/monitoring/items/{row.id}").get_data(as_text=True)
    client.form(f"/monitoring/items/{row.id}/notes/{note.id}/delete", {})
    assert triage.notes(row) == []


def test_every_route_answers_404_for_another_organisations_item(office, client):
    org, editor = office
    row = item(source(org))
    note = triage.add_note(editor, row, "Anteckning")
    stranger = make_user(make_org("vanster"), "admin")
    login_as(client, stranger)
    base = f"/monitoring/items/{row.id}"
    assert client.get(base).status_code == 404
    for path, data in ((f"{base}/state", {"state": "flagged"}),
                       (f"{base}/assign", {"assigned_to_id": str(stranger.id)}),
                       (f"{base}/notes", {"body": "x"}),
                       (f"{base}/notes/{note.id}/delete", {}),
                       (f"{base}/respond", {"kind": "letter"})):
        assert client.form(path, data).status_code == 404, path
    assert (row.state, row.assigned_to_id, len(triage.notes(row))) == ("new", None, 1)
    assert db.session.query(Document).count() == 0
