"""The inbox page, the unread count in the navigation, and the email settings page."""
import re

import pytest
from conftest import login_as, make_document, make_org, make_user
from markup import HOSTILE, assert_inert

from commsdesk import notifications
from commsdesk.extensions import db
from commsdesk.models import Notification


@pytest.fixture
def setup(app):
    org = make_org("mitten")
    actor = make_user(org, "editor")
    reader = make_user(org, "approver")
    doc = make_document(actor, title="Skolutspel")
    notifications.notify("review_requested", doc, actor, [reader])
    notifications.notify("changes_requested", doc, actor, [reader], message="Korta ingressen.")
    db.session.commit()
    return actor, reader, doc


def _ids(user):
    return [n.id for n in notifications.inbox(user)[0]]


def test_inbox_lists_newest_first_with_unread_highlighted(app, setup):
    _actor, reader, doc = setup
    client = login_as(app, reader)
    page = client.get("/inbox").get_data(as_text=True)
    first = page.index("requested changes to “Skolutspel”")
    assert first < page.index("asks you to review “Skolutspel”")
    assert page.count('class="inbox-item unread"') == 2
    assert "Korta ingressen." in page
    assert f'href="/documents/{doc.id}"' in page
    assert re.search(r'Inbox <span class="badge">2<', page)


def test_mark_one_and_all_as_read(app, setup):
    _actor, reader, _doc = setup
    client = login_as(app, reader)
    newest, _oldest = _ids(reader)
    response = client.form(f"/inbox/{newest}/read", {"next": "/inbox?unread=1"})
    assert response.status_code == 302 and response.location.endswith("/inbox?unread=1")
    page = client.get("/inbox").get_data(as_text=True)
    assert page.count('class="inbox-item unread"') == 1 and 'class="inbox-item read"' in page
    assert re.search(r'Inbox <span class="badge">1<', page)
    assert "Korta ingressen." not in client.get("/inbox?unread=1").get_data(as_text=True)

    client.form(f"/inbox/{newest}/unread")
    assert notifications.unread_count(reader) == 2
    assert client.form("/inbox/read-all").status_code == 302
    assert notifications.unread_count(reader) == 0
    page = client.get("/inbox").get_data(as_text=True)
    assert 'class="badge"' not in page


def test_open_marks_read_and_goes_to_the_document(app, setup):
    _actor, reader, doc = setup
    client = login_as(app, reader)
    newest = _ids(reader)[0]
    response = client.form(f"/inbox/{newest}/open")
    assert response.status_code == 302 and response.location.endswith(f"/documents/{doc.id}")
    assert db.session.get(Notification, newest).read_at is not None


def test_others_notifications_are_404_and_forms_need_csrf(app, setup):
    actor, reader, _doc = setup
    other_org_admin = make_user(make_org("annat"), "admin")
    client = login_as(app, other_org_admin)
    note = _ids(reader)[0]
    for action in ("read", "unread", "open"):
        assert client.form(f"/inbox/{note}/{action}").status_code == 404
    assert login_as(app, actor).form(f"/inbox/{note}/read").status_code == 404
    assert login_as(app, reader).post(f"/inbox/{note}/read").status_code == 400  # no token
    assert db.session.get(Notification, note).read_at is None


def test_inbox_needs_login(client):
    response = client.get("/inbox")
    assert response.status_code == 302 and "/login" in response.location


def test_hostile_title_and_message_are_text_in_the_inbox(app):
    org = make_org("mitten")
    actor, reader = make_user(org, "editor"), make_user(org, "approver")
    doc = make_document(actor, title=HOSTILE[:290])
    notifications.notify("changes_requested", doc, actor, [reader], message=HOSTILE)
    db.session.commit()
    page = login_as(app, reader).get("/inbox").get_data(as_text=True)
    main = page[page.index('<main'):]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in main
    assert_inert(main, {"main", "div", "h1", "a", "form", "input", "button", "p", "span",
                        "ul", "li", "blockquote", "time"})


def test_the_inertness_check_catches_live_markup():
    with pytest.raises(AssertionError):
        assert_inert(HOSTILE, {"p"})
    with pytest.raises(AssertionError):
        assert_inert('<a href=" JavaScript:alert(1)">x</a>', {"a"})


def test_preferences_page_saves_email_choices(app, setup):
    _actor, reader, _doc = setup
    client = login_as(app, reader)
    page = client.get("/inbox/preferences").get_data(as_text=True)
    for event in notifications.EVENTS:
        assert f'value="{event}"' in page
    checked = set(re.findall(r'value="(\w+)" checked', page))
    assert checked == {e for e, on in notifications.EMAIL_DEFAULTS.items() if on}
    assert "Review requested" in page and "Suggestions (new, accepted, declined)" in page
    assert "/inbox/preferences" in client.get("/account/").get_data(as_text=True)

    response = client.form("/inbox/preferences", {"email": ["comment", "published"]})
    assert response.status_code == 302
    assert {e for e, on in notifications.preferences(reader).items() if on} == {
        "comment", "published"}
    page = client.get("/inbox/preferences").get_data(as_text=True)
    assert set(re.findall(r'value="(\w+)" checked', page)) == {"comment", "published"}


def test_event_labels_are_translatable():
    from flask_babel import LazyString

    assert all(isinstance(label, LazyString) for label in notifications.EVENT_LABELS.values())
