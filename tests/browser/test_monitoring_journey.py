"""The monitoring journey in a real browser: an item matching a watch word arrives, the
secretary sees it in the inbox with the word highlighted, flags it, opens it and answers it
with a letter to the editor, whose draft links back to the item, which lists the draft. And
the inbox and the item's page fit a phone.

Assertions match markup and data attributes, not wording (the browser reads Swedish), except
the kind's button, read from the catalogue."""
import re

from browser_fixtures import new_context, record_problems, sign_in
from conftest import make_org, make_user
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from commsdesk.extensions import db
from commsdesk.models import Document, Source, WatchList
from commsdesk.monitoring import items

PHONE = {"width": 390, "height": 844}


def _arrives(org):
    """A source, a watch list, and an item matching it stored as a poll stores it."""
    source = Source(organisation_id=org.id, name="Älvstads Tidning",
                    url="https://tidning.example/rss")
    db.session.add_all([source, WatchList(organisation_id=org.id, name="Skola",
                                          terms=["förskola"])])
    db.session.flush()
    entry = items.Entry(guid="gp-1", link="https://tidning.example/n/1",
                        title="Förskolan i Norr stänger",
                        summary_html="<p>Kommunen vill stänga förskolan i Norr.</p>",
                        text="Kommunen vill stänga förskolan i Norr till hösten.")
    (item,), _ = items.store(source, [entry])
    db.session.commit()
    return item


def test_an_item_becomes_a_letter_that_links_back(app, page, log_in, browser, live_server,
                                                  browser_problems):
    org = make_org("mitten", "Mittenpartiet")
    editor = make_user(org, "editor")
    item = _arrives(org)
    log_in(editor.email)

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
    expect(back).to_have_text("Förskolan i Norr stänger")

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
