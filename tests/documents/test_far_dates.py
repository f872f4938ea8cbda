"""Dates are bounded where they enter (years 2000 to 2100), and a far date already stored is
shown, not an error page, to the owning organisation and to partners."""
from datetime import UTC, datetime

import pytest
from conftest import api_as, login_as, make_document, make_org, make_user, share
from sqlalchemy import update

from commsdesk import times, workflow
from commsdesk.errors import ValidationError
from commsdesk.extensions import db
from commsdesk.models import Document, ReviewRequest

FAR = ["9999-12-31T23:59:00Z", "9999-12-31T23:59", "0001-01-01T00:00", "2101-01-01T00:00",
       "1999-12-31T12:00Z"]


@pytest.fixture
def team(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "contributor": make_user(org, "contributor")}


@pytest.mark.parametrize("value", FAR)
def test_the_parser_refuses_years_outside_2000_to_2100_naming_the_field(value):
    with pytest.raises(ValidationError) as refused:
        times.parse_datetime(value, field="deadline", label="Deadline")
    assert refused.value.details == {"field": "deadline"}
    assert "Deadline must lie between the years 2000 and 2100" in refused.value.message


@pytest.mark.parametrize("value", ["2000-01-01T00:00Z", "2100-12-31T12:00", "2030-06-01"])
def test_the_parser_accepts_years_inside(value):
    assert times.parse_datetime(value).year in (2000, 2030, 2100)


@pytest.mark.parametrize("value", FAR[:2])
def test_api_refuses_a_far_deadline_on_create_and_patch(team, value):
    api = api_as(team["contributor"])
    response = api.post("/documents", json={"kind": "letter", "title": "Brev",
                                            "deadline": value})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "deadline"
    doc = make_document(team["contributor"], kind="letter")
    etag = api.get(f"/documents/{doc.id}").headers["ETag"]
    response = api.patch(f"/documents/{doc.id}", json={"deadline": value}, etag=etag)
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "deadline"
    assert doc.deadline is None


def test_api_refuses_far_due_and_publish_times(team):
    doc = make_document(team["editor"], kind="op_ed")
    api = api_as(team["editor"])
    response = api.post(f"/documents/{doc.id}/transitions",
                        {"action": "submit", "due_at": "9999-12-31T23:59:00Z"})
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "due_at"
    assert doc.state == "draft"
    workflow.submit(team["editor"], doc)
    workflow.approve(team["approver"], doc)
    response = api.post(f"/documents/{doc.id}/transitions",
                        {"action": "schedule", "at": "9999-12-31T23:59:00Z"})
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "at"
    assert doc.state == "approved"


def test_web_refuses_far_deadline_due_and_publish_times(app, team):
    doc = make_document(team["editor"], kind="op_ed")
    client = login_as(app, team["editor"])
    response = client.form(f"/documents/{doc.id}/edit", {
        "base_revision_id": doc.current_revision_id, "title": "Rubrik", "body": "Text",
        "deadline": "9999-12-31T23:59"})
    assert response.status_code == 422
    assert "Deadline must lie between the years 2000 and 2100" in response.get_data(as_text=True)
    response = client.form(f"/documents/{doc.id}/actions/submit", {"due_at": "9999-12-31T23:59"})
    assert response.status_code == 422 and doc.state == "draft"
    workflow.submit(team["editor"], doc)
    workflow.approve(team["approver"], doc)
    response = client.form(f"/documents/{doc.id}/actions/schedule", {"at": "9999-12-31T23:59"})
    assert response.status_code == 422 and doc.state == "approved"
    assert "Publish at must lie between" in response.get_data(as_text=True)


def test_a_far_date_stored_earlier_does_not_take_pages_down(app, team):
    """Rows written before dates were bounded still show, in UTC, for owner and partner."""
    partner = make_user(make_org("gron"), "editor")
    doc = make_document(team["contributor"], kind="letter", title="Brev om skolan")
    share(doc, partner.organisation, by=team["editor"])
    workflow.submit(team["contributor"], doc, reviewer_ids=[team["approver"].id])
    far = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    db.session.execute(update(Document).values(deadline=far))
    db.session.execute(update(ReviewRequest).values(due_at=far))
    db.session.commit()
    for user in (team["contributor"], team["editor"], team["approver"], partner):
        client = login_as(app, user)
        for path in ("/", "/documents", f"/documents/{doc.id}", f"/documents/{doc.id}/edit"):
            response = client.get(path)
            assert response.status_code in (200, 302), (user.role, path)
            assert response.status_code != 500
        page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
        assert "9999-12-31 23:59 UTC" in page
