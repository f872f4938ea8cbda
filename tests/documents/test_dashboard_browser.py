"""The overview's to-do on a 390 px phone: it fits without sideways scrolling and leads to
what changed, with the approval at hand."""
import re

from conftest import make_document, make_org, make_user, share
from playwright.sync_api import expect

from commsdesk import documents, workflow


def test_todo_fits_a_phone_and_leads_to_what_changed_and_approve(page, log_in):
    mitten, grona = make_org("mitten"), make_org("grona")
    editor, leader = make_user(mitten, "editor"), make_user(mitten, "approver")
    partner_leader = make_user(grona, "approver")
    doc = make_document(editor, kind="op_ed",
                        title="Ett mycket långt namn på en debattartikel om skolan i Älvstad")
    share(doc, grona)
    workflow.submit(editor, doc)
    workflow.approve(leader, doc)
    workflow.approve(partner_leader, doc)
    documents.save_revision(editor, doc, {"title": doc.title, "body": "Ny"},
                            doc.current_revision_id)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(partner_leader.email)
    page.goto("/")
    item = page.locator(".todo-item")
    expect(item).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    item.locator(".todo-act").click()
    page.wait_for_url(re.compile(rf"/documents/{doc.id}$"))
    expect(page.locator("#review-changes ins").first).to_have_text("Ny")
    expect(page.locator("#review-approve")).to_contain_text("2")
