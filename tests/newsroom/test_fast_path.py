"""The fast path in front of the app: a repeated newsroom request is answered from memory
(no database statement) for NEWSROOM_FRESH_SECONDS, never past an embargo's lift, and what
changed shows once that second has passed."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import event

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import utcnow

from .conftest import path_of, published

FRESH = 0.6


@pytest.fixture
def fast(app):
    app.config["NEWSROOM_FRESH_SECONDS"] = FRESH
    app.extensions["newsroom_fastpath"].clear()
    yield app.extensions["newsroom_fastpath"]
    app.config["NEWSROOM_FRESH_SECONDS"] = 0
    app.extensions["newsroom_fastpath"].clear()


class Statements:
    def __init__(self):
        self.count = 0

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def test_a_repeated_page_comes_from_memory_with_the_same_headers(client, world, fast):
    published(world, title="Första")
    first = client.get("/n/mitten/")
    assert first.status_code == 200 and "X-Newsroom-Fresh-Until" not in first.headers
    with Statements() as statements:
        again = client.get("/n/mitten/")
        conditional = client.get("/n/mitten/", headers={"If-None-Match": first.headers["ETag"]})
    assert statements.count == 0
    assert again.get_data() == first.get_data()
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert conditional.status_code == 304 and not conditional.get_data()


def test_what_was_withdrawn_is_gone_once_the_second_has_passed(client, world, fast):
    doc = published(world, title="Snart borta")
    assert client.get(path_of(doc)).status_code == 200
    workflow.withdraw(world.editor, doc)
    time.sleep(FRESH + 0.1)
    assert client.get(path_of(doc)).status_code == 410
    assert "Snart borta" not in client.get("/n/mitten/").get_data(as_text=True)


def test_an_embargo_lifts_on_time_even_from_memory(client, world, fast, app):
    app.config["NEWSROOM_FRESH_SECONDS"] = 60  # memory alone would hide it for a minute
    lift = utcnow() + timedelta(seconds=1.5)
    doc = published(world, title="Hemlig nyhet", fields={"embargo": lift.isoformat()})
    assert "Hemlig nyhet" not in client.get("/n/mitten/").get_data(as_text=True)
    time.sleep(max(0, (lift - utcnow()).total_seconds()) + 0.1)
    assert "Hemlig nyhet" in client.get("/n/mitten/").get_data(as_text=True)
    assert client.get(path_of(doc)).status_code == 200


def test_pages_of_the_desk_never_go_through_memory(client, world, fast):
    assert client.get("/login").status_code == 200
    assert fast._kept == {} or all(key[0].startswith("/n/") for key in fast._kept)
