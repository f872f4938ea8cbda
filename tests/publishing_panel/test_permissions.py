"""Who may retry, cancel and confirm a publication, on the page and in the API: the owning
organisation's staff; a contributor 403; a partner 403 for what it sees (sent) and 404 for
the rest; another organisation 404."""
import pytest
from conftest import api_as, login_as, run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import Publication

ACTIONS = ("retry", "cancel", "confirm")


@pytest.fixture
def rows(office, platforms):
    """A shared text out on the newsroom, failed on one platform, uncertain on another."""
    platforms(office.org, "test_refusing", "Facebook")
    platforms(office.org, "test_silent", "LinkedIn")
    doc = office.approved(shared=True)
    workflow.publish(office.editor, doc)
    run_worker()
    found = db.session.execute(select(Publication).order_by(Publication.id)).scalars().all()
    by_state = {row.state: row for row in found}
    assert set(by_state) == {"sent", "failed", "uncertain"}
    return by_state


def _expected(who, state):
    if who == "outsider_editor" or (who == "partner_editor" and state != "sent"):
        return 404
    return 403


@pytest.mark.parametrize("who", ["contributor", "partner_editor", "outsider_editor"])
@pytest.mark.parametrize("state", ["sent", "failed", "uncertain"])
@pytest.mark.parametrize("action", ACTIONS)
def test_page_refuses_who_may_not_act(app, office, rows, who, state, action):
    row = rows[state]
    client = login_as(app, getattr(office, who))
    response = client.form(f"/publications/{row.id}/{action}")
    assert response.status_code == _expected(who, state)
    db.session.refresh(row)
    assert row.state == state


@pytest.mark.parametrize("who", ["contributor", "partner_editor", "outsider_editor"])
@pytest.mark.parametrize("state", ["sent", "failed"])
@pytest.mark.parametrize("action", ACTIONS)
def test_api_refuses_who_may_not_act(office, rows, who, state, action):
    row = rows[state]
    response = api_as(getattr(office, who)).post(f"/publications/{row.id}/{action}")
    assert response.status_code == _expected(who, state)
    db.session.refresh(row)
    assert row.state == state


@pytest.mark.parametrize("who", ["editor", "approver", "admin"])
def test_staff_retry_a_failed_row(app, office, rows, who):
    row = rows["failed"]
    client = login_as(app, getattr(office, who))
    response = client.form(f"/publications/{row.id}/retry")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.state == "queued"
    assert row.document.state == workflow.SCHEDULED


def test_an_action_the_state_does_not_allow_is_a_conflict(app, office, rows):
    client = login_as(app, office.editor)
    assert client.form(f"/publications/{rows['sent'].id}/retry").status_code == 409
    assert client.form(f"/publications/{rows['failed'].id}/confirm").status_code == 409
    api = api_as(office.editor)
    assert api.post(f"/publications/{rows['sent'].id}/cancel").status_code == 409


def test_next_stays_on_this_site(app, office, rows):
    client = login_as(app, office.editor)
    response = client.form(f"/publications/{rows['failed'].id}/cancel",
                           {"next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response.location


def test_partner_reads_sent_rows_only(office, rows):
    api = api_as(office.partner_editor)
    doc_id = rows["sent"].document_id
    items = api.get(f"/documents/{doc_id}/publications").get_json()["items"]
    assert [i["state"] for i in items] == ["sent"]
    assert items[0]["allowed_actions"] == []
    assert api.get(f"/publications/{rows['sent'].id}").status_code == 200
    assert api.get(f"/publications/{rows['failed'].id}").status_code == 404
    assert api.get("/publications").get_json()["items"] == []  # its own outbox only
    assert api_as(office.contributor).get("/publications").status_code == 403
    assert api_as(office.outsider_editor).get(
        f"/documents/{doc_id}/publications").status_code == 404
