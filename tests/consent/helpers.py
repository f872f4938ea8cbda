"""Rows and messages for the consent tests: members, a sent mailing's delivery rows, and
real RFC 3464 delivery status notifications built with the email package."""
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from commsdesk.audience import settings
from commsdesk.extensions import db
from commsdesk.models import Delivery, Mailing, Member, OrganisationSetting


def open_signup(org, **values):
    """Set the organisation's mail.* settings directly (the settings page has its tests)."""
    values = {"signup_open": "1", **values}
    for name, value in values.items():
        db.session.add(OrganisationSetting(organisation_id=org.id, name=f"mail.{name}",
                                           value=value))
    db.session.commit()
    return settings.get(org)


def member(org, email, state="subscribed", name="Eva Ek"):
    row = Member(organisation_id=org.id, email=email, name=name, state=state,
                 consent_source="entered by hand")
    db.session.add(row)
    db.session.commit()
    return row


def sent_delivery(org, email, message_id, member_row=None):
    """A finished mailing with one sent delivery row to the address."""
    mailing = Mailing(organisation_id=org.id, subject="Nyhetsbrev", state="finished")
    db.session.add(mailing)
    db.session.flush()
    row = Delivery(mailing_id=mailing.id, email=email, message_id=message_id, state="sent",
                   member_id=member_row.id if member_row else None)
    db.session.add(row)
    db.session.commit()
    return row


def dsn(recipient, message_id, action="failed", status="5.1.1",
        diagnostic="smtp; 550 5.1.1 <{r}>: Recipient address rejected: User unknown",
        returned="message"):
    """A delivery status notification (RFC 3464) as bytes: a human-readable part, the
    message/delivery-status part and the returned message (or only its headers)."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "MAILER-DAEMON@mx.example.net"
    report["To"] = "bounces@commsdesk.example"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.attach(MIMEText(f"Your message to {recipient} could not be delivered.\n"))
    per_message = Message()
    per_message["Reporting-MTA"] = "dns; mx.example.net"
    per_message["Arrival-Date"] = "Thu, 26 Nov 2026 10:00:00 +0100"
    per_recipient = Message()
    per_recipient["Final-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Original-Recipient"] = f"rfc822;{recipient}"
    per_recipient["Action"] = action
    per_recipient["Status"] = status
    per_recipient["Remote-MTA"] = "dns; mx.example.net"
    per_recipient["Diagnostic-Code"] = diagnostic.format(r=recipient)
    status_part = MIMEBase("message", "delivery-status")
    status_part.set_payload([per_message, per_recipient])
    report.attach(status_part)
    original = EmailMessage()
    original["From"] = "Mitten <nyhetsbrev@mitten.example>"
    original["To"] = recipient
    original["Subject"] = "Nyhetsbrev"
    if message_id:
        original["Message-ID"] = message_id
    original.set_content("Hej!")
    if returned == "headers":
        headers = MIMEText("", "rfc822-headers")
        headers.set_payload(str(original).split("\n\n", 1)[0] + "\n")
        report.attach(headers)
    else:
        report.attach(MIMEMessage(original))
    return report.as_bytes()
