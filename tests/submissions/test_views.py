"""The outlets settings page and the document's newspaper panel, through the real forms:
errors re-render the page with 422 and keep what was typed."""
from conftest import login_as, make_document, make_org, make_user
from sqlalchemy import select

from commsdesk import submissions
from commsdesk.extensions import db
from commsdesk.models import Outlet, Submission

from .support import approved_op_ed, make_outlet


def test_add_edit_and_deactivate_an_outlet(editor_client, editor):
    page = editor_client.get("/settings/outlets/")
    assert page.status_code == 200 and "No outlets yet." in page.get_data(as_text=True)
    added = editor_client.form("/settings/outlets/new", {
        "name": "Älvstads Tidning", "email": "debatt@alvstad.example", "length_limit": "4000",
        "wants_exclusive": "1", "exclusivity_note": "Exklusivt i två veckor",
        "reply_days": "7"})
    assert added.status_code == 302
    outlet = db.session.execute(select(Outlet)).scalar_one()
    assert outlet.wants_exclusive and outlet.length_limit == 4000
    edited = editor_client.form(f"/settings/outlets/{outlet.id}", {
        "name": "Älvstads Tidning, debatt", "email": "debatt@alvstad.example",
        "reply_days": "5"})
    assert edited.status_code == 302
    db.session.refresh(outlet)
    assert (outlet.name, outlet.wants_exclusive, outlet.length_limit) == (
        "Älvstads Tidning, debatt", False, None)
    editor_client.form(f"/settings/outlets/{outlet.id}/active", {"active": "0"})
    db.session.refresh(outlet)
    assert outlet.active is False
    assert "Deactivated" in editor_client.get("/settings/outlets/").get_data(as_text=True)


def test_outlet_errors_re_render_with_422(editor_client):
    page = editor_client.form("/settings/outlets/new", {
        "name": "Länsposten", "email": "nej", "reply_days": "7"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "Not a valid email address" in html
    assert 'value="Länsposten"' in html
    bad_days = editor_client.form("/settings/outlets/new", {
        "name": "Länsposten", "email": "a@b.example", "reply_days": "500"})
    assert bad_days.status_code == 422
    assert "whole number from 1 to 90" in bad_days.get_data(as_text=True)


def test_contributors_and_other_organisations_do_not_reach_outlets(app, editor, org):
    outlet = make_outlet(editor)
    contributor = login_as(app, make_user(org, "contributor"))
    assert contributor.get("/settings/outlets/").status_code == 403
    stranger = login_as(app, make_user(make_org("vanster"), "editor"))
    assert stranger.get(f"/settings/outlets/{outlet.id}").status_code == 404


def test_offer_from_the_document_page_and_record_answers(editor_client, editor):
    doc = approved_op_ed(editor)
    outlet = make_outlet(editor)
    page = editor_client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Offer to a newspaper" in page and "Eva Sjöberg, gruppledare" in page
    sent = editor_client.form(f"/documents/{doc.id}/submissions", {
        "outlet_id": str(outlet.id), "presentation": "Eva Sjöberg är gruppledare.",
        "note": "Hej debattredaktionen!"})
    assert sent.status_code == 302
    row = db.session.execute(select(Submission)).scalar_one()
    page = editor_client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Älvstads Tidning" in page and "Offered" in page
    base = f"/documents/{doc.id}/submissions/{row.id}"
    bad = editor_client.form(f"{base}/publish", {"published_on": "2026-12-01",
                                                 "published_url": "javascript:alert(1)"})
    assert bad.status_code == 422 and "must be a web address" in bad.get_data(as_text=True)
    assert editor_client.form(f"{base}/publish", {
        "published_on": "2026-12-01",
        "published_url": "https://alvstad.example/debatt/1"}).status_code == 302
    page = editor_client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Publish on the newsroom" in page and "https://alvstad.example/debatt/1" in page


def test_a_refused_offer_re_renders_the_page_with_422(editor_client, editor):
    doc = approved_op_ed(editor, body="x" * 50)
    outlet = make_outlet(editor, length_limit=20)
    page = editor_client.form(f"/documents/{doc.id}/submissions", {
        "outlet_id": str(outlet.id), "presentation": "Min egen presentation"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "at most 20" in html
    assert "Min egen presentation" in html  # what was typed is kept
    assert submissions.for_document(doc) == []


def test_overdue_offers_are_shown_plainly(editor_client, editor):
    from datetime import timedelta

    from commsdesk.models import utcnow

    doc = approved_op_ed(editor)
    row = submissions.submit(editor, doc, make_outlet(editor).id, "Om")
    row.offered_at = utcnow() - timedelta(days=10)
    row.reply_by = utcnow() - timedelta(days=1)
    db.session.commit()
    page = editor_client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "No answer from Älvstads Tidning" in page


def test_a_draft_says_it_must_be_approved_first(editor_client, editor):
    doc = make_document(editor, kind="letter")
    make_outlet(editor)
    page = editor_client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Only an approved text can be offered" in page


def test_the_printable_trail_shows_the_offers(editor_client, editor):
    doc = approved_op_ed(editor)
    submissions.submit(editor, doc, make_outlet(editor).id, "Om")
    page = editor_client.get(f"/documents/{doc.id}/trail").get_data(as_text=True)
    assert "Offers to newspapers" in page and "Älvstads Tidning" in page


def test_partners_see_the_offers_read_only(app, editor):
    from conftest import share

    from commsdesk import workflow

    partner_org = make_org("grona")
    doc = approved_op_ed(editor)
    share(doc, partner_org)
    workflow.approve(make_user(partner_org, "approver"), doc)
    row = submissions.submit(editor, doc, make_outlet(editor).id, "Om")
    partner = login_as(app, make_user(partner_org, "editor"))
    page = partner.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Älvstads Tidning" in page and "Offer to a newspaper" not in page
    assert 'data-action="withdraw"' not in page
    refused = partner.form(f"/documents/{doc.id}/submissions/{row.id}/withdraw")
    assert refused.status_code == 403
    assert db.session.get(Submission, row.id).state == "offered"
