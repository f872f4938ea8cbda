"""The group leader on a phone: from the notification to an approval in two taps, the review
bar first on the page and still there after scrolling.

Assertions use ids and numbers, not wording, so they hold in Swedish."""
import re

from conftest import make_document, make_user
from playwright.sync_api import expect
from sqlalchemy import select

from commsdesk import documents, workflow
from commsdesk.extensions import db
from commsdesk.models import Notification

PHONE = {"width": 390, "height": 844}
BODY = "\n\n".join(f"Stycke {n}: kollektivtrafik i hela Älvstad, även i byarna." for n in
                   range(40))


def test_leader_approves_from_the_notification_in_two_taps(page, log_in, org):
    secretary, leader = make_user(org, "editor"), make_user(org, "approver")
    doc = make_document(secretary, kind="op_ed", title="Bussar i hela Älvstad", body=BODY)
    workflow.submit(secretary, doc, reviewer_ids=[leader.id])
    workflow.approve(leader, doc)
    documents.save_revision(secretary, doc, {"title": "Bussar i hela Älvstad",
                                             "body": BODY.replace("byarna", "varje by")},
                            doc.current_revision_id)
    note = db.session.execute(select(Notification).where(
        Notification.user_id == leader.id)).scalars().first()

    page.set_viewport_size(PHONE)
    log_in(leader.email)
    page.goto("/inbox")
    page.locator(f"form[action$='/inbox/{note.id}/open'] button").click()  # tap 1
    page.wait_for_url(re.compile(rf"/documents/{doc.id}$"))
    bar = page.locator("#review-bar")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box["y"] + box["height"] < PHONE["height"]
    approve = page.locator("#review-approve")
    expect(approve).to_contain_text("2")  # names the revision
    expect(page.locator("#review-changes ins").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.mouse.wheel(0, 3000)  # sticky: still at hand further down the page
    for _ in range(50):  # wheel scrolling is asynchronous (wait_for_function would need eval)
        if page.evaluate("window.scrollY") > 1000:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.scrollY") > 1000, "the page did not scroll"
    box = approve.bounding_box()
    assert 0 <= box["y"] < PHONE["height"]

    approve.click()  # tap 2
    page.wait_for_url(re.compile(rf"/documents/{doc.id}$"))
    expect(page.locator("#review-bar")).to_have_count(0)
    expect(page.locator(".flash").first).to_be_visible()
    db.session.refresh(doc)
    assert doc.state == workflow.APPROVED


def test_request_changes_from_the_bar_needs_a_note(page, log_in, org):
    secretary, leader = make_user(org, "editor"), make_user(org, "approver")
    doc = make_document(secretary, kind="op_ed", body=BODY)
    workflow.submit(secretary, doc, reviewer_ids=[leader.id])
    page.set_viewport_size(PHONE)
    log_in(leader.email)
    page.goto(f"/documents/{doc.id}")
    page.locator("#review-bar summary").click()
    page.locator("#review-bar [data-action=request_changes]").click()
    assert page.url.endswith(f"/documents/{doc.id}")  # the browser asks for the note first
    page.fill("#review-message", "Kortare, tack.")
    page.locator("#review-bar [data-action=request_changes]").click()
    page.wait_for_url(re.compile(rf"/documents/{doc.id}$"))
    expect(page.locator("#review-bar")).to_have_count(0)
    db.session.refresh(doc)
    assert doc.state == workflow.CHANGES_REQUESTED
