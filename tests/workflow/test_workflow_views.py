"""The review panel on the document page: buttons, approvals per organisation, policy page."""
from conftest import login_as, make_document, make_user
from sqlalchemy import select

from commsdesk import documents
from commsdesk.extensions import db
from commsdesk.models import Approval, KindPolicy


def test_submit_and_approve_through_the_page(app, client, org):
    editor, approver = make_user(org, "editor"), make_user(org, "approver")
    doc = make_document(editor, kind="op_ed")
    login_as(client, editor)
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert 'data-action="submit"' in page and 'data-action="approve"' not in page
    client.form(f"/documents/{doc.id}/actions/submit", {"reviewer": str(approver.id),
                                                        "due_at": "2030-05-01T10:00"})
    db.session.refresh(doc)
    assert doc.state == "in_review"

    other = login_as(app, approver)
    assert f"/documents/{doc.id}" in other.get("/").get_data(as_text=True)
    page = other.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert 'data-action="approve"' in page
    response = other.form(f"/documents/{doc.id}/actions/approve",
                          {"revision_id": str(doc.current_revision_id)})
    assert response.status_code == 302
    db.session.refresh(doc)
    assert doc.state == "approved"


def test_edit_after_approval_shows_diff_link_to_approver(app, client, org):
    editor, approver = make_user(org, "editor"), make_user(org, "approver")
    doc = make_document(editor, kind="op_ed", body="Före")
    from commsdesk import workflow

    workflow.submit(editor, doc)
    workflow.approve(approver, doc)
    approved_rev = doc.current_revision_id
    documents.save_revision(editor, doc, {"title": "Rubrik", "body": "Efter"}, approved_rev)
    login_as(client, approver)
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert f"a={approved_rev}&amp;b={doc.current_revision_id}" in page
    assert db.session.execute(select(Approval)).scalar_one().stale_at is not None


def test_invalid_action_from_the_page_is_refused_with_a_message(client, org):
    editor = make_user(org, "editor")
    doc = make_document(editor)
    login_as(client, editor)
    response = client.form(f"/documents/{doc.id}/actions/publish")
    assert response.status_code == 409
    assert "Publish now" in response.get_data(as_text=True) or \
        "publicerad" in response.get_data(as_text=True).lower()
    response = client.form(f"/documents/{doc.id}/actions/teleport")
    assert response.status_code == 422
    db.session.refresh(doc)
    assert doc.state == "draft"


def test_policy_page_for_admins_only(client, org):
    admin, editor = make_user(org, "admin"), make_user(org, "editor")
    login_as(client, editor)
    assert client.get("/settings/approvals").status_code == 403
    client.form("/logout")
    login_as(client, admin)
    assert client.get("/settings/approvals").status_code == 200
    client.form("/settings/approvals", {"role-op_ed": "editor", "self-op_ed": "on"})
    row = db.session.execute(select(KindPolicy).where(KindPolicy.kind == "op_ed")).scalar_one()
    assert row.approver_role == "editor" and row.allow_self_approval
