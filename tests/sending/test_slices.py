"""A send-out to many goes out in slices: a publication that falls due while thousands of
messages are still going out is sent within a slice of its time, not after the send-out."""
import threading
import time
from datetime import timedelta

from sqlalchemy import select

from commsdesk import jobs, workflow
from commsdesk.extensions import db
from commsdesk.models import Delivery, Mailing, Publication, utcnow
from commsdesk.newsletter import mailings

from .conftest import add_members, approved


def test_a_publication_due_mid_send_goes_out_within_a_slice(app, org, staff, smtp,
                                                            monkeypatch):
    add_members(org, 150)
    newsletter = approved(staff)
    release = approved(staff, title="Pressmeddelande", kind="press_release")
    app.config.update(MAIL_RATE=25, MAIL_CONNECTIONS=2)  # about six seconds of sending
    monkeypatch.setattr(jobs, "MAILING_SLICE_SECONDS", 0.5)
    try:
        mailing = mailings.create(staff["editor"], newsletter, {"all_members": True})
        due = utcnow() + timedelta(seconds=1.5)
        workflow.schedule(staff["editor"], release, due)
        stop = threading.Event()
        worker = threading.Thread(target=jobs.run_forever, args=(app, 0.2, stop), daemon=True)
        worker.start()
        try:
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                db.session.expire_all()
                row = db.session.execute(select(Publication)).scalar_one()
                if row.state == "sent":
                    break
                time.sleep(0.1)
            sent_rows = db.session.execute(
                select(db.func.count()).where(Delivery.state == "sent")).scalar()
        finally:
            stop.set()
            worker.join(20)
    finally:
        app.config.update(MAIL_RATE=0, MAIL_CONNECTIONS=4)
    assert row.state == "sent", row.last_error
    assert row.sent_at - due < timedelta(seconds=3)  # a slice, not the whole send-out
    assert sent_rows < 150  # the send-out was still going when the publication went out
    assert db.session.get(Mailing, mailing.id).state in ("sending", "finished")
