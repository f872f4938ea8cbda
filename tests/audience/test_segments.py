"""Segments, their live count, and recipients() for the sending engine."""
from datetime import date

from conftest import make_org, make_user
from sqlalchemy import select

from commsdesk.audience import press, segments
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Segment

from .conftest import add_member


def _world(user):
    add_member(user, "a@example.se", branch="Centrum", tags="skola", member_since="2018-05-01")
    add_member(user, "b@example.se", branch="Centrum", tags="vård")
    add_member(user, "c@example.se", branch="Norr", tags="skola, vård")
    add_member(user, "d@example.se", branch="Norr", tags="skola", state="unsubscribed")
    add_member(user, "e@example.se", branch="Norr", topics=["meetings"])
    school = segments.save(user, None, "Skola", {"tags": ["skola"]})
    north = segments.save(user, None, "Norr", {"branches": ["Norr"]})
    return school, north


def test_recipients_once_per_address(office):
    user = office[1]
    school, north = _world(user)
    contact = press.save_contact(user, None, {"name": "Journalist", "email": "c@example.se",
                                              "outlet": "Tidningen"})
    other = press.save_contact(user, None, {"name": "Redaktör", "email": "red@tidning.se"})
    press_list = press.save_list(user, None, "Lokalpress", [contact.id, other.id])
    audience = {"segments": [school.id, north.id], "press_lists": [press_list.id]}
    found = segments.recipients(office[0].id, audience)
    emails = [r[0] for r in found]
    # c is in both segments and on the press list: once, as the member; d unsubscribed;
    # e chose only meetings.
    assert emails == ["a@example.se", "c@example.se", "red@tidning.se"]
    assert found[-1][2] is None and found[-1][3] == other.id
    assert [r[0] for r in segments.recipients(office[0].id, audience, topic="meetings")] == \
        ["a@example.se", "c@example.se", "e@example.se", "red@tidning.se"]
    everyone = segments.recipients(office[0].id, {"all_members": True})
    assert [r[0] for r in everyone] == ["a@example.se", "b@example.se", "c@example.se"]
    assert segments.recipients(office[0].id, {}) == []
    text = segments.describe(office[0].id, audience)
    assert "Norr, Skola" in text and "Lokalpress" in text


def test_recipients_stay_in_the_organisation(office):
    school, _north = _world(office[1])
    stranger = make_user(make_org("grona"), "editor")
    add_member(stranger, "x@grona.se", tags="skola")
    assert segments.recipients(stranger.organisation_id, {"segments": [school.id]}) == []
    assert "x@grona.se" not in [r[0] for r in segments.recipients(
        office[0].id, {"segments": [school.id]})]


def test_dates_and_states_filters():
    test = segments.matcher({"member_since_after": "2018-01-01", "states": ["subscribed"]})
    assert test("X", [], "subscribed", date(2019, 1, 1))
    assert not test("X", [], "subscribed", None)
    assert not test("X", [], "pending", date(2019, 1, 1))


def test_segment_pages_and_live_count(steward, office):
    _world(office[1])
    assert steward.get("/segments/count?tags=skola").get_json() == {"count": 3}
    assert steward.get("/segments/count?tags=skola&states=subscribed").get_json()["count"] == 2
    response = steward.form("/segments/new", {"name": "Centrum", "branches": ["Centrum"]})
    assert response.status_code == 302
    segment = db.session.execute(select(Segment).where(Segment.name == "Centrum")).scalar_one()
    assert segment.filters == {"branches": ["Centrum"]}
    page = steward.get(f"/segments/{segment.id}").get_data(as_text=True)
    assert 'id="segment-count">2<' in page
    assert steward.form("/segments/new", {"name": "Centrum"}).status_code == 422
    segment_id = segment.id
    steward.form(f"/segments/{segment_id}/delete")
    assert db.session.get(Segment, segment_id) is None
    assert "segment.deleted" in [e.action for e in db.session.execute(
        select(AuditEntry)).scalars()]


def test_press_pages(steward, office):
    steward.form("/press/contacts/new", {"name": "Jo", "email": "jo@tidning.se",
                                         "outlet": "Tidningen", "beat": "Politik"})
    contact = press.contacts(office[1])[0]
    steward.form("/press/lists/new", {"name": "Riks", "contacts": [str(contact.id)]})
    page = steward.get("/press").get_data(as_text=True)
    assert "Tidningen" in page and "Riks" in page and "(1)" in page


def test_demo_audience(app):
    from commsdesk import demo
    from commsdesk.models import Member, Organisation, PressList

    demo.load()
    org = db.session.execute(select(Organisation).where(
        Organisation.slug == "mitten-alvstad")).scalar_one()
    assert Member.query.filter_by(organisation_id=org.id).count() == 36
    lists = db.session.execute(select(PressList).where(
        PressList.organisation_id == org.id)).scalars().all()
    assert [len(p.contacts) for p in lists] == [3]
    ids = [s.id for s in segments.for_organisation(org.id)]
    assert len(ids) == 2 and segments.recipients(org.id, {"segments": ids})
