"""An instant list tells its recipients at once: one inbox row and one email per item, however
many terms match; the inbox and the API show it without a document."""
from conftest import api_as, login_as, make_org, make_user, run_worker
from notifications.support import parts, subject
from sqlalchemy import select

from commsdesk.extensions import db
from commsdesk.models import ItemMatch, Notification
from monitoring_watch.world import news, pdf, source, store, watch_list


def _notes(user):
    return db.session.execute(select(Notification).where(
        Notification.user_id == user.id)).scalars().all()


def test_a_match_is_told_once_per_item_in_the_inbox_and_by_email(app, smtp):
    org = make_org("mitten")
    editor, approver = make_user(org), make_user(org, "approver")
    watch_list(editor, "Skola och förskola", "förskola, skolskjuts, \"nya skolan\"",
               recipients=[editor, approver])
    src = source(org, "https://kommun.example/handlingar", "Kommunfullmäktige")
    pages = ["Kallelse"] * 36 + ["Den nya skolan och en förskola", "förskola igen"]
    (item,), _ = store(src, pdf("Kallelse kommunfullmäktige 2026-12-01", pages))
    run_worker()
    for user in (editor, approver):
        [note] = _notes(user)
        assert note.event == "watch_match" and note.document_id is None
        assert note.data["item_id"] == item.id and note.data["page"] == 37
        assert set(note.data["terms"]) == {"förskola", "nya skolan"}
        [message] = smtp.to(user.email)
        title = subject(message)
        assert "Skola och förskola" in title and "“förskola”" in title and "37" in title
        assert "Kallelse kommunfullmäktige 2026-12-01" in title
        text, html = parts(message)
        assert f"/monitoring/items/{item.id}" in text and f"/monitoring/items/{item.id}" in html
    matches = db.session.execute(select(ItemMatch)).scalars().all()
    assert len(matches) == 3 and all(m.notified_at for m in matches)


def test_the_inbox_and_the_api_show_an_item_notification(app):
    org = make_org("mitten")
    editor = make_user(org)
    watch_list(editor, "Skola", "förskola")
    (item,), _ = store(source(org), news("Förskolan i Bergsjön stänger"))
    page = login_as(app, editor).get("/inbox").get_data(as_text=True)
    assert "Förskolan i Bergsjön stänger" in page
    assert f'href="/monitoring/items/{item.id}"' in page
    body = api_as(editor).get("/notifications").get_json()
    [row] = body["items"]
    assert row["document"] is None and "Förskolan i Bergsjön stänger" in row["message"]
    assert row["data"]["item_id"] == item.id


def test_a_digest_list_does_not_tell_at_once(app, smtp):
    org = make_org("mitten")
    editor = make_user(org)
    watch_list(editor, "Skola", "förskola", delivery="digest")
    store(source(org), news("Förskolan i Bergsjön"))
    run_worker()
    assert _notes(editor) == [] and smtp.to(editor.email) == []


def test_only_recipients_of_the_organisation_are_told(app):
    org, other = make_org("mitten"), make_org("grona")
    editor = make_user(org)
    wl = watch_list(editor, "Skola", "förskola")
    stranger = make_user(other)
    wl.recipients.append(stranger)  # cannot happen through save; the notifier checks anyway
    db.session.commit()
    store(source(org), news("Förskolan"))
    assert len(_notes(editor)) == 1 and _notes(stranger) == []
