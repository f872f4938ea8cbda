"""The decision trail (HTML, JSON, API) and hostile text from partners."""
from conftest import api_as, login_as, share
from markup import assert_clean as _assert_clean
from sqlalchemy import select

from commsdesk import coalition, documents, workflow
from commsdesk.extensions import db
from commsdesk.models import AuditEntry

HOSTILE_NAME = '<script>alert("namn")</script><img src=x onerror=alert(1)>'
HOSTILE_TITLE = '<svg onload=alert(1)></svg><a href="javascript:alert(1)">x</a>'


def _agreed_with_two_partners(world):
    share(world.doc, world.green, world.left)
    coalition.add_signatory(world.editor, world.doc, "Anna Andersson", "Partiledare")
    coalition.add_signatory(world.left_editor, world.doc, "Cia Ek", "Gruppledare")
    coalition.add_signatory(world.green_editor, world.doc, "Bo Berg", "Språkrör")
    workflow.submit(world.editor, world.doc)
    workflow.approve(world.approver, world.doc)
    first_hash = world.doc.current_revision.content_hash
    documents.save_revision(world.editor, world.doc, {"title": world.doc.title,
                                                      "body": "Vi kräver **mycket** mer."},
                            world.doc.current_revision_id)
    assert world.doc.state == workflow.IN_REVIEW  # still in review: no resubmission needed
    for user in (world.approver, world.green_approver, world.left_approver):
        workflow.approve(user, world.doc)
    assert workflow.approval_status(world.doc).agreed
    return first_hash


def test_json_trail_has_text_approvals_signatories_shares_and_history(app, world):
    first_hash = _agreed_with_two_partners(world)
    current = world.doc.current_revision
    response = login_as(app, world.green_editor).get(f"/documents/{world.doc.id}/trail.json")
    assert response.status_code == 200 and response.is_json
    assert "attachment" in response.headers["Content-Disposition"]
    trail = response.get_json()
    assert trail["agreed"] is True
    assert trail["final_text"]["revision"]["number"] == 2
    assert trail["final_text"]["revision"]["content_hash"] == current.content_hash
    assert "<strong>mycket</strong>" in trail["final_text"]["body_html"]
    approvals = [(a["organisation"]["slug"], a["revision"]["number"], a["content_hash"],
                  a["current"]) for a in trail["approvals"]]
    assert approvals == [
        ("mitten", 1, first_hash, False),
        ("mitten", 2, current.content_hash, True),
        ("gron", 2, current.content_hash, True),
        ("vanster", 2, current.content_hash, True),
    ]
    assert [s["name"] for s in trail["signatories"]] == ["Anna Andersson", "Cia Ek", "Bo Berg"]
    assert [s["organisation"]["slug"] for s in trail["shares"]] == ["gron", "vanster"]
    assert [o["slug"] for o in trail["required_organisations"]] == ["mitten", "gron", "vanster"]
    actions = [h["action"] for h in trail["state_history"]]
    assert actions[0] == "submit" and actions[-1] == "approve"
    assert actions.count("approve") == 4
    assert trail["state_history"][-1]["after"] == workflow.APPROVED
    assert trail["publications"] == []
    assert trail["generated_by"]["id"] == world.green_editor.id


def test_html_trail_is_printable_and_complete(app, world):
    first_hash = _agreed_with_two_partners(world)
    current = world.doc.current_revision
    page = login_as(app, world.editor).get(f"/documents/{world.doc.id}/trail")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert current.content_hash in html and first_hash in html
    assert html.count('class="trail-approval"') == 4
    assert html.index("Anna Andersson") < html.index("Cia Ek") < html.index("Bo Berg")
    assert "<strong>mycket</strong>" in html
    assert "Where and when it went out" in html and "It has not gone out" in html
    assert "Gröna" in html and "Vänstern" in html
    assert "js/coalition.js" in html and "data-print" in html
    assert "<script>" not in html  # no inline script under the CSP


def test_exports_are_audited_and_the_api_serves_the_trail(app, world):
    _agreed_with_two_partners(world)
    login_as(app, world.editor).get(f"/documents/{world.doc.id}/trail")
    login_as(app, world.editor).get(f"/documents/{world.doc.id}/trail.json")
    response = api_as(world.left_editor).get(f"/documents/{world.doc.id}/trail")
    assert response.status_code == 200
    assert [s["name"] for s in response.get_json()["signatories"]] == [
        "Anna Andersson", "Cia Ek", "Bo Berg"]
    entries = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "document.trail_exported").order_by(AuditEntry.id)).scalars().all()
    assert [(e.data["format"], e.actor_id) for e in entries] == [
        ("html", world.editor.id), ("json", world.editor.id), ("json", world.left_editor.id)]
    assert all(e.object_id == world.doc.id for e in entries)


def test_trail_of_an_unshared_or_unknown_document_is_404(app, world):
    outsider = login_as(app, world.outsider_editor)
    assert outsider.get(f"/documents/{world.doc.id}/trail").status_code == 404
    assert outsider.get(f"/documents/{world.doc.id}/trail.json").status_code == 404
    assert api_as(world.outsider_editor).get(
        f"/documents/{world.doc.id}/trail").status_code == 404
    assert login_as(app, world.editor).get("/documents/999999/trail").status_code == 404
    assert not db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "document.trail_exported")).first()


def test_hostile_signatory_from_a_partner_never_becomes_markup(app, world):
    share(world.doc, world.green)
    coalition.add_signatory(world.green_editor, world.doc, HOSTILE_NAME, HOSTILE_TITLE)
    workflow.submit(world.editor, world.doc)
    workflow.approve(world.green_approver, world.doc)
    for user in (world.editor, world.green_editor):
        client = login_as(app, user)
        for url in (f"/documents/{world.doc.id}", f"/documents/{world.doc.id}/trail"):
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.get_data(as_text=True)
            _assert_clean(html)
            assert "&lt;script&gt;" in html, url  # shown as text, not dropped
    data = api_as(world.editor).get(f"/documents/{world.doc.id}/signatories").get_json()
    assert data["items"][0]["name"] == HOSTILE_NAME  # stored as typed; escaped when shown


def test_the_signatures_partial_renders_in_order_and_escaped(world, app):
    """templates/coalition/_signatures.html, for the document's text (show page)."""
    from flask import render_template_string

    share(world.doc, world.green)
    coalition.add_signatory(world.green_editor, world.doc, HOSTILE_NAME, "Språkrör")
    coalition.add_signatory(world.editor, world.doc, "Anna Andersson", "Partiledare")
    with app.test_request_context():
        html = render_template_string('{% include "coalition/_signatures.html" %}',
                                      doc=world.doc)
    _assert_clean(html)
    assert html.index("&lt;script&gt;") < html.index("Anna Andersson")
    assert "Partiledare" in html and "Gröna" in html
