"""The email settings page: admins change, editors read, everyone else finds nothing;
values are validated and the change is audited."""
import pytest
from conftest import login_as, make_org, make_user
from sqlalchemy import select

from commsdesk.audience import settings
from commsdesk.errors import Forbidden, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry

GOOD = {"from_name": "Mitten i Staden", "reply_to": "Kansli@Mitten.example", "weekly_cap": "2",
        "tracking": "1", "signup_open": "1", "consent_text": "Ja tack."}


def test_defaults_are_careful(app):
    org = make_org()
    current = settings.get(org)
    assert (current.tracking, current.signup_open, current.weekly_cap) == (False, False, None)


def test_admin_saves_and_the_change_is_audited(app):
    org = make_org()
    admin = make_user(org, "admin")
    saved = settings.save(admin, org, GOOD)
    assert saved == settings.MailSettings("Mitten i Staden", "kansli@mitten.example", 2, True,
                                          True, "Ja tack.")
    changes = select(AuditEntry).where(AuditEntry.action == "mail.settings_changed")
    entry = db.session.execute(changes).scalar_one()
    assert entry.data["consent_text"] is True and entry.data["weekly_cap"] == "2"
    settings.save(admin, org, GOOD)  # nothing changed: nothing logged
    assert len(db.session.execute(changes).all()) == 1
    off = settings.save(admin, org, {**GOOD, "tracking": "", "signup_open": None})
    assert not off.tracking and not off.signup_open


@pytest.mark.parametrize("field,value", [
    ("reply_to", "inte en adress"), ("weekly_cap", "0"), ("weekly_cap", "tre"),
    ("weekly_cap", "51"), ("consent_text", "x" * 2001), ("from_name", "y" * 101)])
def test_invalid_values_are_refused(app, field, value):
    org = make_org()
    with pytest.raises(ValidationError) as caught:
        settings.save(make_user(org, "admin"), org, {**GOOD, field: value})
    assert caught.value.details["field"] == field


def test_only_admins_change(app):
    org = make_org()
    with pytest.raises(Forbidden):
        settings.save(make_user(org, "editor"), org, GOOD)
    other = make_org("grona")
    with pytest.raises(Forbidden):
        settings.save(make_user(other, "admin"), org, GOOD)


def test_page_for_admins_editors_read_others_404(app):
    org = make_org()
    admin = login_as(app, make_user(org, "admin"))
    page = admin.get("/settings/email/")
    assert page.status_code == 200 and "/n/mitten/join" in page.get_data(as_text=True)
    response = admin.form("/settings/email/", GOOD)
    assert response.status_code == 302
    assert settings.get(org).weekly_cap == 2
    bad = admin.form("/settings/email/", {**GOOD, "weekly_cap": "x"})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    editor = login_as(app, make_user(org, "editor"))
    text = editor.get("/settings/email/").get_data(as_text=True)
    assert "Only an admin of Mitten may change these settings." in text
    assert editor.form("/settings/email/", {**GOOD, "weekly_cap": "5"}).status_code == 403
    assert settings.get(org).weekly_cap == 2
    for role in ("approver", "contributor"):
        client = login_as(app, make_user(org, role))
        assert client.get("/settings/email/").status_code == 404
        assert client.form("/settings/email/", GOOD).status_code == 404
