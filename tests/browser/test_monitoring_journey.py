"""The monitoring journey in a real browser: the secretary adds the local paper by its web
page's address (its feed is discovered), the worker polls it, and an item matching a watch
word arrives. She sees it in the inbox with the word highlighted, flags it, opens it and
answers it with a letter to the editor, whose draft links back to the item, which lists
the draft. And the inbox and the item's page fit a phone.

Assertions match markup and data attributes, not wording (the browser reads Swedish), except
the kind's button, read from the catalogue."""
import re

from browser_fixtures import new_context, record_problems, sign_in
from conftest import make_org, make_user, run_worker
from flask_babel import force_locale, gettext
from monitoring_sources.feed_server import FeedServer
from playwright.sync_api import expect

from commsdesk.extensions import db
from commsdesk.models import Document, Item, Source, WatchList
from commsdesk.monitoring import sources

PHONE = {"width": 390, "height": 844}


def _follow_the_local_paper(page, feeds):
    """The secretary adds the paper by its web page's address; the page names its feed."""
    page.locator("header nav a[href='/monitoring/']").click()
    page.locator(".subnav a[href='/monitoring/sources/']").click()
    page.locator("a[href='/monitoring/sources/new']").first.click()
    page.fill("#url", f"{feeds.url}/page.html")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/monitoring/sources/\d+$"))
    source = db.session.query(Source).one()
    assert source.url == f"{feeds.url}/rss.xml"


def test_an_item_becomes_a_letter_that_links_back(app, page, log_in, browser, live_server,
                                                  browser_problems):
    org = make_org("mitten", "Mittenpartiet")
    editor = make_user(org, "editor")
    # The admin let the sources reach the local test server; the group watches schools.
    sources.set_allowed_hosts(make_user(org, "admin"), "127.0.0.1")
    db.session.add(WatchList(organisation_id=org.id, name="Skola", terms=["förskola"]))
    db.session.commit()
    log_in(editor.email)
    feeds = FeedServer().start()
    try:
        _follow_the_local_paper(page, feeds)
        run_worker()  # the worker polls the new source: the paper's news arrive
    finally:
        feeds.stop()
    item = db.session.query(Item).filter_by(guid="posten-1").one()

    page.locator("header nav a[href='/monitoring/']").click()
    row = page.locator(f"li.monitor-item[data-item='{item.id}']")
    expect(row.locator(".monitor-title mark")).to_have_text("Förskolan")
    expect(row.locator(".item-state")).to_have_attribute("data-state", "new")

    row.locator(".monitor-title").click()
    page.wait_for_url(re.compile(rf"/monitoring/items/{item.id}$"))
    expect(page.locator(".item-state")).to_have_attribute("data-state", "read")
    expect(page.locator(".item-matches mark").first).to_have_text("förskolan")
    page.locator(".item-states button[value=flagged]").click()
    expect(page.locator(".item-state")).to_have_attribute("data-state", "flagged")

    with app.test_request_context(), force_locale("sv"):
        letter = gettext("Letter to the editor")
    page.locator("#respond button[value=letter]").click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    expect(page.locator("main")).to_contain_text(letter)
    doc = db.session.query(Document).one()
    assert page.url.endswith(f"/documents/{doc.id}")
    assert doc.source_item_id == item.id and doc.kind == "letter"
    back = page.locator(f".answers a[href='/monitoring/items/{item.id}']")
    expect(back).to_have_text("Förskolan i Norrby stänger")

    back.click()
    page.wait_for_url(re.compile(rf"/monitoring/items/{item.id}$"))
    expect(page.locator(f".item-drafts a[href='/documents/{doc.id}']")).to_be_visible()

    phone = new_context(browser, live_server, PHONE)
    try:
        on_phone = sign_in(record_problems(phone.new_page(), browser_problems), editor.email)
        on_phone.goto("/monitoring/?state=flagged")
        expect(on_phone.locator(f"li.monitor-item[data-item='{item.id}']")).to_be_visible()
        width = on_phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the inbox scrolls sideways on a phone"
        on_phone.goto(f"/monitoring/items/{item.id}")
        width = on_phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the item's page scrolls sideways on a phone"
    finally:
        phone.close()
