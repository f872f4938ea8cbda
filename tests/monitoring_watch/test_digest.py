"""The daily digest: at the organisation's hour, one email per recipient listing the digest
lists' matches since the last one; exactly once; nothing before the hour or without matches."""
from datetime import datetime, time, timedelta

from conftest import make_org, make_user, run_worker
from notifications.support import parts, subject
from sqlalchemy import select

from commsdesk.extensions import db
from commsdesk.models import ItemMatch, utcnow
from commsdesk.monitoring import digest
from commsdesk.times import organisation_zone
from monitoring_watch.world import news, pdf, set_setting, source, store, watch_list


def _tomorrow_at(org, hour, minute=0, days=1):
    """Tomorrow's local hour (matches recorded now are all before it), in UTC."""
    zone = organisation_zone(org)
    day = utcnow().astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(utcnow().tzinfo)


def _world(org):
    editor, approver = make_user(org), make_user(org, "approver")
    watch_list(editor, "Skola", "förskola", delivery="digest", recipients=[editor, approver])
    src = source(org, "https://kommun.example/handlingar", "Kommunfullmäktige")
    store(src, pdf("Kallelse kommunfullmäktige", ["Kallelse", "En ny förskola i Kortedala"]))
    store(source(org, "https://gp.example/rss"), news("Förskolan i Bergsjön stänger"))
    return editor, approver


def test_at_the_hour_each_recipient_gets_one_digest_once(app, smtp):
    org = make_org("mitten")
    editor, approver = _world(org)
    run_worker(now=_tomorrow_at(org, 6, 55))
    assert smtp.messages == []
    run_worker(now=_tomorrow_at(org, 7, 5))
    for user in (editor, approver):
        [message] = smtp.to(user.email)
        assert "2" in subject(message)
        text, html = parts(message)
        for part in (text, html):
            assert "Kallelse kommunfullmäktige" in part and "Förskolan i Bergsjön stänger" in part
            assert "Kommunfullmäktige" in part and "förskola" in part
            assert "/monitoring/items/" in part
        assert "page 2" in text or "sida 2" in text
    assert all(m.digested_at for m in db.session.execute(select(ItemMatch)).scalars())
    run_worker(now=_tomorrow_at(org, 9))
    assert len(smtp.messages) == 2


def test_the_day_is_claimed_once(app):
    org = make_org("mitten")
    _world(org)
    at = _tomorrow_at(org, 7, 5)
    assert digest.due_organisations(at) == [org]
    # Two workers that both saw the digest due: only the first one sends it.
    assert digest.send_one(org, at) == 2
    assert digest.send_one(org, at) == 0
    assert digest.due_organisations(at) == []


def test_matches_after_the_hour_wait_for_the_next_day(app, smtp):
    org = make_org("mitten")
    editor, _approver = _world(org)
    run_worker(now=_tomorrow_at(org, 7, 5))
    assert len(smtp.to(editor.email)) == 1
    later = _tomorrow_at(org, 14)
    store(source(org, "https://b.example/rss"), news("Förskolor byggs"), now=later)
    db.session.execute(ItemMatch.__table__.update().where(ItemMatch.digested_at.is_(None))
                       .values(created_at=later))
    db.session.commit()
    run_worker(now=_tomorrow_at(org, 15))
    assert len(smtp.to(editor.email)) == 1
    run_worker(now=_tomorrow_at(org, 7, 5, days=2))
    assert len(smtp.to(editor.email)) == 2


def test_the_hour_is_the_organisations(app, smtp):
    org = make_org("mitten")
    set_setting(org, "monitoring.digest_hour", "9")
    _world(org)
    run_worker(now=_tomorrow_at(org, 8, 30))
    assert smtp.messages == []
    run_worker(now=_tomorrow_at(org, 9, 1))
    assert len(smtp.messages) == 2


def test_no_matches_no_email(app, smtp):
    org = make_org("mitten")
    editor = make_user(org)
    watch_list(editor, "Skola", "förskola", delivery="digest")
    store(source(org), news("Budgeten klubbad"))
    run_worker(now=_tomorrow_at(org, 7, 5))
    assert smtp.messages == []
    assert not digest.digests_waiting(_tomorrow_at(org, 7, 5))
