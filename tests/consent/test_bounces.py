"""Bounces: RFC 3464 reports parsed, read from a real (local) IMAP mailbox by the worker,
and a provider's signed webhook; hard bounces suppress, soft ones count to the limit."""
import json

import pytest
from conftest import make_org, run_worker
from sqlalchemy import select

from commsdesk.audience import bounce_mailbox, bounces, suppression
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Delivery, Member

from .helpers import dsn, member, sent_delivery
from .imap_server import ImapServer, Mailbox

MID = "<a1b2c3@mitten.example>"


@pytest.mark.parametrize("returned", ["message", "headers"])
def test_parse_a_hard_bounce(returned):
    (report,) = bounces.parse_dsn(dsn("Eva@Example.org", MID, returned=returned))
    assert report.recipient == "eva@example.org" and report.hard
    assert report.status == "5.1.1" and report.message_id == MID
    assert "User unknown" in report.diagnostic


def test_parse_soft_and_ignored_reports():
    (delayed,) = bounces.parse_dsn(dsn("eva@example.org", MID, action="delayed", status="4.4.7"))
    (temporary,) = bounces.parse_dsn(dsn("eva@example.org", MID, status="4.2.2"))
    assert not delayed.hard and not temporary.hard
    assert bounces.parse_dsn(dsn("eva@example.org", MID, action="delivered", status="2.0.0")) == []
    assert bounces.parse_dsn(b"From: a@b\r\nSubject: Semester\r\n\r\nJag \xe4r borta.\r\n") == []
    (no_id,) = bounces.parse_dsn(dsn("eva@example.org", None))
    assert no_id.message_id is None


def test_hard_bounce_marks_the_delivery_and_suppresses(app):
    org = make_org()
    row = member(org, "eva@example.org")
    delivery = sent_delivery(org, "eva@example.org", MID, row)
    assert bounces.record_bounce(MID, True, "550 User unknown") == "hard"
    db.session.refresh(delivery)
    assert delivery.state == "bounced" and delivery.last_error == "550 User unknown"
    assert suppression.is_suppressed(org.id, "eva@example.org")
    assert bounces.record_bounce(MID, True, "550 User unknown") == "repeat"
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "member.bounced")).scalar_one()
    assert entry.actor_id is None and entry.object_id == row.id


def test_soft_bounces_count_to_the_limit(app):
    org = make_org()
    row = member(org, "eva@example.org")
    outcomes = []
    for number in range(bounces.SOFT_BOUNCE_LIMIT):
        mid = f"<soft{number}@mitten.example>"
        sent_delivery(org, "eva@example.org", mid, row)
        outcomes.append(bounces.record_bounce(mid, False, "452 Mailbox full"))
        # The same report read twice counts once.
        assert bounces.record_bounce(mid, False, "452 Mailbox full") == "repeat"
    assert outcomes == ["soft", "soft", "suppressed"]
    db.session.refresh(row)
    assert row.soft_bounces == bounces.SOFT_BOUNCE_LIMIT
    assert suppression.is_suppressed(org.id, "eva@example.org")
    states = db.session.execute(select(Delivery.state)).scalars().all()
    assert states == ["sent"] * 3  # a temporary failure is no bounce of the message


def test_unknown_message_id_falls_back_to_the_recipient(app):
    org = make_org()
    sent_delivery(org, "eva@example.org", MID)
    (report,) = bounces.parse_dsn(dsn("eva@example.org", "<not-ours@elsewhere>"))
    assert bounces.record_report(report) == "hard"
    assert suppression.is_suppressed(org.id, "eva@example.org")
    (stranger,) = bounces.parse_dsn(dsn("nobody@example.org", "<x@y>"))
    assert bounces.record_report(stranger) is None


@pytest.fixture
def imap(app):
    box = Mailbox()
    server = ImapServer(box).start()
    app.config.update(BOUNCE_IMAP_HOST="127.0.0.1", BOUNCE_IMAP_PORT=server.port,
                      BOUNCE_IMAP_SSL=False, BOUNCE_IMAP_USER="bounces",
                      BOUNCE_IMAP_PASSWORD="secret", BOUNCE_IMAP_FOLDER="INBOX")
    bounce_mailbox.forget()
    try:
        yield box
    finally:
        app.config.update(BOUNCE_IMAP_HOST=None)
        bounce_mailbox.forget()
        server.stop()


def test_worker_reads_the_bounce_mailbox_over_imap(app, imap):
    org = make_org()
    eva = member(org, "eva@example.org")
    sent_delivery(org, "eva@example.org", MID, eva)
    imap.add(dsn("eva@example.org", MID))
    imap.add(b"From: someone@example.org\r\nSubject: Re: Nyhetsbrev\r\n\r\nTack!\r\n")
    result = run_worker()
    assert result["bounces"] == 1
    assert imap.logins == ["bounces"] and imap.seen() == [1, 2]
    assert suppression.is_suppressed(org.id, "eva@example.org")
    # Not due again until BOUNCE_POLL_SECONDS have passed; then nothing new is unseen.
    imap.add(dsn("eva@example.org", MID))
    assert run_worker()["bounces"] == 0 and imap.seen() == [1, 2]
    bounce_mailbox.forget()
    assert run_worker()["bounces"] == 0 and imap.seen() == [1, 2, 3]  # read once: a repeat


def test_an_unreachable_mailbox_does_not_stop_the_worker(app, imap):
    app.config.update(BOUNCE_IMAP_PASSWORD="wrong")
    assert run_worker()["bounces"] == 0
    app.config.update(BOUNCE_IMAP_PORT=1)
    bounce_mailbox.forget()
    assert run_worker()["bounces"] == 0


def test_clock_offers_the_poll_once_per_interval(app, imap):
    from commsdesk import jobs, queue

    assert queue.JOB_FUNCTIONS["bounces"] is jobs.poll_bounces
    assert jobs.due_work()["bounces"] == [0]
    assert jobs.due_work()["bounces"] == []


def _hook(client, body, secret="s3cret", slug="mitten"):
    raw = json.dumps(body).encode()
    return client.post(f"/hooks/bounces/{slug}", data=raw, content_type="application/json",
                       headers={bounces.SIGNATURE_HEADER: bounces.signature(secret, raw)})


def test_webhook_with_good_and_bad_signatures(app, client):
    org = make_org()
    make_org("grona")
    eva = member(org, "eva@example.org")
    sent_delivery(org, "eva@example.org", MID, eva)
    body = {"email": "eva@example.org", "type": "hard", "message_id": MID,
            "diagnostic": "550 no such user"}
    assert _hook(client, body).status_code == 404  # no secret configured: no hook
    app.config.update(BOUNCE_WEBHOOK_SECRET="s3cret")
    try:
        assert _hook(client, body, secret="wrong").status_code == 403
        assert client.post("/hooks/bounces/mitten", json=body).status_code == 403
        raw = json.dumps({**body, "type": "soft"}).encode()
        bare = bounces.signature("s3cret", json.dumps(body).encode()).removeprefix("sha256=")
        assert client.post("/hooks/bounces/mitten", data=raw, content_type="application/json",
                           headers={bounces.SIGNATURE_HEADER: bare}).status_code == 403
        assert not suppression.is_suppressed(org.id, "eva@example.org")
        assert _hook(client, body, slug="nobody").status_code == 404
        assert _hook(client, {"email": "eva@example.org", "type": "x"}).status_code == 400
        # Another organisation's hook cannot touch this organisation's delivery.
        assert _hook(client, body, slug="grona").get_json() == {"recorded": "hard"}
        assert not suppression.is_suppressed(org.id, "eva@example.org")
        response = _hook(client, body)
        assert response.status_code == 200 and response.get_json() == {"recorded": "hard"}
        assert suppression.is_suppressed(org.id, "eva@example.org")
        assert db.session.execute(select(Delivery.state)).scalar_one() == "bounced"
    finally:
        app.config.update(BOUNCE_WEBHOOK_SECRET=None)


def test_webhook_soft_bounces_reach_the_threshold(app, client):
    org = make_org()
    member(org, "eva@example.org")
    app.config.update(BOUNCE_WEBHOOK_SECRET="s3cret")
    try:
        outcomes = [_hook(client, {"email": "eva@example.org", "type": "soft"}).get_json()
                    ["recorded"] for _ in range(3)]
    finally:
        app.config.update(BOUNCE_WEBHOOK_SECRET=None)
    assert outcomes == ["soft", "soft", "suppressed"]
    assert db.session.execute(select(Member.soft_bounces)).scalar_one() == 3
