"""COMMSDESK_PROXY_HOPS: behind a trusted reverse proxy the login limits count the client's
address from X-Forwarded-For; without it (the default) the header is ignored."""
import pytest
from conftest import Client, login_as
from sqlalchemy import select

from commsdesk import create_app
from commsdesk.config import ConfigError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, LoginAttempt

FORWARDED = {"X-Forwarded-For": "203.0.113.7"}


def _app(app, hops):
    config = {key: app.config[key] for key in (
        "SQLALCHEMY_DATABASE_URI", "TESTING", "SECRET_KEY", "BASE_URL", "SMTP_HOST",
        "PASSWORD_HASHER", "BABEL_DEFAULT_LOCALE")}
    other = create_app({**config, "PROXY_HOPS": hops})
    other.test_client_class = Client
    return other


def _failed_login(client, email):
    token = client.csrf_token()
    return client.post("/login", data={"csrf_token": token, "email": email,
                                       "password": "fel lösenord!"}, headers=FORWARDED)


def _counted_addresses():
    keys = db.session.execute(select(LoginAttempt.key)).scalars()
    return {key for key in keys if key.startswith("ip:")}


@pytest.mark.parametrize(("hops", "address"), [(1, "203.0.113.7"), (0, "127.0.0.1")])
def test_the_login_limit_counts_the_forwarded_address_only_behind_a_trusted_proxy(
        app, editor, hops, address):
    client = _app(app, hops).test_client()
    assert _failed_login(client, editor.email).status_code == 401
    assert _counted_addresses() == {f"ip:{address}"}


def test_a_successful_login_records_the_forwarded_address(app, editor):
    client = _app(app, 1).test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.4"
    login_as(client, editor)
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "user.login")).scalar_one()
    assert entry.data["ip"] == "198.51.100.4"


def test_proxy_hops_default_to_off_and_cannot_be_negative(app):
    assert app.config["PROXY_HOPS"] == 0
    with pytest.raises(ConfigError):
        _app(app, -1)
