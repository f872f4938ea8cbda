"""The document page, the API and the decision trail show the same approval status."""
from conftest import api_as, login_as, share

from commsdesk import coalition, documents, workflow


def _partly_approved(world):
    """Owner and green approved revision 1; after an edit only the left partner approved."""
    share(world.doc, world.green, world.left)
    workflow.submit(world.editor, world.doc)
    workflow.approve(world.approver, world.doc)
    workflow.approve(world.green_approver, world.doc)
    documents.save_revision(world.editor, world.doc, {"title": world.doc.title,
                                                      "body": "Vi kräver mer nu."},
                            world.doc.current_revision_id)
    workflow.approve(world.left_approver, world.doc)


def test_page_api_and_trail_agree_with_approval_status(app, world):
    _partly_approved(world)
    status = workflow.approval_status(world.doc)
    assert status.shared and not status.agreed
    assert [o.organisation.slug for o in status.organisations] == ["mitten", "gron", "vanster"]
    assert [o.approved for o in status.organisations] == [False, False, True]
    assert status.waiting_for == (world.owner, world.green)

    api = api_as(world.green_editor)
    state = api.get(f"/documents/{world.doc.id}/workflow").get_json()
    assert state["agreed"] is False
    assert [(o["organisation_id"], o["approved"], len(o["approvals"]))
            for o in state["organisations"]] == [
        (world.owner.id, False, 0), (world.green.id, False, 0), (world.left.id, True, 1)]
    assert [a["stale"] for a in state["history"]] == [False, True, True]

    trail = api.get(f"/documents/{world.doc.id}/trail").get_json()
    assert trail["agreed"] is False
    assert [o["slug"] for o in trail["required_organisations"]] == ["mitten", "gron", "vanster"]
    assert [(a["organisation"]["slug"], a["current"]) for a in trail["approvals"]] == [
        ("mitten", False), ("gron", False), ("vanster", True)]
    assert [s["shared_by"]["id"] for s in trail["shares"]] == [world.editor.id] * 2

    page = login_as(app, world.green_editor).get(f"/documents/{world.doc.id}").get_data(
        as_text=True)
    assert "Not agreed yet" in page
    assert page.count("has not approved the current revision") == 2
    assert page.count("approved the current revision") == 3  # also inside "has not ..."
    assert page.count('class="tag stale"') == 2


def test_unsharing_changes_the_status_everywhere(app, world):
    _partly_approved(world)
    coalition.unshare(world.editor, world.doc, "gron")
    workflow.approve(world.approver, world.doc)
    status = workflow.approval_status(world.doc)
    assert status.agreed and world.doc.state == workflow.APPROVED
    api = api_as(world.editor)
    assert api.get(f"/documents/{world.doc.id}/workflow").get_json()["agreed"] is True
    assert api.get(f"/documents/{world.doc.id}/trail").get_json()["agreed"] is True
    page = login_as(app, world.editor).get(f"/documents/{world.doc.id}").get_data(as_text=True)
    assert "Agreed: every organisation approved revision 2." in page
