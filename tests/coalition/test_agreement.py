"""The agreed rule with two partners, and what the document page shows per organisation."""
from conftest import login_as, share

from commsdesk import documents, workflow


def _edit(world, body):
    documents.save_revision(world.editor, world.doc, {"title": world.doc.title, "body": body},
                            world.doc.current_revision_id)


def test_agreed_when_owner_and_both_partners_approve_the_same_revision(app, world):
    share(world.doc, world.green, world.left)
    assert workflow.required_organisations(world.doc) == [
        world.owner.id, world.green.id, world.left.id]
    workflow.submit(world.editor, world.doc)
    workflow.approve(world.approver, world.doc)
    workflow.approve(world.green_approver, world.doc)
    assert not workflow.approval_status(world.doc).agreed and world.doc.state == workflow.IN_REVIEW
    workflow.approve(world.left_approver, world.doc)
    assert workflow.approval_status(world.doc).agreed and world.doc.state == workflow.APPROVED
    page = login_as(app, world.left_editor).get(f"/documents/{world.doc.id}").get_data(
        as_text=True)
    assert "Agreed: every organisation approved revision 1." in page
    # per organisation, owner first, then partners in the order shared
    positions = [page.index(f"<strong>{name}</strong>")
                 for name in ("Mittenpartiet", "Gröna", "Vänstern")]
    assert positions == sorted(positions)
    assert world.doc.current_revision.content_hash[:10] in page
    assert "stale" not in page


def test_an_edit_in_between_makes_earlier_approvals_stale(app, world):
    share(world.doc, world.green, world.left)
    workflow.submit(world.editor, world.doc)
    workflow.approve(world.approver, world.doc)
    workflow.approve(world.green_approver, world.doc)
    first = world.doc.current_revision
    _edit(world, "Vi kräver mycket mer.")
    workflow.approve(world.left_approver, world.doc)
    assert not workflow.approval_status(world.doc).agreed
    assert world.doc.state == workflow.IN_REVIEW
    status = workflow.approval_status(world.doc)
    assert [o.approved for o in status.organisations] == [False, False, True]
    assert status.waiting_for == (world.owner, world.green)
    assert len(status.of(world.left.id).approvals) == 1
    assert [a.revision_id for a in status.of(world.owner.id).stale] == [first.id]
    page = login_as(app, world.editor).get(f"/documents/{world.doc.id}").get_data(as_text=True)
    assert "Not agreed yet" in page
    assert page.count('class="tag stale"') == 2
    assert first.content_hash[:10] in page
    # the owner and the first partner approve the new revision: agreed again
    workflow.approve(world.approver, world.doc)
    workflow.approve(world.green_approver, world.doc)
    assert workflow.approval_status(world.doc).agreed and world.doc.state == workflow.APPROVED


def test_an_edit_after_agreement_sends_it_back(world):
    share(world.doc, world.green, world.left)
    workflow.submit(world.editor, world.doc)
    for user in (world.approver, world.green_approver, world.left_approver):
        workflow.approve(user, world.doc)
    assert world.doc.state == workflow.APPROVED
    _edit(world, "Ändrat efter överenskommelsen.")
    assert world.doc.state == workflow.IN_REVIEW and not workflow.approval_status(world.doc).agreed


def test_unsharing_the_last_holdout_leaves_the_others_approvals(world):
    share(world.doc, world.green, world.left)
    workflow.submit(world.editor, world.doc)
    workflow.approve(world.approver, world.doc)
    workflow.approve(world.green_approver, world.doc)
    from commsdesk import coalition

    coalition.unshare(world.editor, world.doc, "vanster")
    assert workflow.required_organisations(world.doc) == [world.owner.id, world.green.id]
    assert workflow.approval_status(world.doc).agreed
    assert world.doc.state == workflow.APPROVED  # the remaining organisations agree
