"""Publishing in a real browser: an editor publishes an approved text now on the channels
ticked, the worker sends it, the panel shows it published with its link; on a 390 px phone
the panel does not scroll sideways.

Assertions match markup and data attributes, not wording, so they hold in Swedish."""
import re

from conftest import make_document, make_org, make_user, run_worker
from playwright.sync_api import expect

from commsdesk import channels, workflow
from commsdesk.extensions import db

PHONE = {"width": 390, "height": 844}
LONG_TITLE = "Ny förskola i Åby: " + "kommunen-bygger-" * 6 + "nu"


def test_editor_publishes_now_and_sees_it_out_with_its_link(page, log_in):
    org = make_org("mitten", "Mittenpartiet")
    editor, approver = make_user(org, "editor"), make_user(org, "approver")
    newsroom = channels.website_channel(org)
    doc = make_document(editor, kind="press_release", title=LONG_TITLE, body="Vi bygger nu.")
    workflow.submit(editor, doc)
    workflow.approve(approver, doc)
    db.session.commit()

    log_in(editor.email)
    page.goto(f"/documents/{doc.id}")
    form = page.locator("form:has(button[data-action=publish])")
    channel = form.locator(f"input[name=channel][value='{newsroom.id}']")
    expect(channel).to_be_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    form.locator("button[data-action=publish]").click()
    page.wait_for_url(f"**/documents/{doc.id}")
    expect(page.locator("#publishing .pub-notice-info")).to_be_visible()
    expect(page.locator("#publishing .pub-queued")).to_have_count(1)

    run_worker()
    page.reload()
    expect(page.locator(".docmeta .state-published")).to_be_visible()
    link = page.locator("#publishing .pub-sent .pub-url a")
    expect(link).to_have_attribute(
        "href", re.compile(rf"^http://localhost/n/mitten/{doc.id}-ny-forskola-i-aby-kommunen-"))
    expect(page.locator("#publishing [data-poll]")).to_have_count(0)

    page.set_viewport_size(PHONE)
    page.reload()
    panel = page.locator("#publishing")
    panel.scroll_into_view_if_needed()
    expect(panel).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
