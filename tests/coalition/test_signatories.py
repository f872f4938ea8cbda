"""Signatories: each organisation names its own; the owning organisation sets the order."""
import pytest
from conftest import api_as, login_as, publish_now, share
from sqlalchemy import func, select

from commsdesk import coalition, workflow
from commsdesk.errors import Conflict, Forbidden, NotFound, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Revision, Signatory


def _names(doc):
    return [s.name for s in coalition.signatories(doc)]


def test_each_organisation_names_its_own_and_the_owner_orders(world):
    share(world.doc, world.green)
    anna = coalition.add_signatory(world.editor, world.doc, "Anna Andersson", "Partiledare")
    bo = coalition.add_signatory(world.green_editor, world.doc, "Bo Berg", "Språkrör")
    cia = coalition.add_signatory(world.green_approver, world.doc, "Cia Ek", "")
    assert _names(world.doc) == ["Anna Andersson", "Bo Berg", "Cia Ek"]
    assert bo.organisation_id == world.green.id and anna.organisation_id == world.owner.id
    coalition.move_signatory(world.editor, world.doc, cia, "up")
    assert _names(world.doc) == ["Anna Andersson", "Cia Ek", "Bo Berg"]
    coalition.update_signatory(world.editor, world.doc, anna, position=3)
    assert _names(world.doc) == ["Cia Ek", "Bo Berg", "Anna Andersson"]
    assert [s.position for s in coalition.signatories(world.doc)] == [1, 2, 3]
    coalition.update_signatory(world.green_editor, world.doc, bo, title="Språkrör, Gröna")
    assert bo.title == "Språkrör, Gröna"
    coalition.remove_signatory(world.green_editor, world.doc, cia)
    assert _names(world.doc) == ["Bo Berg", "Anna Andersson"]
    assert [s.position for s in coalition.signatories(world.doc)] == [1, 2]
    actions = db.session.execute(select(AuditEntry.action).where(
        AuditEntry.action.like("signatory.%"))).scalars().all()
    assert actions.count("signatory.added") == 3 and "signatory.removed" in actions
    assert actions.count("signatory.changed") >= 3


def test_signatories_are_not_part_of_the_text(world):
    workflow.submit(world.editor, world.doc)
    workflow.approve(world.approver, world.doc)
    coalition.add_signatory(world.editor, world.doc, "Anna Andersson", "Partiledare")
    assert db.session.execute(select(func.count(Revision.id))).scalar_one() == 1
    assert world.doc.state == workflow.APPROVED and workflow.approval_status(world.doc).agreed


def test_nobody_changes_another_organisations_signatories(world):
    share(world.doc, world.green)
    anna = coalition.add_signatory(world.editor, world.doc, "Anna", "")
    bo = coalition.add_signatory(world.green_editor, world.doc, "Bo", "")
    with pytest.raises(Forbidden):
        coalition.update_signatory(world.green_editor, world.doc, anna, name="Hackad")
    with pytest.raises(Forbidden):
        coalition.remove_signatory(world.green_editor, world.doc, anna)
    with pytest.raises(Forbidden):  # not even the owner edits a partner's signer
        coalition.update_signatory(world.editor, world.doc, bo, title="Hackad")
    with pytest.raises(Forbidden):  # partners do not set the order
        coalition.move_signatory(world.green_editor, world.doc, bo, "up")
    with pytest.raises(Forbidden):
        coalition.add_signatory(world.green_editor, world.doc, "Först", "", position=1)
    with pytest.raises(Forbidden):  # contributors name no signers
        coalition.add_signatory(world.contributor, world.doc, "Cia", "")
    with pytest.raises(Forbidden):
        coalition.add_signatory(world.green_contributor, world.doc, "Cia", "")
    with pytest.raises(NotFound):
        coalition.add_signatory(world.outsider_editor, world.doc, "Dan", "")
    with pytest.raises(ValidationError):
        coalition.add_signatory(world.editor, world.doc, "   ", "")
    with pytest.raises(ValidationError):
        coalition.add_signatory(world.editor, world.doc, "x" * 201, "")
    db.session.rollback()
    assert _names(world.doc) == ["Anna", "Bo"]
    assert coalition.signatories(world.doc)[0].name == "Anna"


def test_no_changes_once_published_and_unsharing_removes_the_partners(world):
    share(world.doc, world.green, world.left)
    coalition.add_signatory(world.editor, world.doc, "Anna", "")
    coalition.add_signatory(world.green_editor, world.doc, "Bo", "")
    coalition.add_signatory(world.left_editor, world.doc, "Cia", "")
    coalition.unshare(world.editor, world.doc, "gron")
    assert _names(world.doc) == ["Anna", "Cia"]
    assert [s.position for s in coalition.signatories(world.doc)] == [1, 2]
    workflow.submit(world.editor, world.doc)
    workflow.approve(world.approver, world.doc)
    workflow.approve(world.left_approver, world.doc)
    publish_now(world.editor, world.doc)
    with pytest.raises(Conflict):
        coalition.add_signatory(world.editor, world.doc, "Dan", "")
    coalition.unshare(world.editor, world.doc, "vanster")  # what went out stays on record
    assert _names(world.doc) == ["Anna", "Cia"]


def test_signatories_over_the_web_in_order_on_the_page(app, world):
    share(world.doc, world.green)
    owner = login_as(app, world.editor)
    partner = login_as(app, world.green_editor)
    base = f"/documents/{world.doc.id}/signatories"
    assert owner.form(base, {"name": "Anna Andersson", "title": "Partiledare"}).status_code == 302
    assert partner.form(base, {"name": "Bo Berg", "title": "Språkrör",
                               "organisation_id": str(world.owner.id)}).status_code == 302
    anna, bo = coalition.signatories(world.doc)
    assert bo.organisation_id == world.green.id  # set from the user, never from the form
    assert partner.form(f"{base}/{anna.id}", {"name": "Hackad"}).status_code == 403
    assert partner.form(f"{base}/{anna.id}/delete").status_code == 403
    assert partner.form(f"{base}/{bo.id}/move", {"direction": "up"}).status_code == 403
    assert login_as(app, world.outsider_editor).form(base, {"name": "X"}).status_code == 404
    assert owner.form(f"{base}/{bo.id}/move", {"direction": "up"}).status_code == 302
    assert _names(world.doc) == ["Bo Berg", "Anna Andersson"]
    page = partner.get(f"/documents/{world.doc.id}").get_data(as_text=True)
    assert page.index("Bo Berg") < page.index("Anna Andersson")
    assert "makes no new revision" in page
    # the partner may change its own signer only
    assert f'signatories/{bo.id}"' in page and f'signatories/{anna.id}"' not in page
    response = partner.form(f"{base}/{bo.id}", {"name": "Bo Berg", "title": "Språkrör, Gröna"})
    assert response.status_code == 302
    assert coalition.signatories(world.doc)[0].title == "Språkrör, Gröna"
    assert partner.form(f"{base}/{bo.id}/delete").status_code == 302
    assert _names(world.doc) == ["Anna Andersson"]


def test_signatories_over_the_api(world):
    share(world.doc, world.green)
    path = f"/documents/{world.doc.id}/signatories"
    owner, partner = api_as(world.editor), api_as(world.green_editor)
    response = owner.post(path, {"name": "Anna", "title": "Partiledare"})
    assert response.status_code == 201
    anna = response.get_json()
    assert anna["organisation"]["slug"] == "mitten" and anna["position"] == 1
    crafted = partner.post(path, {"name": "Bo", "organisation_id": world.owner.id,
                                  "organisation": {"id": world.owner.id}, "document_id": 1})
    assert crafted.status_code == 201
    bo = crafted.get_json()
    assert bo["organisation"]["slug"] == "gron" and bo["position"] == 2
    assert partner.post(path, {"name": "Först", "position": 1}).status_code == 403
    assert partner.patch(f"{path}/{anna['id']}", {"name": "Hackad"}).status_code == 403
    assert partner.patch(f"{path}/{bo['id']}", {"position": 1}).status_code == 403
    assert partner.request("DELETE", f"{path}/{anna['id']}").status_code == 403
    assert partner.patch(f"{path}/{bo['id']}", {"title": "Språkrör"}).status_code == 200
    assert owner.patch(f"{path}/{bo['id']}", {"position": 1}).get_json()["position"] == 1
    assert owner.patch(f"{path}/{bo['id']}", {"position": "1"}).status_code == 422
    assert owner.post(path, {"name": 5}).status_code == 422
    assert owner.post(path, {"title": "utan namn"}).status_code == 422
    listing = partner.get(path).get_json()["items"]
    assert [(s["name"], s["title"], s["position"]) for s in listing] == [
        ("Bo", "Språkrör", 1), ("Anna", "Partiledare", 2)]
    assert api_as(world.outsider_editor).get(path).status_code == 404
    assert owner.patch(f"{path}/999999", {"name": "x"}).status_code == 404
    other = coalition.add_signatory(world.editor, world.doc, "Cia", "")
    assert owner.request("DELETE", f"{path}/{other.id}").status_code == 204
    assert db.session.execute(select(func.count(Signatory.id))).scalar_one() == 2
