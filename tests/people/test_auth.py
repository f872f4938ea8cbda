"""Login, sessions that really end, rate limits, safe redirects, CSRF, password change."""
import pytest
from conftest import PASSWORD, make_user
from sqlalchemy import select

from commsdesk import people
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, User


def test_login_required_redirects_to_login(client):
    response = client.get("/documents")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_and_logout(client, editor):
    assert client.login(editor.email).status_code == 302
    assert client.get("/").status_code == 200
    client.form("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_and_audited_on_success(client, editor):
    response = client.login(editor.email, "wrong password!")
    assert response.status_code == 401
    assert client.get("/").status_code == 302
    client.login(editor.email)
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "user.login")).first()


def test_post_without_csrf_token_is_refused(client, editor):
    response = client.post("/login", data={"email": editor.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_copied_cookie_stops_working_after_logout(app, client, editor):
    client.login(editor.email)
    stolen = client.get_cookie("session").value
    client.form("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302


def test_password_change_ends_other_sessions(app, client, editor):
    client.login(editor.email)
    other = app.test_client()
    other.login(editor.email)
    response = client.form("/account/password", {
        "pw-current_password": PASSWORD, "pw-new_password": "ett nytt lösenord",
        "pw-confirm": "ett nytt lösenord"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this browser stays signed in
    assert other.get("/").status_code == 302  # the other one is out
    assert app.test_client().login(editor.email, "ett nytt lösenord").status_code == 302


def test_password_change_needs_the_current_password(client, editor):
    client.login(editor.email)
    client.form("/account/password", {"pw-current_password": "nope nope nope",
                                      "pw-new_password": "ett nytt lösenord",
                                      "pw-confirm": "ett nytt lösenord"})
    assert client.get("/").status_code == 200
    assert people.authenticate(editor.email, PASSWORD, "1.2.3.4").id == editor.id


def test_disabled_account_is_logged_out_at_once(app, client, org, editor):
    client.login(editor.email)
    admin = make_user(org, "admin")
    people.set_active(admin, editor, False)
    assert client.get("/").status_code == 302
    assert app.test_client().login(editor.email).status_code == 401


def test_login_attempts_are_rate_limited_in_the_database(app, client, editor):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert client.login(editor.email, "fel lösenord!").status_code == 401
    # Even the right password is refused now, from any client (the count is shared).
    assert app.test_client().login(editor.email).status_code == 429


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_next_redirect_stays_on_site(client, editor, target):
    token = client.csrf_token()
    response = client.post(f"/login?next={target}", data={
        "csrf_token": token, "email": editor.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_next_redirect_to_a_local_page(client, editor):
    token = client.csrf_token()
    response = client.post("/login?next=/documents?kind=op_ed", data={
        "csrf_token": token, "email": editor.email, "password": PASSWORD})
    assert response.headers["Location"] == "/documents?kind=op_ed"


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "HttpOnly" in response.headers["Set-Cookie"]


def test_missing_secret_key_in_production_fails_at_start(monkeypatch, tmp_path):
    from commsdesk import create_app
    from commsdesk.config import ConfigError

    monkeypatch.setenv("COMMSDESK_ENV", "production")
    monkeypatch.delenv("COMMSDESK_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


def test_language_follows_browser_then_user_choice(client, editor):
    client.login(editor.email)
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "My drafts" in page
    page = client.get("/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Mina utkast" in page
    client.form("/account/language", {"lang-locale": "en"})
    page = client.get("/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "My drafts" in page
    assert db.session.get(User, editor.id).locale == "en"
