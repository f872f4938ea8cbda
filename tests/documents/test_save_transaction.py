"""A save is one transaction: new text with invalid details (a bad deadline) keeps neither,
through the domain, the editor page and the API."""
import pytest
from conftest import api_as, make_document, make_user
from sqlalchemy import func, select

from commsdesk import documents
from commsdesk.errors import ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Document, Revision, Tag


def snapshot(doc_id):
    """What the database holds of the document now."""
    db.session.expire_all()
    doc = db.session.get(Document, doc_id)
    return {
        "revisions": db.session.scalar(select(func.count()).where(Revision.document_id == doc_id)),
        "current": doc.current_revision_id,
        "title": doc.title,
        "deadline": doc.deadline,
        "tags": [t.name for t in doc.tags],
        "tag_rows": db.session.scalar(select(func.count(Tag.id))),
        "audit": db.session.scalar(select(func.count(AuditEntry.id))),
    }


@pytest.fixture
def doc(editor):
    doc = make_document(editor, body="Första texten.")
    documents.save(editor, doc, tags="budget", deadline="2030-01-01T12:00")
    return doc


def test_domain_save_with_bad_deadline_writes_nothing(editor, doc):
    before = snapshot(doc.id)
    with pytest.raises(ValidationError) as refused:
        documents.save(editor, doc, {"title": "Ny rubrik", "body": "Ny text."},
                       doc.current_revision_id, tags="budget, skola", deadline="i morgon")
    assert refused.value.details["field"] == "deadline"
    db.session.rollback()
    assert snapshot(doc.id) == before


def test_domain_save_writes_text_and_details_together(editor, doc):
    revision, created = documents.save(
        editor, doc, {"title": "Ny rubrik", "body": "Ny text."}, doc.current_revision_id,
        tags="skola", deadline="2030-02-01T09:00")
    after = snapshot(doc.id)
    assert created and after["current"] == revision.id and after["revisions"] == 2
    assert after["tags"] == ["skola"] and after["deadline"].isoformat().startswith("2030-02-01")


def test_editor_page_save_with_bad_deadline_keeps_nothing_and_says_why(editor_client, doc):
    before = snapshot(doc.id)
    response = editor_client.form(f"/documents/{doc.id}/edit", {
        "base_revision_id": doc.current_revision_id, "title": "Ny rubrik",
        "body": "Min nya text.", "tags": "budget, skola", "deadline": "inte ett datum"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not a valid date and time: inte ett datum" in page and "Nothing was saved." in page
    # what was typed stays in the editor, to correct and save again
    assert "Min nya text." in page and 'value="inte ett datum"' in page
    assert snapshot(doc.id) == before


def test_api_patch_with_bad_deadline_keeps_nothing(app, editor, doc):
    before = snapshot(doc.id)
    api = api_as(editor)
    before["audit"] = snapshot(doc.id)["audit"]  # issuing the token is audited
    response = api.patch(f"/documents/{doc.id}", json={
        "body": "Min nya text.", "tags": ["budget", "skola"], "deadline": "inte ett datum"},
        etag=f'"{doc.current_revision_id}"')
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == "deadline" and "inte ett datum" in error["message"]
    assert snapshot(doc.id) == before


def test_api_patch_writes_text_and_details_in_one_go(app, editor, doc):
    other = make_user(editor.organisation, "editor", email="annan@example.org")
    api = api_as(editor)
    response = api.patch(f"/documents/{doc.id}", json={
        "body": "Min nya text.", "deadline": "2030-03-01T10:00", "owner_id": other.id},
        etag=f'"{doc.current_revision_id}"')
    assert response.status_code == 200
    after = snapshot(doc.id)
    assert after["revisions"] == 2 and response.headers["ETag"] == f'"{after["current"]}"'
    assert db.session.get(Document, doc.id).owner_id == other.id
