"""The joint text appears in both parties' newsrooms (pages, feeds, sitemap) once the
release time has come, and in neither before it."""
from datetime import timedelta

import pytest
from conftest import run_worker
from sqlalchemy import select

from commsdesk import channels as channel_registry
from commsdesk import coalition_release, newsroom
from commsdesk.extensions import db
from commsdesk.models import Publication, utcnow

TITLE = "Gemensamt utspel"


@pytest.fixture(autouse=True)
def empty_page_cache(app):
    newsroom.pages.clear()
    app.extensions["newsroom_fastpath"].clear()
    yield
    newsroom.pages.clear()


def _shown(client, slug):
    """Where the text shows in the organisation's newsroom: page, RSS, Atom, sitemap."""
    found = set()
    for url in (f"/n/{slug}/", f"/n/{slug}/feed.rss", f"/n/{slug}/feed.atom",
                f"/n/{slug}/sitemap.xml"):
        body = client.get(url).get_data(as_text=True)
        if TITLE in body or (f"/n/{slug}/" in body and "-gemensamt-utspel" in body):
            found.add(url)
    return found


def _time_passes(doc, delta):
    """The release time comes: every time on the rows moves back by delta (no sleeping)."""
    for row in db.session.execute(
            select(Publication).where(Publication.document_id == doc.id)).scalars():
        row.due_at, row.sent_at = row.due_at - delta, row.sent_at - delta
        row.embargo_until = row.embargo_until - delta
    db.session.commit()


def test_the_joint_text_reaches_both_newsrooms_at_the_release_time(client, world):
    at = utcnow() + timedelta(hours=1)
    coalition_release.set_time(world.editor, world.doc, at)
    coalition_release.plan(world.editor, world.doc,
                           [channel_registry.website_channel(world.owner).id])
    coalition_release.plan(world.green_editor, world.doc,
                           [channel_registry.website_channel(world.green).id])
    run_worker()  # the worker's clock says it is not yet time
    assert _shown(client, "mitten") == set() and _shown(client, "gron") == set()
    run_worker(now=at)  # a worker whose clock runs ahead: sent, but still under embargo
    assert _shown(client, "mitten") == set() and _shown(client, "gron") == set()
    _time_passes(world.doc, at - utcnow() + timedelta(seconds=1))
    for slug in ("mitten", "gron"):
        assert len(_shown(client, slug)) == 4, slug
    page = client.get(f"/n/gron/{world.doc.id}-gemensamt-utspel")
    assert page.status_code == 200
    assert "Gröna" in page.get_data(as_text=True)
    assert client.get(f"/n/hoger/{world.doc.id}-gemensamt-utspel").status_code == 404
