"""Approve → schedule → the text appears in the newsroom and its feed at its time: an editor
schedules an approved press release through the document page's Schedule form; when the
worker runs after that time the release is on the newsroom's front page and in its RSS feed,
and the newsroom reads on a 390 px phone without sideways scrolling."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import feedparser
from conftest import make_org, make_user, run_worker
from playwright.sync_api import expect

from commsdesk import documents, newsroom, workflow
from commsdesk.models import utcnow

PHONE = {"width": 390, "height": 844}
TITLE = "Fler platser i förskolan i Åby"
ZONE = ZoneInfo("Europe/Stockholm")


def test_scheduled_press_release_reaches_newsroom_and_feed(page, log_in, live_server):
    newsroom.pages.clear()
    org = make_org("aby", "Mittenpartiet i Åby")
    editor = make_user(org, "editor")
    approver = make_user(org, "approver")
    doc = documents.create_document(editor, "press_release", {
        "title": TITLE, "lead": "Hundra nya platser till hösten.",
        "body": "Förskolan i Åby ska få hundra nya platser.",
    }, tags=["förskola"])
    workflow.submit(editor, doc)
    workflow.approve(approver, doc)

    log_in(editor.email)
    page.goto(f"/documents/{doc.id}")
    # The form takes whole minutes: the next minute but one, in the office's zone.
    at = (utcnow() + timedelta(minutes=2)).astimezone(ZONE).replace(second=0, microsecond=0)
    page.fill("#at", at.strftime("%Y-%m-%dT%H:%M"))
    page.locator("button[data-action=schedule]").click()
    expect(page.locator(".workflow")).to_contain_text(at.strftime("%H:%M"))

    page.goto("/n/aby/")
    expect(page.locator("main")).not_to_contain_text(TITLE)

    assert run_worker(now=at + timedelta(seconds=1))["publications"] == 1  # its time came
    page.reload()  # the browser may keep the page a minute (max-age=60); a reload revalidates
    expect(page.locator("main")).to_contain_text(TITLE)
    feed = feedparser.parse(page.request.get(live_server + "/n/aby/feed.rss").body())
    assert [entry.title for entry in feed.entries] == [TITLE]

    page.set_viewport_size(PHONE)
    for url in ("/n/aby/", "/n/aby/news", feed.entries[0].link.replace("http://localhost", "")):
        page.goto(url)
        expect(page.locator("h1").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    expect(page.locator("html")).to_have_attribute("lang", "sv")
