"""A worker killed with SIGKILL in the middle of a send-out of 300, then restarted: nobody is
missed, nobody recorded as sent gets a second copy, and only the rows left uncertain (at most
one per connection) can repeat once a person decides them."""
# (RECIPIENTS is kept small so the test stays fast; bench/newsletter.py sends 100,000.)
import asyncio
import collections
from email.utils import parseaddr

from aiosmtpd.controller import Controller
from publishing.workers import start_worker, stop, wait_until
from smtp_server import Inbox, free_port
from sqlalchemy import func, select

from commsdesk.extensions import db
from commsdesk.models import Delivery, Mailing
from commsdesk.newsletter import mailings

from .conftest import add_members, approved

RECIPIENTS = 120
CONNECTIONS = 4


class SlowInbox(Inbox):
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.002)  # a few milliseconds a message, as a real server takes
        return await super().handle_DATA(server, session, envelope)


def states(mailing_id):
    db.session.rollback()
    found = dict(db.session.execute(
        select(Delivery.state, func.count()).where(Delivery.mailing_id == mailing_id)
        .group_by(Delivery.state)).all())
    db.session.rollback()
    return found


def finished(mailing_id):
    db.session.rollback()
    state = db.session.execute(select(Mailing.state).where(Mailing.id == mailing_id)).scalar()
    db.session.rollback()
    return state == "finished"


def test_sigkill_mid_send_then_restart(tmp_path, staff, org):
    inbox = SlowInbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        add_members(org, RECIPIENTS)
        mailing = mailings.create(staff["editor"], approved(staff), {"all_members": True})
        env = {"COMMSDESK_SMTP_HOST": "127.0.0.1", "COMMSDESK_SMTP_PORT": str(server.port),
               "COMMSDESK_MAIL_CONNECTIONS": str(CONNECTIONS),
               "COMMSDESK_MAIL_STUCK_SECONDS": "1", "COMMSDESK_WORKER_POLL_SECONDS": "0.1"}
        log = tmp_path / "worker.log"
        first = start_worker(log, **env)
        try:
            wait_until(lambda: len(inbox.messages) >= RECIPIENTS // 3, 30, first, log)
        finally:
            stop(first)  # SIGKILL: no chance to record what it was doing
        assert states(mailing.id).get("sent", 0) < RECIPIENTS
        second = start_worker(log, **env)
        try:
            wait_until(lambda: set(states(mailing.id)) <= {"sent", "uncertain"}, 30, second,
                       log)
            uncertain = db.session.execute(select(Delivery).where(
                Delivery.mailing_id == mailing.id, Delivery.state == "uncertain")
            ).scalars().all()
            assert len(uncertain) <= CONNECTIONS
            received = collections.Counter(parseaddr(m["To"])[1] for m in inbox.messages)
            sent = db.session.execute(select(Delivery.email).where(
                Delivery.mailing_id == mailing.id, Delivery.state == "sent")).scalars().all()
            assert all(received[email] == 1 for email in sent)  # nobody sent got two
            for row in uncertain:  # the operator has them sent again
                mailings.settle_uncertain(staff["editor"], row, "resend")
            wait_until(lambda: finished(mailing.id), 30, second, log)
        finally:
            stop(second)
        received = collections.Counter(parseaddr(m["To"])[1] for m in inbox.messages)
        everyone = {f"medlem{n}@example.se" for n in range(RECIPIENTS)}
        assert set(received) == everyone  # nobody missed
        repeats = {email for email, n in received.items() if n > 1}
        assert len(repeats) <= CONNECTIONS
        assert repeats <= {row.email for row in uncertain}
        db.session.rollback()
        assert db.session.get(Mailing, mailing.id).state == "finished"
    finally:
        server.stop()
