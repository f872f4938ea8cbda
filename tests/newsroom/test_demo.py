"""`flask demo` leaves living newsrooms: published Swedish texts, one press release under
embargo that no page shows yet."""
from commsdesk import demo


def test_demo_publishes_to_the_newsrooms(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    home = client.get("/n/mitten-alvstad/").get_data(as_text=True)
    assert "Trygga skolvägar i Västerby före sommaren" in home
    assert "Unga i Älvstad behöver bostäder" in home
    assert "skuggbudget" not in home  # under embargo for an hour
    assert "skuggbudget" not in client.get("/n/mitten-alvstad/feed.rss").get_data(as_text=True)
    assert "1 000 träd" in client.get("/n/grona-alvstad/").get_data(as_text=True)
    assert "1 000 träd" not in home
    assert demo.loaded()


def test_demo_is_ready_to_send_by_email(runner, client):
    """The demo organisation's signup form is open with its consent text, and an approved
    newsletter and members' meeting notice can go to a segment at once."""
    from sqlalchemy import select

    from commsdesk.audience import settings
    from commsdesk.extensions import db
    from commsdesk.models import Delivery, Document, Organisation, Segment, User
    from commsdesk.newsletter import mailings, meetings

    assert runner.invoke(args=["demo"]).exit_code == 0
    org = db.session.execute(select(Organisation).where(
        Organisation.slug == demo.ORG[1])).scalar_one()
    mail = settings.get(org)
    assert mail.signup_open and "medlemsbrev" in mail.consent_text
    assert mail.from_name == "Mittenpartiet i Älvstad"
    join = client.get("/n/mitten-alvstad/join").get_data(as_text=True)
    assert "medlemsbrev" in join
    assert 'href="/n/mitten-alvstad/join"' in client.get("/n/mitten-alvstad/").get_data(
        as_text=True)
    secretary = db.session.execute(select(User).where(
        User.email == "sekreterare@mitten.example")).scalar_one()
    segment = db.session.execute(select(Segment).where(
        Segment.organisation_id == org.id, Segment.name == "Norra Älvstad")).scalar_one()
    docs = {d.kind: d for d in db.session.execute(select(Document).where(
        Document.organisation_id == org.id, Document.state == "approved")).scalars()}
    item = meetings.meeting(docs["meeting_notice"].current_revision.content)
    assert item.agenda and "Älvstad" in item.place
    for kind in ("newsletter", "meeting_notice"):
        mailing = mailings.create(secretary, docs[kind], {"segments": [segment.id]})
        queued = db.session.execute(select(Delivery).where(
            Delivery.mailing_id == mailing.id, Delivery.state == "queued")).scalars().all()
        assert len(queued) >= 15, kind
