"""The organisation's outbox page: what needs a person first, then what waits, then what
went out; filters; staff only; the organisation's own rows only."""
from datetime import timedelta

from conftest import login_as, run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import Publication, utcnow


def test_outbox_page_puts_what_needs_a_person_first(app, office, platforms):
    refusing = platforms(office.org, "test_refusing", "Facebook")
    out = office.approved(title="Gick ut")
    workflow.publish(office.editor, out)
    run_worker()
    later = office.approved(title="Kommer sen")
    workflow.schedule(office.editor, later, utcnow() + timedelta(days=1))
    client = login_as(app, office.editor)
    html = client.get("/publications").get_data(as_text=True)
    assert 'href="/publications"' in html  # in the main navigation
    failed = html.index("the access token was revoked")
    # The sent text's address (the navigation links the newsroom itself, /n/mitten/).
    assert failed < html.index("Kommer sen") < html.index(f"/n/mitten/{out.id}-")
    assert html.count("/retry") == 1 and "Failed: 1" in html and "Sent: 1" in html
    only = client.get(f"/publications?state=queued&channel={refusing.id}").get_data(as_text=True)
    assert "Kommer sen" in only and "Gick ut" not in only
    assert 'value="queued" selected' in only
    # An action from the outbox page comes back to it.
    row = db.session.execute(select(Publication).where(
        Publication.channel_id == refusing.id, Publication.state == "failed")).scalar_one()
    response = client.form(f"/publications/{row.id}/cancel", {"next": "/publications?state=failed"})
    assert response.location == "/publications?state=failed"


def test_outbox_page_is_for_staff(app, office):
    assert login_as(app, office.contributor).get("/publications").status_code == 403
    html = login_as(app, office.contributor).get("/").get_data(as_text=True)
    assert 'href="/publications"' not in html
    assert login_as(app, office.approver).get("/publications").status_code == 200


def test_outbox_page_shows_only_the_organisations_own(app, office):
    doc = office.approved(shared=True)
    workflow.publish(office.editor, doc)
    run_worker()
    html = login_as(app, office.partner_editor).get("/publications").get_data(as_text=True)
    assert doc.title not in html and "Nothing here" in html


def test_state_filters_know_the_new_states(app, office):
    html = login_as(app, office.editor).get("/documents").get_data(as_text=True)
    assert 'value="partly_published"' in html and "Partly published" in html
    assert 'value="publish_failed"' in html and "Publishing failed" in html
