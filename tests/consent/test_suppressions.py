"""The suppression list page: counts by reason, "is this address suppressed?" (a hash of
the typed address), lifting an entry (admins, with a reason, audited); others 404."""
from conftest import login_as, make_org, make_user
from sqlalchemy import select

from commsdesk.audience import suppression
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Suppression


def _suppress(org, *pairs):
    for email, reason in pairs:
        suppression.suppress(org.id, email, reason)
    db.session.commit()


def test_counts_and_check(app):
    org = make_org()
    _suppress(org, ("a@example.org", "unsubscribed"), ("b@example.org", "unsubscribed"),
              ("c@example.org", "hard_bounce"))
    _suppress(make_org("grona"), ("d@example.org", "erased"))
    client = login_as(app, make_user(org, "editor"))
    page = client.get("/members/suppressed/").get_data(as_text=True)
    assert "<td>Unsubscribed</td><td>2</td>" in page and "<td>Erased</td><td>0</td>" in page
    assert "<td>3</td>" in page  # the total
    found = client.form("/members/suppressed/", {"email": " C@Example.org "})
    assert "Yes: Bounced" in found.get_data(as_text=True)
    assert "Take off the suppression list" not in found.get_data(as_text=True)  # editor
    other = client.form("/members/suppressed/", {"email": "d@example.org"})
    assert "No, the address is not suppressed." in other.get_data(as_text=True)
    checks = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "suppression.checked")).scalars().all()
    assert [entry.data["found"] for entry in checks] == [True, False]
    assert all("example.org" not in str(entry.data) for entry in checks)


def test_admin_lifts_with_a_reason(app):
    org = make_org()
    _suppress(org, ("a@example.org", "hard_bounce"))
    admin = login_as(app, make_user(org, "admin"))
    page = admin.form("/members/suppressed/", {"email": "a@example.org"})
    assert "Take off the suppression list" in page.get_data(as_text=True)
    refused = admin.form("/members/suppressed/remove", {"email": "a@example.org", "why": ""},
                         follow_redirects=True)
    assert "Reason is required." in refused.get_data(as_text=True)
    assert suppression.is_suppressed(org.id, "a@example.org")
    done = admin.form("/members/suppressed/remove",
                      {"email": "a@example.org", "why": "The mailbox works again."},
                      follow_redirects=True)
    assert "The address is off the suppression list." in done.get_data(as_text=True)
    assert db.session.execute(select(Suppression)).first() is None
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "suppression.removed")).scalar_one()
    assert entry.data["reason"] == "hard_bounce" and entry.data["why"] == "The mailbox works again."


def test_editor_may_not_lift_and_others_see_nothing(app):
    org = make_org()
    _suppress(org, ("a@example.org", "manual"))
    editor = login_as(app, make_user(org, "editor"))
    editor.form("/members/suppressed/remove", {"email": "a@example.org", "why": "x"})
    assert suppression.is_suppressed(org.id, "a@example.org")
    for role in ("approver", "contributor"):
        client = login_as(app, make_user(org, role))
        assert client.get("/members/suppressed/").status_code == 404
        assert client.form("/members/suppressed/", {"email": "a@example.org"}).status_code == 404
        assert client.form("/members/suppressed/remove",
                           {"email": "a@example.org", "why": "x"}).status_code == 404
    assert suppression.is_suppressed(org.id, "a@example.org")
