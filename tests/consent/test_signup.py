"""The public signup form with double opt-in: the link arrives by real SMTP, confirms once,
expired and altered links say so, and nothing shows whether an address is a member."""
import re
import time

from conftest import make_org, run_worker
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from commsdesk.audience import suppression
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Member, OutgoingEmail, Suppression

from .helpers import member, open_signup

LINK_RE = re.compile(r"http://localhost(/n/mitten/join/confirm/\S+)")


def _join(client, **data):
    page = client.get("/n/mitten/join")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    form = {"name": "Eva Ek", "email": "eva@example.org", "branch": "Centrum", **data}
    return client.post("/n/mitten/join", data={"csrf_token": token.group(1), **form})


def _link(inbox, address="eva@example.org"):
    (message,) = inbox.to(address)
    body = message.get_payload(decode=True) if not message.is_multipart() else \
        message.get_payload(0).get_payload(decode=True)
    return LINK_RE.search(body.decode()).group(1)


def test_closed_form_is_not_there(client):
    make_org()
    assert client.get("/n/mitten/join").status_code == 404
    assert client.get("/n/nobody/join").status_code == 404


def test_double_opt_in_through_a_real_smtp_server(client, smtp):
    org = make_org()
    open_signup(org)
    page = client.get("/n/mitten/join").get_data(as_text=True)
    assert "Jag vill få nyhetsbrev" in page  # the Swedish default consent text
    response = _join(client)
    assert response.status_code == 200
    assert "Check your inbox" in response.get_data(as_text=True)
    row = db.session.execute(select(Member)).scalar_one()
    assert (row.state, row.consent_source, row.branch) == ("pending", "signup form", "Centrum")
    assert row.consent_text.startswith("Jag vill få nyhetsbrev") and row.consent_at
    run_worker()
    link = _link(smtp)
    confirmed = client.get(link)
    assert confirmed.status_code == 200 and "Subscription confirmed" in confirmed.get_data(
        as_text=True)
    db.session.refresh(row)
    assert row.state == "subscribed" and row.confirmed_at is not None
    assert client.get(link).status_code == 200  # following it twice is harmless
    actions = db.session.execute(select(AuditEntry.action)).scalars().all()
    assert actions.count("member.confirmed") == 1


def test_consent_text_of_the_settings_is_stored_as_shown(client):
    org = make_org()
    open_signup(org, consent_text="Ja, skicka mig Mittens nyhetsbrev.")
    assert "Ja, skicka mig Mittens nyhetsbrev." in client.get("/n/mitten/join").get_data(
        as_text=True)
    _join(client)
    assert db.session.execute(select(Member.consent_text)).scalar_one() == \
        "Ja, skicka mig Mittens nyhetsbrev."


class EightDaysAgo(TimestampSigner):
    def get_timestamp(self):
        return int(time.time()) - 8 * 24 * 3600


def test_expired_link_offers_a_new_one(app, client, smtp):
    org = make_org()
    open_signup(org)
    _join(client)
    row = db.session.execute(select(Member)).scalar_one()
    # The link as it was signed eight days ago (one day past CONFIRM_MAX_AGE).
    old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="commsdesk-signup",
                                 signer=EightDaysAgo).dumps([row.id, row.email])
    page = client.get(f"/n/mitten/join/confirm/{old}")
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "The link has expired" in text
    db.session.execute(Member.__table__.update().values(updated_at=row.created_at.replace(
        year=2020)))  # past the resend pause
    db.session.commit()
    renew = re.search(r'action="([^"]+/renew/[^"]+)"', text).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
    assert client.post(renew, data={"csrf_token": token}).status_code == 200
    run_worker()
    assert len(smtp.to("eva@example.org")) == 2
    assert db.session.execute(select(Member.state)).scalar_one() == "pending"


def test_altered_link_says_so_and_changes_nothing(client, smtp):
    org = make_org()
    open_signup(org)
    _join(client)
    run_worker()
    link = _link(smtp)
    page = client.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert page.status_code == 400
    assert "The link was changed" in page.get_data(as_text=True)
    assert db.session.execute(select(Member.state)).scalar_one() == "pending"


def test_same_answer_for_members_and_suppressed_addresses(client):
    org = make_org()
    open_signup(org)
    member(org, "old@example.org")
    db.session.add(Suppression(organisation_id=org.id, reason="hard_bounce",
                               email_hash=suppression.email_hash("gone@example.org")))
    db.session.commit()
    # The page's main part (the head's CSRF token is signed with the current second).
    answers = {_join(client, email=address).get_data(as_text=True).split("<main", 1)[1]
               for address in ("new@example.org", "old@example.org", "gone@example.org")}
    assert len(answers) == 1
    queued = db.session.execute(select(OutgoingEmail.to_address)).scalars().all()
    assert queued == ["new@example.org"]  # the member and the bounced address get nothing


def test_unsubscribed_address_comes_back_only_through_the_link(client, smtp):
    org = make_org()
    open_signup(org)
    row = member(org, "eva@example.org", state="unsubscribed")
    suppression.suppress(org.id, "eva@example.org", "unsubscribed")
    db.session.commit()
    _join(client)
    db.session.refresh(row)
    assert row.state == "unsubscribed"
    assert suppression.is_suppressed(org.id, "eva@example.org")  # the form alone changes nothing
    run_worker()
    client.get(_link(smtp))
    db.session.refresh(row)
    assert row.state == "subscribed" and row.consent_source == "signup form"
    assert not suppression.is_suppressed(org.id, "eva@example.org")


def test_honeypot_and_repeat_signups_send_nothing_more(client):
    org = make_org()
    open_signup(org)
    assert "Check your inbox" in _join(client, website="http://spam.example").get_data(
        as_text=True)
    assert db.session.execute(select(Member)).first() is None
    _join(client)
    _join(client)
    assert len(db.session.execute(select(OutgoingEmail)).all()) == 1


def test_invalid_email_is_refused_with_its_field(client):
    org = make_org()
    open_signup(org)
    response = _join(client, email="inte-en-adress")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
