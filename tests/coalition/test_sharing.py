"""Sharing and unsharing: who may, what partners see, and that unsharing takes access at once."""
import pytest
from conftest import api_as, login_as, share
from sqlalchemy import select

from commsdesk import coalition, documents, workflow
from commsdesk.errors import Forbidden, NotFound, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Notification, Share


def _audit(action):
    return db.session.execute(
        select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def test_owner_editor_shares_from_the_page(app, world):
    client = login_as(app, world.editor)
    page = client.get(f"/documents/{world.doc.id}").get_data(as_text=True)
    assert 'value="gron">Gröna</option>' in page and 'value="hoger">Högern</option>' in page
    assert 'value="mitten"' not in page  # not with itself
    response = client.form(f"/documents/{world.doc.id}/shares", {"organisation": "gron"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/documents/{world.doc.id}#coalition")
    assert [s.organisation.slug for s in coalition.shares(world.doc)] == ["gron"]
    page = client.get(f"/documents/{world.doc.id}").get_data(as_text=True)
    assert "Shared with Gröna" in page
    assert 'value="gron"' not in page  # no longer offered
    entry = _audit("document.shared")[0]
    assert entry.actor_id == world.editor.id and entry.data["organisation"] == "gron"


def test_share_notifies_the_partners_reviewers(world):
    share(world.doc, world.green)
    notes = db.session.execute(select(Notification)).scalars().all()
    assert {n.user_id for n in notes} == {world.green_editor.id, world.green_approver.id}
    assert all(n.event == "review_requested" and n.data.get("shared") is True for n in notes)


@pytest.mark.parametrize("role", ["editor", "approver"])
def test_publishing_roles_may_share(world, role):
    user = world.editor if role == "editor" else world.approver
    coalition.share(user, world.doc, "gron")
    assert coalition.shares(world.doc)[0].created_by_id == user.id


def test_sharing_with_itself_twice_or_nobody_is_a_clear_error(app, world):
    with pytest.raises(ValidationError, match="Mittenpartiet"):
        coalition.share(world.editor, world.doc, "mitten")
    share(world.doc, world.green)
    with pytest.raises(ValidationError, match="Gröna"):
        coalition.share(world.editor, world.doc, "gron")
    with pytest.raises(ValidationError, match="finns-inte"):
        coalition.share(world.editor, world.doc, "finns-inte")
    with pytest.raises(ValidationError):
        coalition.share(world.editor, world.doc, "")
    client = login_as(app, world.editor)
    response = client.form(f"/documents/{world.doc.id}/shares", {"organisation": "gron"},
                           headers={"Referer": f"/documents/{world.doc.id}"},
                           follow_redirects=True)
    assert "already shared with Gröna" in response.get_data(as_text=True)
    assert len(coalition.shares(world.doc)) == 1


def test_who_may_not_share(world):
    share(world.doc, world.green)
    with pytest.raises(Forbidden):
        coalition.share(world.contributor, world.doc, "vanster")
    with pytest.raises(Forbidden):
        coalition.share(world.green_editor, world.doc, "vanster")
    with pytest.raises(Forbidden):
        coalition.unshare(world.green_editor, world.doc, "gron")
    with pytest.raises(NotFound):
        coalition.share(world.outsider_editor, world.doc, "hoger")
    assert [s.organisation.slug for s in coalition.shares(world.doc)] == ["gron"]


def test_share_permissions_over_the_web(app, world):
    share(world.doc, world.green)
    url = f"/documents/{world.doc.id}/shares"
    contributor = login_as(app, world.contributor)
    assert contributor.form(url, {"organisation": "vanster"}).status_code == 403
    partner = login_as(app, world.green_editor)
    assert partner.form(url, {"organisation": "vanster"}).status_code == 403
    assert partner.form(f"{url}/gron/delete").status_code == 403
    outsider = login_as(app, world.outsider_editor)
    assert outsider.form(url, {"organisation": "hoger"}).status_code == 404
    assert outsider.form(f"{url}/gron/delete").status_code == 404
    assert [s.organisation.slug for s in coalition.shares(world.doc)] == ["gron"]
    # the partner sees who it is shared with, but no share form or unshare button
    page = partner.get(f"/documents/{world.doc.id}").get_data(as_text=True)
    assert "Gröna" in page and 'name="organisation"' not in page and "Stop sharing" not in page


def test_share_permissions_over_the_api(world):
    share(world.doc, world.green)
    path = f"/documents/{world.doc.id}/shares"
    assert api_as(world.contributor).post(path, {"organisation": "vanster"}).status_code == 403
    partner = api_as(world.green_editor)
    assert partner.post(path, {"organisation": "vanster"}).status_code == 403
    assert partner.request("DELETE", f"{path}/gron").status_code == 403
    assert partner.get(path).get_json()["items"][0]["organisation"]["slug"] == "gron"
    outsider = api_as(world.outsider_editor)
    assert outsider.post(path, {"organisation": "hoger"}).status_code == 404
    assert outsider.get(path).status_code == 404
    assert outsider.request("DELETE", f"{path}/gron").status_code == 404
    owner = api_as(world.editor)
    response = owner.post(path, {"organisation": "vanster", "document_id": 999})
    assert response.status_code == 201
    assert response.get_json()["organisation"] == {
        "id": world.left.id, "name": "Vänstern", "slug": "vanster"}
    assert owner.post(path, {"organisation": "vanster"}).status_code == 422
    assert owner.post(path, {"organisation": "mitten"}).status_code == 422
    assert owner.post(path, {"organisation": ["gron"]}).status_code == 422
    assert owner.request("DELETE", f"{path}/hoger").status_code == 404  # not shared
    assert owner.request("DELETE", f"{path}/vanster").status_code == 204
    assert [s.organisation.slug for s in coalition.shares(world.doc)] == ["gron"]


def test_partner_sees_the_shared_document_everywhere(app, world):
    other = documents.create_document(world.editor, "press_release",
                                      {"title": "Internt", "body": "Hemligt"})
    share(world.doc, world.green)
    client = login_as(app, world.green_editor)
    for url in ("/", "/documents", "/documents?q=utspel"):
        page = client.get(url).get_data(as_text=True)
        assert "Gemensamt utspel" in page, url
        assert "Internt" not in page, url
    assert client.get(f"/documents/{world.doc.id}").status_code == 200
    assert client.get(f"/documents/{other.id}").status_code == 404
    api = api_as(world.green_editor)
    listing = api.get("/documents").get_json()
    assert [d["id"] for d in listing["items"]] == [world.doc.id] and listing["total"] == 1
    assert api.get("/documents?q=kräver").get_json()["total"] == 1
    # the outsider sees nothing of it
    outsider = login_as(app, world.outsider_editor)
    assert "Gemensamt utspel" not in outsider.get("/documents?q=utspel").get_data(as_text=True)


def test_unsharing_takes_access_away_at_once(app, world):
    share(world.doc, world.green)
    documents.save_revision(world.editor, world.doc, {"title": "Gemensamt utspel",
                                                      "body": "Ny text"},
                            world.doc.current_revision_id)
    revs = documents.revisions(world.doc)
    client = login_as(app, world.green_editor)
    api = api_as(world.green_editor)
    doc_id = world.doc.id
    pages = [f"/documents/{doc_id}", f"/documents/{doc_id}/history",
             f"/documents/{doc_id}/revisions/{revs[1].id}",
             f"/documents/{doc_id}/diff?a={revs[1].id}&b={revs[0].id}",
             f"/documents/{doc_id}/trail", f"/documents/{doc_id}/trail.json"]
    api_paths = [f"/documents/{doc_id}", f"/documents/{doc_id}/revisions",
                 f"/documents/{doc_id}/shares", f"/documents/{doc_id}/signatories",
                 f"/documents/{doc_id}/trail"]
    for url in pages:
        assert client.get(url).status_code == 200, url
    for path in api_paths:
        assert api.get(path).status_code == 200, path

    owner = login_as(app, world.editor)
    response = owner.form(f"/documents/{doc_id}/shares/gron/delete")
    assert response.status_code == 302
    assert db.session.execute(select(Share)).first() is None
    for url in pages:
        assert client.get(url).status_code == 404, url
    for path in api_paths:
        assert api.get(path).status_code == 404, path
    assert "Gemensamt utspel" not in client.get("/documents").get_data(as_text=True)
    assert api.get("/documents").get_json()["total"] == 0
    entry = _audit("document.unshared")[0]
    assert entry.data["organisation"] == "gron"


def test_sharing_an_approved_document_sends_it_back_to_review(world):
    workflow.submit(world.editor, world.doc)
    workflow.approve(world.approver, world.doc)
    assert world.doc.state == workflow.APPROVED
    share(world.doc, world.green)
    assert world.doc.state == workflow.IN_REVIEW
    assert not workflow.approval_status(world.doc).agreed
    assert _audit("workflow.back_to_review")
    workflow.approve(world.green_approver, world.doc)
    assert world.doc.state == workflow.APPROVED and workflow.approval_status(world.doc).agreed
