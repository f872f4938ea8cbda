"""The review bar on the document page, the changes-requested note, the page shown when the
text changed while the approver read it, and changing a running review through the page."""
from conftest import login_as, make_document, make_org, make_user, share

from commsdesk import documents, workflow
from commsdesk.extensions import db


def setup(org, body="Före"):
    editor, leader = make_user(org, "editor"), make_user(org, "approver")
    doc = make_document(editor, kind="op_ed", body=body)
    return editor, leader, doc


def test_the_review_bar_is_first_for_a_reviewer_and_absent_for_others(app, org):
    editor, leader, doc = setup(org)
    workflow.submit(editor, doc, reviewer_ids=[leader.id])
    page = login_as(app, leader).get(f"/documents/{doc.id}").get_data(as_text=True)
    assert 'id="review-bar"' in page
    assert page.index('id="review-bar"') < page.index('class="docpage"')
    assert "Approve revision 1" in page
    assert page.count('data-action="approve"') == 1  # not again in the side panel
    assert 'name="message" rows="3" required' in page
    assert 'id="review-bar"' not in login_as(app, editor).get(f"/documents/{doc.id}").get_data(
        as_text=True)
    partner_leader = make_user(make_org("grona"), "approver")
    share(doc, "grona")
    assert 'id="review-bar"' in login_as(app, partner_leader).get(
        f"/documents/{doc.id}").get_data(as_text=True)
    workflow.approve(leader, doc)
    assert 'id="review-bar"' not in login_as(app, leader).get(f"/documents/{doc.id}").get_data(
        as_text=True)


def test_the_bar_shows_the_changes_since_the_reviewer_last_approved(app, org):
    editor, leader, doc = setup(org, body="Bussar överallt")
    workflow.submit(editor, doc)
    workflow.approve(leader, doc)
    documents.save_revision(editor, doc, {"title": "Rubrik", "body": "Bussar i varje by"},
                            doc.current_revision_id)
    page = login_as(app, leader).get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Approve revision 2" in page
    assert 'id="review-changes"' in page
    assert "<del>överallt</del>" in page and "<ins>i varje by</ins>" in page


def test_approve_from_the_bar_in_one_post(app, org):
    editor, leader, doc = setup(org)
    workflow.submit(editor, doc)
    client = login_as(app, leader)
    response = client.form(f"/documents/{doc.id}/actions/approve",
                           {"revision_id": str(doc.current_revision_id)})
    assert response.status_code == 302
    db.session.refresh(doc)
    assert doc.state == workflow.APPROVED


def test_request_changes_without_a_note_is_refused_and_the_note_is_shown(app, org):
    editor, leader, doc = setup(org)
    workflow.submit(editor, doc)
    client = login_as(app, leader)
    response = client.form(f"/documents/{doc.id}/actions/request_changes", {"message": " "})
    assert response.status_code == 422
    db.session.refresh(doc)
    assert doc.state == workflow.IN_REVIEW
    client.form(f"/documents/{doc.id}/actions/request_changes",
                {"message": "Stryk <b>sista</b> stycket."})
    own = login_as(app, editor)
    for url in (f"/documents/{doc.id}", f"/documents/{doc.id}/edit"):
        page = own.get(url).get_data(as_text=True)
        assert 'id="changes-note"' in page
        assert "Stryk &lt;b&gt;sista&lt;/b&gt; stycket." in page
    workflow.submit(editor, doc)
    assert 'id="changes-note"' not in own.get(f"/documents/{doc.id}").get_data(as_text=True)


def test_approving_a_text_that_changed_while_reading_shows_what_changed(app, org):
    editor, leader, doc = setup(org, body="Bussar överallt")
    workflow.submit(editor, doc)
    read = doc.current_revision_id
    documents.save_revision(editor, doc, {"title": "Rubrik", "body": "Bussar i varje by"}, read)
    client = login_as(app, leader)
    response = client.form(f"/documents/{doc.id}/actions/approve", {"revision_id": str(read)})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "<ins>i varje by</ins>" in page
    assert f'name="revision_id" value="{doc.current_revision_id}"' in page
    assert 'id="approve-current"' in page and "Approve revision 2" in page
    db.session.refresh(doc)
    assert doc.state == workflow.IN_REVIEW
    response = client.form(f"/documents/{doc.id}/actions/approve",
                           {"revision_id": str(doc.current_revision_id)})
    assert response.status_code == 302
    db.session.refresh(doc)
    assert doc.state == workflow.APPROVED


def test_recall_and_change_the_review_through_the_page(app, org):
    editor, leader, doc = setup(org)
    deputy = make_user(org, "approver", email="deputy@example.org")
    workflow.submit(editor, doc, reviewer_ids=[leader.id])
    client = login_as(app, editor)
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert 'data-action="recall"' in page and 'data-action="change_review"' in page
    response = client.form(f"/documents/{doc.id}/review",
                           {"reviewer": [str(deputy.id)], "due_at": "2020-01-01T10:00"})
    assert response.status_code == 422
    response = client.form(f"/documents/{doc.id}/review",
                           {"reviewer": [str(deputy.id)], "due_at": "2040-01-01T10:00"})
    assert response.status_code == 302
    assert [r.reviewer_id for r in workflow.open_requests_for(doc)] == [deputy.id]
    client.form(f"/documents/{doc.id}/actions/recall")
    db.session.refresh(doc)
    assert doc.state == workflow.DRAFT
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert f'name="reviewer" value="{deputy.id}" checked' in page
    assert f'name="reviewer" value="{leader.id}" checked' not in page
