"""Who sees member data (404 for everyone else), the audit of every view and export, the
access-request export and erasure."""
import csv
import io

import pytest
from conftest import login_as, make_org, make_user
from sqlalchemy import select

from commsdesk.audience import segments, suppression
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Delivery, Mailing, Member, Suppression

from .conftest import add_member


def _actions():
    return [e.action for e in db.session.execute(
        select(AuditEntry).order_by(AuditEntry.id)).scalars() if e.action.startswith("member")]


@pytest.mark.parametrize("role", ["approver", "contributor"])
def test_roles_without_member_access_get_404_and_no_menu(app, office, role):
    member = add_member(office[1], "eva@example.se")
    segment = segments.save(office[1], None, "Alla", {})
    client = login_as(app, make_user(office[0], role))
    for url in ("/members", f"/members/{member.id}", f"/members/{member.id}/data.json",
                "/members/export.csv", "/members/import", f"/segments/{segment.id}",
                "/segments", "/press", "/segments/count"):
        assert client.get(url).status_code == 404, url
    assert client.form(f"/members/{member.id}/erase").status_code == 404
    assert 'href="/members"' not in client.get("/").get_data(as_text=True)
    assert Member.query.count() == 1


def test_another_organisation_gets_404(app, office):
    member = add_member(office[1], "eva@example.se")
    other = login_as(app, make_user(make_org("grona"), "admin"))
    assert other.get("/members").status_code == 200  # its own (empty) list
    for url in (f"/members/{member.id}", f"/members/{member.id}/data.json"):
        assert other.get(url).status_code == 404
    assert "eva@example.se" not in other.get("/members").get_data(as_text=True)
    assert "eva@example.se" not in other.get("/members/export.csv").get_data(as_text=True)


def test_views_and_exports_are_audited(steward, office):
    member = add_member(office[1], "eva@example.se", name="Eva")
    assert 'href="/members"' in steward.get("/").get_data(as_text=True)
    assert "Eva" in steward.get("/members?q=eva").get_data(as_text=True)
    steward.get(f"/members/{member.id}")
    steward.get("/members/export.csv")
    steward.get(f"/members/{member.id}/data.json")
    assert _actions() == ["member.created", "members.viewed", "member.viewed",
                          "members.exported", "member.data_exported"]


def test_access_request_holds_everything(steward, office):
    member = add_member(office[1], "eva@example.se", name="Eva", tags="skola")
    mailing = Mailing(organisation_id=office[0].id, subject="Nyhetsbrev maj", kind="newsletter")
    db.session.add(mailing)
    db.session.flush()
    db.session.add(Delivery(mailing_id=mailing.id, member_id=member.id, email=member.email,
                            name="Eva", state="sent", message_id="<m1@x>"))
    db.session.commit()
    data = steward.get(f"/members/{member.id}/data.json").get_json()
    assert data["member"]["email"] == "eva@example.se" and data["member"]["tags"] == ["skola"]
    assert data["consent"]["source"] == "entered by hand"
    assert data["deliveries"][0]["subject"] == "Nyhetsbrev maj"
    assert "member.created" in [e["action"] for e in data["audit"]]


def test_erasure_keeps_only_a_hash(steward, office):
    member = add_member(office[1], "eva@example.se", name="Eva")
    mailing = Mailing(organisation_id=office[0].id, subject="Brev", kind="newsletter")
    db.session.add(mailing)
    db.session.flush()
    db.session.add(Delivery(mailing_id=mailing.id, member_id=member.id, email=member.email,
                            name="Eva", state="sent", message_id="<m2@x>"))
    db.session.commit()
    member_id = member.id
    response = steward.form(f"/members/{member_id}/erase")
    assert response.status_code == 302
    assert db.session.get(Member, member_id) is None
    row = db.session.execute(select(Suppression)).scalar_one()
    assert row.reason == "erased" and row.email_hash == suppression.email_hash("eva@example.se")
    delivery = db.session.execute(select(Delivery)).scalar_one()
    assert (delivery.email, delivery.name) == ("erased", "")
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "member.erased")).scalar_one()
    everything = str([(e.data, e.object_type) for e in db.session.execute(
        select(AuditEntry)).scalars()])
    assert entry.object_id == member_id and "eva@example.se" not in everything


def test_export_neutralises_formulas(steward, office):
    add_member(office[1], "a@example.se", name="=cmd|' /C calc'!A0", branch="+Centrum",
               tags="@skola")
    add_member(office[1], "b@example.se", name="-2+3", phone="\t070")
    text = steward.get("/members/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_email = {r["email"]: r for r in rows}
    assert by_email["a@example.se"]["name"] == "'=cmd|' /C calc'!A0"
    assert by_email["a@example.se"]["branch"] == "'+Centrum"
    assert by_email["a@example.se"]["tags"] == "'@skola"
    assert by_email["b@example.se"]["name"] == "'-2+3"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_member_form_add_and_edit(steward, office):
    response = steward.form("/members/new", {"name": "Kim", "email": "Kim@Example.se",
                                             "tags": "a, b", "state": "subscribed",
                                             "topics": ["newsletter"]})
    assert response.status_code == 302
    member = db.session.execute(select(Member)).scalar_one()
    assert member.email == "kim@example.se" and member.topics == ["newsletter"]
    bad = steward.form("/members/new", {"email": "kim@example.se", "state": "subscribed"})
    assert bad.status_code == 422 and "already a member" in bad.get_data(as_text=True)
    steward.form(f"/members/{member.id}", {"name": "Kim B", "email": "kim@example.se",
                                           "branch": "Norr", "state": "unsubscribed"})
    db.session.refresh(member)
    assert (member.name, member.branch, member.state) == ("Kim B", "Norr", "unsubscribed")
