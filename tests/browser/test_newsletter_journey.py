"""The newsletter journey in a real browser: the secretary imports 500 members from a CSV
file, makes a segment, sends an approved newsletter to it and watches the send-out's progress
bar move while the worker sends over real SMTP (aiosmtpd); a member opens the unsubscribe link
of the message received, on a phone and signed out, and is unsubscribed at once.

Assertions match markup and data attributes, not wording (the browser reads Swedish), except
the unsubscribed page's heading, read from the catalogue."""
import email
import re
import threading
from email import policy
from email.utils import parseaddr
from urllib.parse import urlsplit

from browser_fixtures import new_context, record_problems
from conftest import make_document, make_org, make_user, run_worker
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import select, update

from commsdesk import workflow
from commsdesk.audience import suppression
from commsdesk.extensions import db
from commsdesk.models import Mailing, Member, OutgoingEmail

PHONE = {"width": 390, "height": 844}
MEMBERS = 500
RATE = 50  # messages a second: the 250 of the segment take about five seconds


def _csv():
    """500 members, every other one in the branch Norr (the segment's 250)."""
    lines = ["Namn;E-post;Telefon;Kommun;Taggar;Medlem sedan"]
    for n in range(MEMBERS):
        branch = "Norr" if n % 2 else "Söder"
        lines.append(f"Medlem {n} Ås;medlem{n}@example.se;070-{n:07d};{branch};skola;2021-05-01")
    return ("\r\n".join(lines) + "\r\n").encode()


def _approved_newsletter(org):
    editor, approver = make_user(org, "editor"), make_user(org, "approver")
    doc = make_document(editor, kind="newsletter", title="Nytt från Norr",
                        body="Hej! Här är **veckans** nyheter.", subject="Veckobrev från Norr",
                        preheader="Skolor, vård och möten")
    workflow.submit(editor, doc)
    workflow.approve(approver, doc)
    db.session.execute(update(OutgoingEmail).values(state="sent"))  # not the review emails
    db.session.commit()
    return editor, doc


class Worker(threading.Thread):
    """The app's worker, passing again and again until the send-out is finished."""

    def __init__(self, app, mailing_id):
        super().__init__(name="journey-worker", daemon=True)
        self.app, self.mailing_id, self.error = app, mailing_id, None

    def run(self):
        with self.app.app_context():
            try:
                for _ in range(200):
                    run_worker()
                    if db.session.get(Mailing, self.mailing_id).state == "finished":
                        return
                    db.session.expire_all()
            except Exception as exc:  # surfaced by the test
                self.error = exc
            finally:
                db.session.remove()


def _import(page):
    page.goto("/members/import")
    page.set_input_files("#file", files=[{"name": "medlemmar.csv", "mimeType": "text/csv",
                                          "buffer": _csv()}])
    page.locator("main form button.primary").click()
    page.wait_for_url(re.compile(r"/members/import/\d+$"))
    expect(page.locator("main table tbody tr").first).to_be_visible()  # the preview
    expect(page.locator("#col-1")).to_have_value("email")
    page.locator("button[name=action][value=confirm]").click()
    page.wait_for_url(re.compile(r"/members/import/\d+/progress$"))
    expect(page.locator("#import-progress")).to_have_attribute("data-state", "finished")
    expect(page.locator("#import-bar")).to_have_attribute("value", "100")


def _segment(page):
    page.goto("/segments/new")
    page.fill("#name", "Norr")
    page.locator("input[name=branches][value=Norr]").check()
    expect(page.locator("#segment-count")).to_have_text(str(MEMBERS // 2))
    page.locator("#segment-form button.primary").click()
    page.wait_for_url(lambda url: "/segments/new" not in url)


def _send(page, doc):
    page.goto(f"/documents/{doc.id}")
    form = page.locator("#send-by-email form")
    form.locator("input[name=all_members]").uncheck()
    form.locator("input[name=segment]").check()
    expect(form.locator(".mailing-count")).to_contain_text(str(MEMBERS // 2))
    page.once("dialog", lambda dialog: dialog.accept())
    form.locator("button.primary").click()
    page.wait_for_url(re.compile(r"/mailings/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _watch(page, app, mailing_id):
    """The bar moves while the worker sends, then the page shows the send-out finished."""
    bar = page.locator("#mailing-bar")
    expect(bar).to_have_attribute("max", str(MEMBERS // 2))
    expect(bar).to_have_attribute("value", "0")
    worker = Worker(app, mailing_id)
    worker.start()
    page.wait_for_function(
        "() => { const b = document.getElementById('mailing-bar');"
        " return b && b.value > 0 && b.value < b.max; }", timeout=15_000)
    # The page says it is sending (drawn again when the worker started), not "scheduled".
    expect(page.locator(".mailing-state")).to_have_attribute("data-state", "sending")
    expect(page.locator(".mailing-state")).to_have_attribute("data-state", "finished",
                                                             timeout=20_000)
    worker.join(timeout=20)
    assert worker.error is None, worker.error
    expect(page.locator("#mailing-bar")).to_have_attribute("value", str(MEMBERS // 2))


def _unsubscribe_link(message):
    html = message.get_body(("html",)).get_content()
    (link,) = set(re.findall(r'href="(https?://[^"]+/u/[\w.-]+)"', html))
    return link


def test_import_segment_send_and_unsubscribe_in_one_click(app, page, log_in, browser,
                                                          live_server, browser_problems, smtp,
                                                          monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_RATE", RATE)
    org = make_org("mitten", "Mittenpartiet")
    editor, doc = _approved_newsletter(org)

    log_in(editor.email)
    _import(page)
    assert db.session.query(Member).filter_by(organisation_id=org.id).count() == MEMBERS
    _segment(page)
    mailing_id = _send(page, doc)
    _watch(page, app, mailing_id)

    received = {}
    for raw in smtp.messages:  # as the server got them (headers unfolded, not re-serialised)
        received.setdefault(parseaddr(raw["To"])[1], []).append(raw)
    members = {f"medlem{n}@example.se" for n in range(1, MEMBERS, 2)}  # Norr, once each
    assert {to: len(m) for to, m in received.items() if "medlem" in to} == \
        dict.fromkeys(members, 1)
    (raw,) = received["medlem7@example.se"]
    message = email.message_from_bytes(raw.as_bytes(), policy=policy.default)
    assert message["To"].addresses[0].display_name == "Medlem 7 Ås"
    link = _unsubscribe_link(message)
    assert raw["List-Unsubscribe"] == f"<{link}/one-click>"
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The member, on a phone and signed out, opens the link: unsubscribed at once.
    phone = new_context(browser, live_server, PHONE)
    try:
        member_page = record_problems(phone.new_page(), browser_problems)
        member_page.goto(urlsplit(link).path)
        with app.test_request_context(), force_locale("sv"):
            heading = gettext("You are unsubscribed")
        expect(member_page.locator("main h1")).to_have_text(heading)
        width = member_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    finally:
        phone.close()
    member = db.session.execute(select(Member).where(
        Member.email == "medlem7@example.se")).scalar_one()
    assert member.state == "unsubscribed"
    assert suppression.is_suppressed(org.id, "medlem7@example.se")
    assert db.session.query(Member).filter_by(state="subscribed").count() == MEMBERS - 1
