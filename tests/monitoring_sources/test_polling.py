"""Polling by the worker: items stored once, conditional GET, a broken source recorded
without stopping the others, health over time, backoff, one poll per source at a time."""
from datetime import timedelta

from conftest import run_worker
from sqlalchemy import select, update

from commsdesk.extensions import db
from commsdesk.models import Item, Source, SourceCheck, utcnow
from commsdesk.monitoring import polling, sources


def _source(org, url, kind="feed", **fields):
    source = Source(organisation_id=org.id, name=url, url=url, kind=kind,
                    next_poll_at=utcnow(), failures=0, **fields)
    db.session.add(source)
    db.session.commit()
    return source


def _items(org):
    return db.session.execute(select(Item).where(Item.organisation_id == org.id)
                              .order_by(Item.id)).scalars().all()


def test_a_broken_source_does_not_stop_the_others(app, feeds, office):
    org = office[0]
    broken = _source(org, feeds.url + "/laughs.xml")
    huge = _source(org, feeds.url + "/huge-declared.xml")
    good = _source(org, feeds.url + "/rss.xml")
    latin = _source(org, feeds.url + "/latin1.xml")
    now = utcnow() + timedelta(seconds=1)
    assert run_worker(now=now)["monitor_polls"] == 4
    assert {i.title for i in _items(org)} == {"Förskolan i Norrby stänger", "Nytt badhus",
                                              "Vår åsikt om ängen och öarna"}
    db.session.refresh(broken)
    assert broken.last_error == "The feed declares XML entities, which are refused for safety."
    assert broken.failures == 1 and huge.failures == 1 and "larger than 5 MB" in huge.last_error
    health = sources.health(broken)
    assert health.status == "failing" and health.ratio == 0
    good_health = sources.health(good)
    assert good_health.status == "ok" and good_health.new_items == 2
    assert good.next_poll_at == now + timedelta(minutes=30) and latin.last_success_at == now


def test_the_same_item_in_two_feeds_is_one_item(app, feeds, office):
    org = office[0]
    _source(org, feeds.url + "/rss.xml")
    _source(org, f"{feeds.url}/to?to=/rss.xml")
    run_worker(now=utcnow() + timedelta(seconds=1))
    assert len(_items(org)) == 2


def test_conditional_get_records_not_modified(app, feeds, office):
    source = _source(office[0], feeds.url + "/conditional.xml")
    first = polling.poll_one(source.id)
    assert first.outcome == "ok" and first.new_items == 2 and source.etag == '"v1"'
    later = utcnow() + timedelta(minutes=31)
    second = polling.poll_one(source.id, now=later)
    assert second.outcome == "not_modified" and second.status == 304
    assert source.last_success_at == later and source.last_error is None


def test_a_failing_source_backs_off_then_recovers(app, feeds, office):
    source = _source(office[0], feeds.url + "/rss.xml", interval_minutes=30)
    feeds.broken.add("/rss.xml")
    now = utcnow()
    for _ in range(3):
        now = source.next_poll_at
        check = polling.poll_one(source.id, now=now)
        assert check.outcome == "error" and check.status == 500
    assert source.failures == 3 and source.next_poll_at == now + timedelta(minutes=120)
    assert "500 Internal Server Error" in source.last_error
    for _ in range(10):
        source.failures += 1
    assert polling.backoff(source) == timedelta(days=1)
    feeds.broken.clear()
    check = polling.poll_one(source.id, now=source.next_poll_at)
    assert check.outcome == "ok" and source.failures == 0 and source.last_error is None
    assert sources.health(source).ratio == 0.25


def test_two_polls_of_one_source_do_not_both_fetch(app, feeds, office):
    source = _source(office[0], feeds.url + "/rss.xml")
    # Another worker holds the claim: this one leaves the source alone.
    db.session.execute(update(Source).where(Source.id == source.id)
                       .values(claimed_by="other", claimed_at=utcnow()))
    db.session.commit()
    assert polling.poll_one(source.id) is None and feeds.hits.get("/rss.xml") is None
    # A claim left by a dead worker is taken over.
    db.session.execute(update(Source).where(Source.id == source.id)
                       .values(claimed_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()
    assert polling.poll_one(source.id) is not None
    assert polling.poll_one(source.id) is None  # polled: not due again for 30 minutes
    assert feeds.hits["/rss.xml"] == 1 and source.claimed_by is None


def test_paused_sources_are_not_polled_and_checks_are_trimmed(app, feeds, office,
                                                             monkeypatch):
    monkeypatch.setattr(polling, "KEEP_CHECKS", 4)
    source = _source(office[0], feeds.url + "/atom.xml", active=False)
    assert polling.due_ids(now=utcnow()) == []
    source.active = True
    db.session.commit()
    now = utcnow()
    for _ in range(polling.KEEP_CHECKS + 3):
        polling.poll_one(source.id, now=now)
        now = source.next_poll_at
    count = db.session.query(SourceCheck).filter_by(source_id=source.id).count()
    assert count == 4
    assert len(sources.health(source, window=3).checks) == 3


def test_a_documents_page_without_its_reader_is_a_plain_error(app, feeds, office,
                                                             monkeypatch):
    monkeypatch.setitem(polling.READERS, "documents_page",
                        lambda *a: (_ for _ in ()).throw(RuntimeError("boom")))
    source = _source(office[0], feeds.url + "/page.html", kind="documents_page")
    check = polling.poll_one(source.id)
    assert check.outcome == "error" and "Something unexpected went wrong" in check.error


def test_the_rq_clock_finds_due_sources_and_the_job_polls_one(app, feeds, office):
    from commsdesk import jobs, queue

    assert queue.JOB_FUNCTIONS["monitor_polls"] is jobs.poll_source
    source = _source(office[0], feeds.url + "/atom.xml")
    jobs.bind(app)
    assert jobs.due_work(now=utcnow())["monitor_polls"] == [source.id]
    assert jobs.poll_source(source.id) == "ok"
    assert jobs.poll_source(source.id) is None
    assert jobs.due_work(now=utcnow())["monitor_polls"] == []
