"""In a real browser: sharing, a partner's signatory and the printable trail, with no console
errors or Content-Security-Policy violations."""
import os

from commsdesk import coalition

SHOTS = os.environ.get("COMMSDESK_SCREENSHOTS")  # a folder, to look at the pages


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_share_sign_and_print_the_trail(world, page, log_in, browser_problems):
    log_in(world.editor.email)
    page.goto(f"/documents/{world.doc.id}")
    page.select_option("#share-organisation", "gron")
    page.locator(".share-form button[type=submit]").click()
    page.wait_for_url(f"**/documents/{world.doc.id}#coalition")
    assert "Gröna" in page.locator(".coalition-shares").inner_text()
    page.locator(".sig-add summary").click()
    page.fill("#sig-new-name", "Anna Andersson")
    page.fill("#sig-new-title", "Partiledare")
    page.locator(".sig-add button[type=submit]").click()
    page.wait_for_load_state()
    coalition.add_signatory(world.green_editor, world.doc, "Bo Berg", "Språkrör")
    page.reload()
    page.locator(".signatory").nth(1).locator("button[value], button").first.click()
    page.wait_for_load_state()
    names = page.locator(".signatories .sig-name").all_inner_texts()
    assert names == ["Bo Berg", "Anna Andersson"]
    _shot(page, "document")
    page.goto(f"/documents/{world.doc.id}/trail")
    button = page.locator("[data-print]")
    assert button.is_visible()  # the script ran under the CSP
    assert page.locator(".trail-signatories li").all_inner_texts()[0].startswith("Bo Berg")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not button.is_visible()
    _shot(page, "trail-print")
    assert browser_problems == []
