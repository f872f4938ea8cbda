"""The approval loop of a coalition op-ed, walked by four people in their own browsers, in
Swedish: the owner's secretary at a desk, both group leaders on a phone, the partner's
secretary suggesting a change. Nobody needs a phone call to know when to act.

1. The owner's secretary writes an op-ed, shares it with the partner, both organisations
   name a signatory (the owner sets the order), and it goes to review.
2. Each group leader opens the notification from the inbox and approves: two taps.
3. The partner's suggestion, once accepted, makes both approvals stale: each leader is told
   in the inbox and sees it in the overview's to-do, sees what changed, and approves again.
4. The decision trail shows one list of signatories and both approvals of the final text.
"""
import re

from conftest import make_org, make_user
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
TITLE = "Bussar i hela Älvstad"
BODY = "\n\n".join(f"Stycke {n}: kollektivtrafiken ska nå byarna varje timme." for n in
                   range(12))
SUGGESTED = BODY.replace("Stycke 3: kollektivtrafiken ska nå byarna varje timme.",
                         "Stycke 3: kollektivtrafiken ska nå byarna varje halvtimme.")
OWNER_SIGNATORY, PARTNER_SIGNATORY = "Bo Berg", "Dina Dal"
# The Swedish inbox sentences (notifications.SENTENCES) that ask a leader to act.
SHARED_FOR_REVIEW = "med din organisation för granskning"
ASKS_TO_REVIEW = "ber dig granska"
CHANGED_SINCE_APPROVED = "sedan du godkände den"


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def in_view(locator, viewport):
    """The element is visible on the screen as the page opened, without scrolling."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], box


def write_share_and_submit(secretary, partner_secretary, partner, leader):
    """Step 1: the owner's secretary at a desk; the partner's secretary names theirs."""
    page = secretary
    page.goto("/documents/new")
    page.get_by_label("Typ").select_option(label="Debattartikel")
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_role("button", name="Skapa och redigera").click()
    page.wait_for_url(re.compile(r"/documents/\d+/edit$"))
    doc_id = int(re.search(r"/documents/(\d+)/edit", page.url).group(1))
    page.get_by_label("Brödtext (Markdown)").fill(BODY)
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".docmeta")).to_contain_text("2")

    page.get_by_role("link", name="Läs", exact=True).click()
    page.get_by_label("Dela med en partnerorganisation").select_option(label=partner.name)
    page.get_by_role("button", name="Dela", exact=True).click()
    expect(page.locator(".coalition-shares")).to_contain_text(partner.name)
    add_signatory(page, OWNER_SIGNATORY, "gruppledare")

    partner_secretary.goto(f"/documents/{doc_id}")
    add_signatory(partner_secretary, PARTNER_SIGNATORY, "gruppledare")

    page.reload()
    page.get_by_role("button", name=f"Flytta upp {PARTNER_SIGNATORY}").click()  # owner's order
    expect(page.locator(".signatories .sig-name")).to_have_text(
        [PARTNER_SIGNATORY, OWNER_SIGNATORY])
    page.get_by_role("checkbox", name=re.compile(re.escape(leader.name))).check()
    page.get_by_role("button", name="Skicka på granskning").click()
    expect(page.locator(".docmeta .state")).to_have_text("Granskning")
    return doc_id


def add_signatory(page, name, title):
    box = page.locator("details.sig-add")
    box.locator("summary").click()
    box.get_by_label("Namn").fill(name)
    # A person's title, not a headline ("Rubrik", the document title's label in Swedish).
    expect(box.locator("label[for=sig-new-title]")).not_to_have_text("Rubrik")
    box.locator("#sig-new-title").fill(title)
    box.get_by_role("button", name="Lägg till undertecknare").click()
    expect(page.locator(".signatories")).to_contain_text(name)


def approve_from_the_inbox(page, sentence, revision):
    """Step 2 (and 3): from the inbox to an approval in exactly two taps on a phone."""
    page.goto("/inbox")
    fits_the_phone(page)
    item = page.locator(".inbox-item.unread", has_text=sentence).filter(has_text=TITLE)
    expect(item).to_have_count(1)
    taps = [item.get_by_role("button", name="Öppna"),
            page.get_by_role("button", name=f"Godkänn version {revision}")]
    taps[0].click()  # tap 1: the notification
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    in_view(taps[1], PHONE)
    fits_the_phone(page)
    taps[1].click()  # tap 2: approve, and nothing more
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    expect(page.locator("#review-bar")).to_have_count(0)
    expect(page.locator(".flash").first).to_be_visible()


def decide_the_suggestion(secretary, partner_secretary, doc_id):
    """Step 3: the partner suggests; the owner's secretary accepts it from the to-do."""
    page = partner_secretary
    page.goto(f"/documents/{doc_id}")
    page.get_by_role("link", name="Föreslå en ändring").click()
    page.get_by_label("Brödtext (Markdown)").fill(SUGGESTED)
    page.get_by_role("button", name="Skicka ändringsförslag").click()
    page.wait_for_url(re.compile(r"/suggestions/\d+$"))

    page = secretary
    page.goto("/")
    todo = page.locator(".todo-item.todo-suggestion", has_text=TITLE)
    todo.get_by_role("link", name=re.compile("^Beslut")).click()
    page.get_by_role("button", name="Godta som version 3").click()
    expect(page.locator(".flash").first).to_contain_text("3")


def sees_it_is_stale(page, doc_id):
    """Step 3: a leader on the phone is told (inbox) and sees the text in the to-do, and
    what changed since their approval, with the approval at hand."""
    page.goto("/inbox")
    expect(page.locator(".inbox-item.unread", has_text=CHANGED_SINCE_APPROVED)
           .filter(has_text=TITLE)).to_have_count(1)
    page.goto("/")
    fits_the_phone(page)
    todo = page.locator(".todo-item.todo-renew", has_text=TITLE)
    expect(todo).to_contain_text("Ändrat sedan du godkände")
    todo.get_by_role("link", name=re.compile("^Se vad som ändrats")).click()
    expect(page.locator("ins", has_text="halvtimme").first).to_be_visible()
    in_view(page.get_by_role("button", name="Godkänn version 3"), PHONE)
    fits_the_phone(page)


def check_the_trail(page, doc_id, owner, partner):
    """Step 4: agreed; one list of signatories in the owner's order; both organisations'
    approvals of the final revision, with its hash."""
    page.goto(f"/documents/{doc_id}")
    expect(page.locator("#agreement")).to_contain_text("version 3")
    page.get_by_role("link", name="Beslutsunderlag för utskrift").click()
    expect(page.locator(".trail-agreed")).to_contain_text("Ja")
    expect(page.locator(".trail-signatories li")).to_have_count(2)
    expect(page.locator(".trail-signatories .sig-name")).to_have_text(
        [PARTNER_SIGNATORY, OWNER_SIGNATORY])
    expect(page.get_by_text("en per rad")).to_have_count(0)  # no second, free-text list
    final_hash = page.locator(".trail-section code.hash").first.inner_text()
    current = page.locator(".trail-approval").filter(
        has=page.locator("td:last-child", has_text=re.compile(r"^\s*aktuell\s*$")))
    expect(current).to_have_count(2)
    expect(current.locator("td").nth(1)).to_have_text(owner.name)
    expect(current.nth(1).locator("td").nth(1)).to_have_text(partner.name)
    for row in range(2):
        expect(current.nth(row).locator("td").nth(3)).to_have_text("3")
        expect(current.nth(row).locator("code.hash")).to_have_text(final_hash)


def test_coalition_op_ed_from_draft_to_agreed_with_phone_approvals(person):
    owner = make_org("mitten", "Mittenpartiet")
    partner = make_org("grona", "Gröna")
    secretary_user = make_user(owner, "editor", "anna.sekreterare@mitten.example")
    leader = make_user(owner, "approver", "bo.gruppledare@mitten.example")
    partner_secretary_user = make_user(partner, "editor", "cilla.sekreterare@grona.example")
    partner_leader = make_user(partner, "approver", "david.gruppledare@grona.example")

    secretary = person(secretary_user.email, DESKTOP)
    partner_secretary = person(partner_secretary_user.email, DESKTOP)
    doc_id = write_share_and_submit(secretary, partner_secretary, partner, leader)

    leader_phone = person(leader.email, PHONE)
    partner_leader_phone = person(partner_leader.email, PHONE)
    approve_from_the_inbox(leader_phone, ASKS_TO_REVIEW, 2)
    approve_from_the_inbox(partner_leader_phone, SHARED_FOR_REVIEW, 2)
    expect(partner_leader_phone.locator("#agreement")).to_contain_text("version 2")

    decide_the_suggestion(secretary, partner_secretary, doc_id)
    for phone in (leader_phone, partner_leader_phone):
        sees_it_is_stale(phone, doc_id)
    approve_from_the_inbox(leader_phone, CHANGED_SINCE_APPROVED, 3)
    approve_from_the_inbox(partner_leader_phone, CHANGED_SINCE_APPROVED, 3)

    check_the_trail(secretary, doc_id, owner, partner)
