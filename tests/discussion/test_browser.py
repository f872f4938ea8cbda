"""In a real browser (strict CSP): quote a selected passage, comment, suggest, accept."""
import re

from playwright.sync_api import expect


def test_partner_quotes_comments_and_suggests_then_owner_accepts(world, page, log_in,
                                                                  browser_problems, context):
    w = world
    log_in(w.partner.email)
    page.goto(f"/documents/{w.doc.id}")
    button = page.locator("#quote-selection")
    expect(button).to_be_visible()
    expect(button).to_be_disabled()
    page.locator(".docpage-main article.rendered p").last.select_text()
    expect(button).to_be_enabled()
    button.click()
    expect(page.locator("#comment-quote")).to_have_value("Det kostar 2 miljarder.")
    page.fill("#comment-body", "Källa, @eva.sjoberg?")
    page.locator("#comment-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    thread = page.locator("article.thread").first
    expect(thread.locator("blockquote.quote")).to_have_text("Det kostar 2 miljarder.")
    expect(thread.locator(".comment-body")).to_have_text("Källa, @eva.sjoberg?")

    page.locator(f'a[href="/documents/{w.doc.id}/suggest"]').first.click()
    body = page.locator("#body")
    expect(body).to_have_value(re.compile("Det kostar 2 miljarder"))
    body.fill("Alla barn ska ha en behörig lärare.\n\nDet kostar 3 miljarder.")
    page.locator(".suggest-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/suggestions/\d+$"))
    expect(page.locator(".diff ins")).to_have_text("3")
    suggestion_url = page.url

    owner = context.browser.new_context(base_url=context.pages[0].url.split("/documents")[0],
                                        locale="sv-SE")
    try:
        other = owner.new_page()
        other.goto("/login")
        other.fill("#email", w.editor.email)
        other.fill("#password", "correct horse battery")
        other.locator("main form button[type=submit]").click()
        other.wait_for_url(lambda url: "/login" not in url)
        other.goto(suggestion_url)
        other.locator(".decide form").first.locator("button[type=submit]").click()
        other.wait_for_url(re.compile(r"/suggestions/\d+$"))
        expect(other.locator("a[href*='/revisions/']")).to_have_count(1)
    finally:
        owner.close()
    page.goto(f"/documents/{w.doc.id}")
    expect(page.locator(".docpage-main article.rendered").first).to_contain_text("3 miljarder")
    assert browser_problems == []
