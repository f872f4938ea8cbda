"""An organisation with staff, members and an approved newsletter; a local SMTP server that
answers per address (sending_smtp)."""
import pytest
from conftest import make_document, make_user
from smtp_server import Inbox, serving
from sqlalchemy import update

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import Member, OutgoingEmail


@pytest.fixture
def staff(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "admin": make_user(org, "admin"), "contributor": make_user(org, "contributor")}


def approved(staff, title="Veckobrev", kind="newsletter", **content):
    """A document approved by the approver."""
    doc = make_document(staff["editor"], kind=kind, title=title, body="Hej **alla**.",
                        subject="Nytt från partiet", **content)
    workflow.submit(staff["editor"], doc)
    workflow.approve(staff["approver"], doc)
    # The review emails of the set-up are not what these tests are about.
    db.session.execute(update(OutgoingEmail).values(state="sent"))
    db.session.commit()
    return doc


def add_members(org, count, branch="Centrum", tags=(), prefix="medlem"):
    """`count` subscribed members, one bulk insert."""
    db.session.execute(Member.__table__.insert(), [
        {"organisation_id": org.id, "name": f"Anna {prefix} {n}",
         "email": f"{prefix}{n}@example.se", "branch": branch, "tags": list(tags),
         "topics": ["newsletter", "meetings"], "state": "subscribed", "soft_bounces": 0}
        for n in range(count)])
    db.session.commit()


class Picky(Inbox):
    """An inbox whose answers depend on the recipient: RCPT TO of an address in `replies`
    gets that reply instead of 250."""

    def __init__(self):
        super().__init__()
        self.replies = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def picky(app):
    """A real SMTP server with per-address answers; yields its Picky inbox."""
    with serving(app, Picky()) as inbox:
        yield inbox


def to_members(inbox):
    """The messages of the inbox that went to members (not the staff's notifications)."""
    return [m for m in inbox.messages if "medlem" in (m["To"] or "")]
