"""The overview opens with the to-do: what waits for the reader, with its due time and a link
to act; the partner's leader sees shared texts there too."""
import re
from datetime import timedelta

from conftest import login_as, make_document, make_org, make_user, share

from commsdesk import documents, workflow
from commsdesk.times import utcnow


def stale_shared_op_ed(owner_editor, owner_leader, partner, partner_leader):
    doc = make_document(owner_editor, kind="op_ed", title="Skolan <först>")
    share(doc, partner)
    workflow.submit(owner_editor, doc, due_at=utcnow() + timedelta(days=1))
    workflow.approve(owner_leader, doc)
    workflow.approve(partner_leader, doc)
    approved = doc.current_revision_id
    documents.save_revision(owner_editor, doc, {"title": "Skolan <först>", "body": "Ny"},
                            approved)
    return doc, approved


def test_the_overview_opens_with_the_todo_of_both_leaders(app):
    mitten, grona = make_org("mitten"), make_org("grona")
    editor, leader = make_user(mitten, "editor"), make_user(mitten, "approver")
    partner_leader = make_user(grona, "approver")
    doc, _approved = stale_shared_op_ed(editor, leader, grona, partner_leader)
    show = f"/documents/{doc.id}"  # its review bar shows what changed since the approval
    for reader in (leader, partner_leader):
        page = login_as(app, reader).get("/").get_data(as_text=True)
        todo = page[page.index('id="todo-h"'):page.index("My drafts")]
        assert "To do" in page and page.index('id="todo-h"') < page.index("My drafts")
        assert "Changed since you approved" in todo and "Skolan &lt;först&gt;" in todo
        assert f'href="{show}"' in todo and "See what changed" in todo
        assert re.search(r'<time datetime="[^"]+">due ', todo)
        # The partner's row names the owning organisation.
        assert ("· Mitten" in todo) == (reader is partner_leader)


def test_an_empty_todo_says_so(app):
    contributor = make_user(make_org("mitten"), "contributor")
    page = login_as(app, contributor).get("/").get_data(as_text=True)
    assert "Nothing waits for you." in page


def test_changes_requested_link_to_the_editor(app):
    org = make_org("mitten")
    member, leader = make_user(org, "contributor"), make_user(org, "approver")
    doc = make_document(member, kind="letter", title="Insändare")
    workflow.submit(member, doc)
    workflow.request_changes(leader, doc, "Kortare")
    page = login_as(app, member).get("/").get_data(as_text=True)
    assert f'href="/documents/{doc.id}/edit"' in page and "Changes requested" in page


def test_a_long_to_do_shows_the_soonest_and_counts_the_rest(app):
    org = make_org("lang")
    editor = make_user(org, "editor")
    leader = make_user(org, "approver")
    member = make_user(org, "contributor")
    for number in range(3):
        doc = make_document(member, kind="letter", title=f"Insändare {number}")
        workflow.submit(member, doc)
        workflow.request_changes(leader, doc, message="Kortare, tack.")
    board = documents.dashboard(editor, todo_shown=2)
    assert len(board["todo"]) == 2 and board["todo_more"] == 1
