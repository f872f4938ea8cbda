"""Shared fixtures: a real database (SQLite file, or PostgreSQL from COMMSDESK_TEST_DATABASE_URL),
the app with CSRF on, and factories."""
import os
import re

os.environ["COMMSDESK_ENV"] = "testing"
os.environ.pop("COMMSDESK_DATABASE_URL", None)

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from commsdesk import create_app, documents, people
from commsdesk.extensions import db

pytest_plugins = ["browser_fixtures", "smtp_server"]

PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


class Client(FlaskClient):
    """The Flask test client with helpers that go through the real forms and CSRF.

    Each request runs in a fresh app context (its own `g` and database session), as in a real
    server, even though the test itself holds one; the test's session is expired afterwards
    so it sees what the request wrote."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)  # read streamed bodies inside the request's context
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response

    def csrf_token(self):
        page = self.get("/login", follow_redirects=True).get_data(as_text=True)
        match = CSRF_RE.search(page)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def login(self, email, password=PASSWORD):
        token = self.csrf_token()
        return self.post("/login", data={"csrf_token": token, "email": email,
                                         "password": password})

    def form(self, url, data=None, **kwargs):
        """POST a form with a valid CSRF token."""
        return self.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, **kwargs)

    def json_post(self, url, payload):
        return self.post(url, json=payload, headers={"X-CSRFToken": self.csrf_token()})


def _database_url(tmp_path_factory):
    url = os.environ.get("COMMSDESK_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": None,
        "BASE_URL": "http://localhost",
        "SMTP_HOST": None,
        "PASSWORD_HASHER": "fast",
        # Tests read English unless they ask for another language (Accept-Language, locale).
        "BABEL_DEFAULT_LOCALE": "en",
    })
    app.test_client_class = Client
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    return app


@pytest.fixture(autouse=True)
def clean_db(app):
    """Each test starts from empty tables and runs inside an app context."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
            else:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                for name in reversed(tables):
                    conn.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_org(slug="mitten", name=None):
    return people.create_organisation(name or slug.capitalize(), slug)


def make_user(org, role="editor", email=None, password=PASSWORD, superuser=False):
    email = email or f"{role}-{org.slug}@example.org"
    return people.create_user(email, email.split("@")[0], role, org, password=password,
                              superuser=superuser)


def make_document(user, kind="press_release", title="Rubrik", body="Brödtext", **content):
    return documents.create_document(user, kind, {"title": title, "body": body, **content})


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def editor(org):
    return make_user(org, "editor")


@pytest.fixture
def editor_client(client, editor):
    response = client.login(editor.email)
    assert response.status_code == 302
    return client
