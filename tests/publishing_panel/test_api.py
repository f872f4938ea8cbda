"""Publications in /api/v1: a document's publications, the outbox with its filters and pages,
one publication, retry/cancel/confirm, and publish/schedule naming channels. Every answer is
checked against the OpenAPI document (api_as)."""
from datetime import timedelta

from conftest import api_as, run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.api.openapi import SPEC
from commsdesk.extensions import db
from commsdesk.models import Publication, utcnow


def _rows(doc):
    return db.session.execute(select(Publication).where(Publication.document_id == doc.id)
                              .order_by(Publication.id)).scalars().all()


def test_spec_declares_the_publication_paths():
    for path in ("/documents/{document_id}/publications", "/publications",
                 "/publications/{publication_id}", "/publications/{publication_id}/retry",
                 "/publications/{publication_id}/cancel", "/publications/{publication_id}/confirm"):
        assert path in SPEC["paths"], path
    assert "channels" in SPEC["components"]["schemas"]["Transition"]["properties"]


def test_publish_through_the_api_on_chosen_channels(office, platforms):
    social = platforms(office.org, "test_accepting", "Mastodon")
    doc = office.approved()
    api = api_as(office.editor)
    workflow_json = api.get(f"/documents/{doc.id}/workflow").get_json()
    offered = {c["id"]: c["name"] for c in workflow_json["channels"]}
    assert offered == {office.newsroom().id: "Newsroom", social.id: "Mastodon"}
    response = api.post(f"/documents/{doc.id}/transitions",
                        json={"action": "publish", "channels": [social.id]})
    assert response.status_code == 200 and response.get_json()["state"] == "scheduled"
    run_worker()
    items = api.get(f"/documents/{doc.id}/publications").get_json()["items"]
    assert [(i["channel"]["name"], i["state"], i["url"]) for i in items] == [
        ("Mastodon", "sent", "https://social.example/@mitten/1")]
    assert items[0]["content_hash"] == doc.current_revision.content_hash
    assert items[0]["revision"]["number"] == 1 and items[0]["sent_at"]
    assert api.get(f"/documents/{doc.id}/workflow").get_json()["state"] == "published"


def test_channels_are_checked(office):
    doc = office.approved()
    api = api_as(office.editor)
    for bad in ("1", [True], [0], ["x"], [2**40]):
        response = api.post(f"/documents/{doc.id}/transitions",
                            json={"action": "publish", "channels": bad})
        assert response.status_code == 422 and response.get_json()["error"]["field"] == "channels"
    response = api.post(f"/documents/{doc.id}/transitions", json={"action": "publish",
                                                                  "channels": []})
    assert response.status_code == 422
    response = api.post(f"/documents/{doc.id}/transitions", json={"action": "publish",
                                                                  "channels": [9999]})
    assert response.status_code == 422
    db.session.refresh(doc)
    assert doc.state == workflow.APPROVED and _rows(doc) == []


def test_schedule_and_reschedule_through_the_api(office):
    doc = office.approved()
    api = api_as(office.editor)
    at = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    response = api.post(f"/documents/{doc.id}/transitions", json={
        "action": "schedule", "at": at.isoformat(), "channels": [office.newsroom().id]})
    assert response.status_code == 200
    later = at + timedelta(hours=5)
    response = api.post(f"/documents/{doc.id}/transitions",
                        json={"action": "reschedule", "at": later.isoformat()})
    assert response.status_code == 200
    assert response.get_json()["scheduled_at"].startswith(later.isoformat()[:16])
    (row,) = _rows(doc)
    assert row.due_at == later


def test_outbox_lists_filters_and_pages(office, platforms):
    refusing = platforms(office.org, "test_refusing", "Facebook")
    docs = [office.approved(title=f"Text {n}") for n in range(3)]
    for doc in docs:
        workflow.publish(office.editor, doc)
    run_worker()
    scheduled = office.approved(title="Later")
    workflow.schedule(office.editor, scheduled, utcnow() + timedelta(days=1))
    api = api_as(office.editor)
    body = api.get("/publications").get_json()
    assert body["total"] == 8
    states = [i["state"] for i in body["items"]]
    assert states == ["failed"] * 3 + ["queued"] * 2 + ["sent"] * 3
    failed = api.get(f"/publications?state=failed&channel_id={refusing.id}").get_json()
    assert failed["total"] == 3 and {i["channel"]["id"] for i in failed["items"]} == {refusing.id}
    one = api.get(f"/publications?document_id={docs[0].id}").get_json()
    assert one["total"] == 2
    page = api.get("/publications?per_page=3&page=3").get_json()
    assert (page["total"], page["page"], len(page["items"])) == (8, 3, 2)
    assert api.get("/publications?state=lost").status_code == 422
    assert api.get("/publications?channel_id=x").status_code == 422


def test_retry_cancel_and_confirm_through_the_api(office, platforms):
    refusing = platforms(office.org, "test_refusing", "Facebook")
    silent = platforms(office.org, "test_silent", "LinkedIn")
    doc = office.approved()
    workflow.publish(office.editor, doc, channels=[refusing.id, silent.id])
    run_worker()
    failed, uncertain = _rows(doc)
    api = api_as(office.editor)
    got = api.get(f"/publications/{failed.id}").get_json()
    assert got["state"] == "failed" and "revoked" in got["last_error"]
    assert got["allowed_actions"] == ["retry", "cancel"]
    assert api.get(f"/publications/{uncertain.id}").get_json()["allowed_actions"] == [
        "retry", "cancel", "confirm"]
    response = api.post(f"/publications/{uncertain.id}/confirm",
                        json={"url": "https://linkedin.example/p/1"})
    assert response.status_code == 200 and response.get_json()["state"] == "sent"
    assert response.get_json()["url"] == "https://linkedin.example/p/1"
    assert api.post(f"/publications/{uncertain.id}/confirm").status_code == 409
    response = api.post(f"/publications/{failed.id}/retry")
    assert response.status_code == 200 and response.get_json()["state"] == "queued"
    response = api.post(f"/publications/{failed.id}/cancel")
    assert response.get_json()["state"] == "cancelled"
    assert api.post(f"/publications/{failed.id}/confirm", json={"url": 5}).status_code == 409


def test_confirm_refuses_an_address_that_is_not_text(office, platforms):
    silent = platforms(office.org, "test_silent", "LinkedIn")
    doc = office.approved()
    workflow.publish(office.editor, doc, channels=[silent.id])
    run_worker()
    (row,) = _rows(doc)
    response = api_as(office.editor).post(f"/publications/{row.id}/confirm", json={"url": 5})
    assert response.status_code == 422
    db.session.refresh(row)
    assert row.state == "uncertain"


def test_unknown_publication_is_404(office):
    api = api_as(office.editor)
    assert api.get("/publications/999").status_code == 404
    assert api.post("/publications/999/retry").status_code == 404
