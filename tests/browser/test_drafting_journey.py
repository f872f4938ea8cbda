"""Drafting in a real browser: live preview, counters, saving, history, diffs, autosave.

Assertions match numbers and markup, not wording, so they hold in Swedish and English.
"""
import re
from urllib.parse import parse_qs, urlsplit

from conftest import make_document
from playwright.sync_api import expect

BODY = """## Bussar i hela kommunen

Vi vill att kollektivtrafiken ska fungera **överallt** i Älvstad.

- Anropsstyrd trafik i byarna
- Halverad taxa för gymnasieelever
"""
HOSTILE = """<script>window.__pwned=1</script>

<img src=x onerror="window.__pwned=1">

[x](javascript:window.__pwned=1)
"""


def word_count(page):
    """The word count shown first in #counters, once the counters have been filled in."""
    counters = page.locator("#counters")
    expect(counters).to_have_text(re.compile(r"^\d+"))
    return int(re.match(r"\d+", counters.inner_text()).group())


def flash(revision_number):
    return re.compile(rf"\b{revision_number}\b")


def create_via_new_page(page, kind, title):
    page.goto("/documents/new")
    page.select_option("#kind", kind)
    page.fill("#title", title)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/documents/\d+/edit$"))
    return int(re.search(r"/documents/(\d+)/edit", page.url).group(1))


def test_draft_preview_save_history_and_diff(page, log_in, editor):
    log_in(editor.email)
    create_via_new_page(page, "op_ed", "Kollektivtrafik i hela Älvstad")
    expect(page.locator("#preview-title")).to_have_text("Kollektivtrafik i hela Älvstad")
    expect(page.locator("#counters")).to_contain_text("/ 4500")  # the op-ed limit
    words_before = word_count(page)

    body = page.locator("#body")
    body.click()
    body.press_sequentially(BODY)
    preview = page.locator("#preview-body")
    expect(preview.locator("h2")).to_have_text("Bussar i hela kommunen")
    expect(preview.locator("strong")).to_have_text("överallt")
    expect(preview.locator("li")).to_have_count(2)
    expect(page.locator("#counters")).not_to_have_text(re.compile(rf"^{words_before}\b"))
    assert word_count(page) > words_before

    page.click("#save")
    expect(page.locator(".flash")).to_have_text(flash(2))
    expect(page.locator(".docmeta")).to_contain_text("2")
    expect(page.locator("#body")).to_have_value(BODY)
    expect(preview.locator("h2")).to_have_text("Bussar i hela kommunen")

    page.fill("#body", BODY.replace("överallt", "i varje by"))
    expect(preview.locator("strong")).to_have_text("i varje by")
    page.click("#save")
    expect(page.locator(".flash")).to_have_text(flash(3))

    page.locator("nav.tabs a[href$='/history']").click()
    rows = page.locator(".revision-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("3")
    expect(rows.nth(2)).to_contain_text("1")
    rows.nth(1).locator("input[name=a]").check()  # from revision 2
    rows.nth(0).locator("input[name=b]").check()  # to revision 3
    page.locator("form.compare > button[type=submit]").click()
    page.wait_for_url(re.compile(r"/diff\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert set(query) == {"a", "b"} and query["a"] != query["b"]
    expect(page.locator("main h1")).to_contain_text(re.compile(r"2\D+3"))
    expect(page.locator(".diff del")).to_contain_text(["överallt"])
    expect(page.locator(".diff ins")).to_contain_text(["i varje by"])


def test_hostile_markdown_never_runs(page, log_in, editor):
    doc = make_document(editor, "op_ed", title="Debatt", body="Början")
    log_in(editor.email)
    page.goto(f"/documents/{doc.id}/edit")
    page.fill("#title", '<img src=x onerror="window.__pwned=1">')
    page.fill("#body", HOSTILE)
    preview = page.locator("#preview-body")
    expect(preview.locator("a")).to_have_text("x")
    expect(preview.locator("a")).not_to_have_attribute("href", re.compile("javascript"))
    expect(preview.locator("script, img")).to_have_count(0)
    expect(page.locator("#preview-title")).to_have_text('<img src=x onerror="window.__pwned=1">')
    assert page.evaluate("typeof window.__pwned") == "undefined"

    page.click("#save")
    expect(page.locator(".flash")).to_have_text(flash(2))
    page.reload()
    expect(page.locator("#body")).to_have_value(HOSTILE)
    expect(preview.locator("a")).to_have_text("x")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.goto(f"/documents/{doc.id}")
    expect(page.locator("main a", has_text=re.compile("^x$"))).to_have_count(1)
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_x_counter_warns_over_280(page, log_in, editor):
    log_in(editor.email)
    create_via_new_page(page, "social_post", "Busskampanj")
    counter = page.locator("#count-x")
    page.fill("#variants-x", "a" * 280)
    expect(counter).to_have_text(re.compile(r"^280 / 280"))
    expect(counter).not_to_have_class(re.compile(r"\bover\b"))
    page.locator("#variants-x").press("End")
    page.locator("#variants-x").press_sequentially("!")
    expect(counter).to_have_text(re.compile(r"^281 / 280"))
    expect(counter).to_have_class(re.compile(r"\bover\b"))
    expect(page.locator("#count-bluesky")).not_to_have_class(re.compile(r"\bover\b"))


def test_autosave_recovers_unsaved_text(page, log_in, editor):
    doc = make_document(editor, "op_ed", title="Skolan", body="Första stycket.")
    log_in(editor.email)
    page.goto(f"/documents/{doc.id}/edit")
    expect(page.locator("#recovered")).to_have_count(0)
    body = page.locator("#body")
    body.press("End")
    body.press_sequentially("\n\nEtt andra stycke som inte är sparat.")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"\S"), timeout=10_000)

    page.reload()
    expect(page.locator("#recovered")).to_be_visible()
    expect(page.locator("#body")).to_have_value(
        "Första stycket.\n\nEtt andra stycke som inte är sparat.")
    page.goto(f"/documents/{doc.id}/history")
    expect(page.locator(".revision-row")).to_have_count(1)  # kept, not saved as a revision
