"""Fixtures of the monitoring sources' tests: the local feed server, a listening socket that
never answers, short timeouts, and an organisation that allows 127.0.0.1."""
import socket

import pytest
from conftest import make_org, make_user

from commsdesk.monitoring import sources

from .feed_server import FeedServer


@pytest.fixture
def feeds():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def silent():
    """A port that accepts connections and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


@pytest.fixture(autouse=True)
def short_timeouts(app, monkeypatch):
    monkeypatch.setitem(app.config, "MONITOR_CONNECT_TIMEOUT", 1)
    monkeypatch.setitem(app.config, "MONITOR_READ_TIMEOUT", 1)
    monkeypatch.setitem(app.config, "MONITOR_DEADLINE", 2)


@pytest.fixture
def office(app):
    """An organisation whose admin allowed 127.0.0.1 (the test server), and its editor."""
    org = make_org("mitten")
    admin = make_user(org, "admin")
    sources.set_allowed_hosts(admin, "127.0.0.1")
    return org, make_user(org, "editor"), admin
