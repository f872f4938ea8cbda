"""Page layout in a real browser: history and inbox fit a 390 px phone, the editor's Save is in
view and Ctrl+S saves, the preview stays beside the text on a wide screen, and final actions
ask for confirmation.

Assertions match numbers, ids and markup, not wording, so they hold in Swedish and English."""
import re

import pytest
from conftest import make_document, make_org, make_user, share
from playwright.sync_api import expect

from commsdesk import documents, notifications
from commsdesk.extensions import db
from commsdesk.models import Document

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}
LONG_WORD = "https://example.org/" + "mycket-lang-adress-utan-mellanslag-" * 4
BODY = "\n\n".join(f"Stycke {n}: bussen går varannan timme och det räcker inte." for n in range(40))


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def revised(editor, revisions=4):
    doc = make_document(editor, kind="op_ed", title="Kollektivtrafik i hela Älvstad",
                        body="Första versionen.")
    for n in range(2, revisions + 1):
        documents.save_revision(editor, doc, {"title": doc.current_revision.content["title"],
                                              "body": f"Version {n}. {LONG_WORD}",
                                              "note": f"Anteckning {n} {LONG_WORD}"},
                                doc.current_revision_id)
    db.session.commit()
    return doc


def test_history_fits_a_phone_without_sideways_scrolling(page, log_in, editor):
    doc = revised(editor)
    log_in(editor.email)
    page.set_viewport_size(PHONE)
    page.goto(f"/documents/{doc.id}/history")
    expect(page.locator(".revision-row")).to_have_count(4)
    assert scroll_width(page) <= PHONE["width"]
    # Each card still offers choosing both ends of a comparison and restoring.
    first = page.locator(".revision-row").nth(1)
    first.locator("input[name=a]").check()
    expect(first.locator("button[form^=restore-]")).to_be_visible()
    page.locator(".compare > button[type=submit]").click()
    page.wait_for_url(re.compile(r"/documents/\d+/diff"))


def test_inbox_fits_a_phone_and_its_dates_say_what_they_are(page, log_in, org, editor):
    doc = revised(editor, revisions=2)
    colleague = make_user(org, "approver")
    for n in range(3):
        notifications.notify("comment", doc, colleague, [editor],
                             comment=f"Kommentar {n}: {LONG_WORD}")
    db.session.commit()
    log_in(editor.email)
    page.set_viewport_size(PHONE)
    page.goto("/inbox")
    expect(page.locator(".inbox-item")).to_have_count(3)
    assert scroll_width(page) <= PHONE["width"]
    date_line = page.locator(".inbox-item .muted").first
    # A word before the date (Received / Mottagen), not a bare date.
    assert re.match(r"^\D+\s", date_line.inner_text())


def test_dates_on_list_cards_are_labelled_on_a_phone(page, log_in, editor):
    doc = revised(editor, revisions=1)
    doc.deadline = doc.updated_at
    db.session.commit()
    log_in(editor.email)
    page.set_viewport_size(PHONE)
    page.goto("/documents")
    dates = page.locator("table.docs td.date")
    expect(dates).to_have_count(2)
    for n in range(2):
        label = dates.nth(n).locator(".card-label")
        expect(label).to_be_visible()
        assert label.inner_text().strip()
    assert scroll_width(page) <= PHONE["width"]
    page.set_viewport_size(WIDE)
    expect(dates.first.locator(".card-label")).to_be_hidden()  # the column heading says it


def test_save_is_in_view_on_a_phone_and_ctrl_s_saves(page, log_in, editor):
    doc = make_document(editor, kind="op_ed", title="Lång text", body=BODY)
    log_in(editor.email)
    page.set_viewport_size(PHONE)
    page.goto(f"/documents/{doc.id}/edit")
    expect(page.locator("#save")).to_be_in_viewport()
    assert scroll_width(page) <= PHONE["width"]
    body = page.locator("#body")
    body.click()
    body.press("Control+End")
    body.press_sequentially(" Sparad med kortkommando.")
    expect(page.locator("#save")).to_be_in_viewport()
    body.press("Control+s")
    page.wait_for_load_state("load")
    expect(page.locator(".flash")).to_contain_text("2")
    db.session.expire_all()
    saved = db.session.get(Document, doc.id)
    assert saved.current_revision.number == 2
    assert saved.current_revision.content["body"].endswith("Sparad med kortkommando.")


def test_preview_stays_beside_the_text_on_a_wide_screen(page, log_in, editor):
    doc = make_document(editor, kind="op_ed", title="Lång text", body=BODY)
    log_in(editor.email)
    page.set_viewport_size(WIDE)
    page.goto(f"/documents/{doc.id}/edit")
    body = page.locator("#body")
    body.click()
    body.press("Control+End")
    body.press_sequentially(" Slutet.")
    page.mouse.wheel(0, 900)  # typing far down the form
    expect(page.locator("#preview-body")).to_contain_text("Slutet.")
    text, preview = body.bounding_box(), page.locator(".editor-preview").bounding_box()
    assert preview["x"] >= text["x"] + text["width"]  # beside, not below
    expect(page.locator(".editor-preview")).to_be_in_viewport()
    expect(page.locator("#save")).to_be_in_viewport()


@pytest.mark.parametrize("answer", ["dismiss", "accept"])
def test_archive_asks_for_confirmation(page, log_in, editor, answer):
    doc = make_document(editor, title="Arkivera mig")
    log_in(editor.email)
    questions = []

    def on_dialog(dialog):
        questions.append((dialog.type, dialog.message))
        getattr(dialog, answer)()

    page.on("dialog", on_dialog)
    page.goto(f"/documents/{doc.id}")
    page.locator("button[data-action=archive]").click()
    if answer == "accept":
        page.wait_for_url(re.compile(rf"/documents/{doc.id}$"))
        expect(page.locator("button[data-action=reopen]")).to_be_visible()
    else:
        expect(page.locator("button[data-action=archive]")).to_be_visible()
    assert len(questions) == 1 and questions[0][0] == "confirm" and questions[0][1]
    db.session.expire_all()
    assert db.session.get(Document, doc.id).state == ("archived" if answer == "accept"
                                                       else "draft")


def test_unshare_asks_for_confirmation(page, log_in, editor):
    doc = make_document(editor, title="Delad")
    share(doc, make_org("gronska"))
    log_in(editor.email)
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.goto(f"/documents/{doc.id}")
    page.locator(".coalition-shares button[type=submit]").click()
    expect(page.locator(".coalition-shares li")).to_have_count(1)
    assert len(questions) == 1 and "Gronska" in questions[0]


def test_channel_settings_fit_a_phone(page, log_in, org):
    admin = make_user(org, "admin")
    log_in(admin.email)
    page.set_viewport_size(PHONE)
    page.goto("/settings/channels")
    expect(page.locator("table.stacked-table tbody tr")).to_have_count(1)  # the newsroom
    assert scroll_width(page) <= PHONE["width"]
