"""API tokens: revoked by their owner (alone or with a password change) and when an admin
disables the account, so re-enabling it does not bring old tokens back."""
from conftest import PASSWORD, login_as, make_user
from sqlalchemy import select

from commsdesk import people
from commsdesk.extensions import db
from commsdesk.models import ApiToken, AuditEntry

NEW_PASSWORD = "a brand new passphrase"


def _works(app, token):
    response = app.test_client().get("/api/v1/documents",
                                     headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200


def _change_password(client, **extra):
    return client.form("/account/password", {
        "pw-current_password": PASSWORD, "pw-new_password": NEW_PASSWORD,
        "pw-confirm": NEW_PASSWORD, **extra})


def test_a_password_change_keeps_api_tokens_unless_asked(app, editor):
    token = people.issue_token(editor)
    client = login_as(app, editor)
    assert "Sign out API tokens too" in client.get("/account/").get_data(as_text=True)
    assert _change_password(client).status_code == 302
    assert _works(app, token)


def test_a_password_change_can_revoke_every_api_token(app, editor):
    tokens = [people.issue_token(editor), people.issue_token(editor)]
    client = login_as(app, editor)
    assert _change_password(client, **{"pw-revoke_tokens": "1"}).status_code == 302
    assert not any(_works(app, token) for token in tokens)
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "token.revoked")).scalar_one()
    assert entry.actor_id == editor.id and entry.data["count"] == 2


def test_revoke_all_my_api_tokens(app, editor, org):
    colleague = make_user(org, "approver")
    mine, theirs = people.issue_token(editor), people.issue_token(colleague)
    client = login_as(app, editor)
    page = client.get("/account/").get_data(as_text=True)
    assert "Revoke all my API tokens" in page
    response = client.form("/account/tokens/revoke", follow_redirects=True)
    assert "1 API token revoked" in response.get_data(as_text=True)
    assert not _works(app, mine) and _works(app, theirs)
    response = client.form("/account/tokens/revoke", follow_redirects=True)
    assert "You have no active API tokens." in response.get_data(as_text=True)


def test_disabling_a_user_revokes_their_tokens_for_good(app, org):
    admin = make_user(org, "admin")
    editor = make_user(org, "editor")
    token = people.issue_token(editor)
    admin_client = login_as(app, admin)
    form = {"email": editor.email, "name": editor.name, "role": "editor"}
    assert admin_client.form(f"/admin/user/edit/?id={editor.id}", form).status_code == 302
    assert not _works(app, token)
    admin_client.form(f"/admin/user/edit/?id={editor.id}", {**form, "active": "y"})
    db.session.expire_all()
    assert editor.active
    assert not _works(app, token)  # enabled again, but the old token stays revoked
    assert db.session.execute(select(ApiToken.revoked_at)).scalar_one() is not None


def test_set_active_false_revokes_tokens(org):
    admin = make_user(org, "admin")
    editor = make_user(org, "editor")
    people.issue_token(editor)
    people.set_active(admin, editor, False)
    people.set_active(admin, editor, True)
    assert db.session.execute(select(ApiToken.revoked_at)).scalar_one() is not None
