"""Shared fixtures: a real database (SQLite file, or PostgreSQL from COMMSDESK_TEST_DATABASE_URL),
the app with CSRF on, factories, and the ways in: login_as (the login form), api_as (a Bearer
token, every answer checked against the OpenAPI document) and share (coalition.share)."""
import os
import re

os.environ["COMMSDESK_ENV"] = "testing"
os.environ.pop("COMMSDESK_DATABASE_URL", None)

import pytest
from flask import Flask, current_app, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import create_engine, make_url, text

from commsdesk import coalition, create_app, documents, people
from commsdesk.api.openapi import SPEC
from commsdesk.extensions import db

pytest_plugins = ["browser_fixtures", "smtp_server"]

PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')
API_PREFIX = "/api/v1"
SPEC_URI = "urn:commsdesk:openapi"
_REGISTRY = Registry().with_resource(SPEC_URI, Resource.from_contents(
    SPEC, default_specification=DRAFT202012))


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
        return _worker_database(url, os.environ.get("PYTEST_XDIST_WORKER"))
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _worker_database(url, worker):
    """With several test processes (pytest -n N), each gets a PostgreSQL database of its own
    beside the one named, made on first use (each test empties the tables it used)."""
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database or 'postgres'}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                  {"name": name}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


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
        # Newsroom pages are checked against the database on every request here; the fast
        # path in front (a second from memory) has its own tests (tests/newsroom).
        "NEWSROOM_FRESH_SECONDS": 0,
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
                _truncate_used(conn, tables)
            else:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                for name in reversed(tables):
                    conn.execute(text(f'DELETE FROM "{name}"'))


def _truncate_used(conn, tables):
    """Empty the tables a test wrote to, and restart every identity (a rolled-back insert
    advances a sequence too). Truncating all 29 tables costs about 50 ms a test on
    PostgreSQL; asking which hold rows costs 3."""
    probe = " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")"
                               for name in tables)
    used = conn.execute(text(probe)).scalars().all()
    if used:
        conn.execute(text("TRUNCATE " + ", ".join(used) + " RESTART IDENTITY CASCADE"))
    conn.execute(text(
        "SELECT setval(s.oid, 1, false) FROM pg_class s WHERE s.relkind = 'S' "
        "AND s.relnamespace = current_schema()::regnamespace"))


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


def share(doc, *organisations, by=None):
    """Share the document with each organisation (object or slug) through coalition.share,
    as its owner unless `by` says otherwise."""
    for organisation in organisations:
        coalition.share(by or doc.owner, doc, organisation)


def run_worker(now=None):
    """One pass of the worker, as `flask worker` makes every few seconds: due publications
    and emails go out. `now`: pretend the clock says this (for scheduled rows)."""
    from commsdesk import jobs

    return jobs.run_once(now=now)


def publish_now(user, doc):
    """Publish through the workflow and let the worker send it (the text is then published)."""
    from commsdesk import workflow

    workflow.publish(user, doc)
    run_worker()
    db.session.refresh(doc)
    return doc


def login_as(app_or_client, user):
    """A test client signed in as the user through the login form, reading English.

    Given the app, a fresh client with its own cookies; given a client, that client."""
    client = app_or_client.test_client() if isinstance(app_or_client, Flask) else app_or_client
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages are looked for in English
    response = client.login(user.email)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def api_as(user):
    """An Api client for /api/v1 holding a fresh Bearer token of the user."""
    return Api(current_app.test_client(), people.issue_token(user))


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def editor(org):
    return make_user(org, "editor")


@pytest.fixture
def editor_client(client, editor):
    return login_as(client, editor)


class Api:
    """Calls /api/v1 with one user's token and checks every answer against the OpenAPI.

    Messages are asked for in English, so tests can look for words in them."""

    def __init__(self, client, token):
        self.client = client
        self.token = token

    def request(self, method, path, json=None, headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en",
                   **(headers or {})}
        response = self.client.open(API_PREFIX + path, method=method, json=json,
                                    headers=headers, **kwargs)
        assert_documented(response, method, API_PREFIX + path)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, etag=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if etag is not None:
            headers["If-Match"] = etag
        return self.request("PATCH", path, json=json, headers=headers, **kwargs)


def _pointer(*parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _template(path):
    """The OpenAPI path that a concrete /api/v1 path falls under."""
    path = path.split("?")[0].removeprefix(API_PREFIX)
    for template in SPEC["paths"]:
        pattern = "^" + re.sub(r"\\{[^}]+\\}", r"[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI paths")


def assert_documented(response, method, path):
    """The response's status, headers and body are what the OpenAPI document says."""
    template = _template(path)
    operation = SPEC["paths"][template][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method} {template} answered {status}, which the OpenAPI does not list")
    location = ["paths", template, method.lower(), "responses", status]
    documented = operation["responses"][status]
    if "$ref" in documented:
        location = documented["$ref"].removeprefix("#/").split("/")
        documented = SPEC["components"]["responses"][location[-1]]
    for name in documented.get("headers", {}):
        assert name in response.headers, f"{name} header missing from {method} {path}"
    if "content" in documented:
        assert response.is_json, response.get_data(as_text=True)[:200]
        schema = {"$ref": SPEC_URI + "#" + _pointer(*location, "content", "application/json",
                                                    "schema")}
        validator = Draft202012Validator(schema, registry=_REGISTRY,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(response.get_json()), key=str)
        assert not errors, f"{method} {path} -> {status}: {errors[0].message}"
