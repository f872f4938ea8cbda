"""Bounces: RFC 3464 delivery status notifications (read from a bounce mailbox, see
audience.bounce_mailbox) and a provider's webhook. A hard bounce marks the delivery and
suppresses the address; soft bounces (a temporary failure, a delay) count towards
SOFT_BOUNCE_LIMIT, and then the address is suppressed too."""
import email
import hashlib
import hmac
from dataclasses import dataclass
from email.parser import HeaderParser

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Delivery, Mailing, Member
from . import suppression

SOFT_BOUNCE_LIMIT = 3
SOFT_MARK = "soft bounce: "  # last_error of a delivery whose soft bounce was counted
MAX_DIAGNOSTIC = 1000
SIGNATURE_HEADER = "X-Commsdesk-Signature"


@dataclass(frozen=True)
class Report:
    """One recipient's outcome in a delivery status notification."""
    recipient: str
    hard: bool
    status: str
    diagnostic: str
    message_id: str | None


def parse_dsn(raw):
    """The failed or delayed recipients of an RFC 3464 report (bytes, str or a Message);
    an empty list for anything else (a reply, an out-of-office note, a delivered report)."""
    msg = raw if isinstance(raw, email.message.Message) else (
        email.message_from_bytes(raw) if isinstance(raw, bytes) else email.message_from_string(raw))
    if msg.get_content_type() != "multipart/report" \
            or (msg.get_param("report-type") or "").lower() != "delivery-status":
        return []
    status_part = next((part for part in msg.walk()
                        if part.get_content_type() == "message/delivery-status"), None)
    if status_part is None:
        return []
    blocks = status_part.get_payload()
    if not isinstance(blocks, list) or len(blocks) < 2:
        return []
    message_id = _original_message_id(msg)
    reports = []
    for fields in blocks[1:]:  # the first block is per-message, the rest per-recipient
        report = _recipient(fields, message_id)
        if report is not None:
            reports.append(report)
    return reports


def _recipient(fields, message_id):
    action = (fields.get("Action") or "").strip().lower()
    status = (fields.get("Status") or "").strip().split(" ")[0]
    if action not in ("failed", "delayed"):
        return None  # delivered, relayed, expanded: not a bounce
    recipient = fields.get("Final-Recipient") or fields.get("Original-Recipient") or ""
    recipient = recipient.split(";", 1)[-1].strip().strip("<>")
    diagnostic = " ".join((fields.get("Diagnostic-Code") or "").split())
    hard = action == "failed" and status.startswith("5")
    return Report(suppression.normalise(recipient), hard, status,
                  (diagnostic or status)[:MAX_DIAGNOSTIC], message_id)


def _original_message_id(msg):
    """The Message-ID of the returned message (message/rfc822 or text/rfc822-headers)."""
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            payload = part.get_payload()
            original = payload[0] if isinstance(payload, list) and payload else None
            if original is not None and original.get("Message-ID"):
                return original["Message-ID"].strip()
        elif kind == "text/rfc822-headers":
            text = part.get_payload(decode=True) or b""
            headers = HeaderParser().parsestr(text.decode("utf-8", "replace"))
            if headers.get("Message-ID"):
                return headers["Message-ID"].strip()
    return None


def record_report(report, organisation_id=None):
    """Record one recipient of a parsed report: by the returned Message-ID, else by the
    address. Returns what record_bounce returns."""
    return record_bounce(report.message_id or report.recipient, report.hard,
                         report.diagnostic, organisation_id=organisation_id,
                         email_address=report.recipient)


def _delivery(message_id, organisation_id):
    ids = {message_id, f"<{message_id.strip('<>')}>"}
    query = select(Delivery).join(Mailing).where(Delivery.message_id.in_(ids))
    if organisation_id is not None:
        query = query.where(Mailing.organisation_id == organisation_id)
    return db.session.execute(query).scalars().first()


def _latest_delivery_to(address, organisation_id):
    query = select(Delivery).join(Mailing).where(Delivery.email == address)
    if organisation_id is not None:
        query = query.where(Mailing.organisation_id == organisation_id)
    return db.session.execute(query.order_by(Delivery.id.desc())).scalars().first()


def record_bounce(message_id_or_email, hard, diagnostic, organisation_id=None,
                  email_address=None):
    """Record a bounce: the delivery (found by Message-ID, else the latest to the address)
    is marked bounced, a hard bounce suppresses the address, a soft one counts towards
    SOFT_BOUNCE_LIMIT. Commits. Returns "hard", "soft", "suppressed" (the soft limit was
    reached), "repeat" (already recorded) or None (nothing of ours)."""
    key = (message_id_or_email or "").strip()
    delivery = _delivery(key, organisation_id) if key else None
    if delivery is None:
        address = suppression.normalise(email_address or ("" if "<" in key else key))
        delivery = _latest_delivery_to(address, organisation_id) if address else None
    else:
        address = suppression.normalise(delivery.email)
    org_id = delivery.mailing.organisation_id if delivery is not None else organisation_id
    if org_id is None or not address:
        return None
    diagnostic = (diagnostic or "")[:MAX_DIAGNOSTIC]
    if delivery is not None:
        if delivery.state == "bounced" or (not hard and (delivery.last_error or "")
                                           .startswith(SOFT_MARK)):
            return "repeat"  # the same report read twice counts once
        if hard:
            delivery.state = "bounced"
        delivery.last_error = diagnostic if hard else SOFT_MARK + diagnostic
    outcome = _count(org_id, address, hard, diagnostic)
    db.session.commit()
    return outcome


def _count(org_id, address, hard, diagnostic):
    member = db.session.execute(select(Member).where(
        Member.organisation_id == org_id, Member.email == address)).scalar_one_or_none()
    outcome = "hard" if hard else "soft"
    if not hard and member is not None:
        member.soft_bounces = (member.soft_bounces or 0) + 1
        if member.soft_bounces >= SOFT_BOUNCE_LIMIT:
            outcome = "suppressed"
    if outcome != "soft":
        suppression.suppress(org_id, address, "hard_bounce")
        audit.record(None, "member.bounced", member, organisation_id=org_id, kind=outcome,
                     diagnostic=diagnostic[:200], email_hash=suppression.email_hash(address)[:12])
    return outcome


def signature(secret, body):
    """The webhook signature of a body: "sha256=" + HMAC-SHA256 hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret, body, given):
    """Whether the header's signature is the body's, with or without its "sha256="
    prefix (compared in constant time)."""
    if not secret or not given:
        return False
    given = given.strip()
    expected = signature(secret, body)
    if not given.startswith("sha256="):
        expected = expected.removeprefix("sha256=")
    return hmac.compare_digest(expected.encode(), given.encode())
