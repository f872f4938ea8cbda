"""Triage in the domain: the inbox's filters and counts, states, assignment, notes, bulk."""
import pytest
from conftest import login_as, make_org, make_user
from sqlalchemy import select

from commsdesk.errors import Conflict, Forbidden, NotFound, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Notification, OutgoingEmail
from commsdesk.monitoring import triage

from .helpers import item, match, source, watch_list

OTHER = "Kommunen beslutar om annat."  # no watch word in it


@pytest.fixture
def office(app):
    org = make_org("mitten", "Mittenpartiet")
    return org, make_user(org, "editor"), make_user(org, "contributor")


def test_the_inbox_filters_and_counts_per_state(office):
    org, editor, member = office
    paper, kommun = source(org), source(org, "Kommunen", "https://kommun.example/rss")
    school = watch_list(org)
    first = item(paper, "Förskolan stänger", n=1)
    second, third = item(paper, "Budget", OTHER, n=2), item(kommun, "Nämnden", OTHER, n=3)
    match(first, school)
    triage.set_state(editor, second, "flagged")
    triage.set_state(editor, third, "archived")
    triage.assign(editor, first, member)

    page = triage.inbox(editor)
    assert [row.id for row, _ in page.rows] == [second.id, first.id]
    assert page.counts == {"new": 1, "read": 0, "flagged": 1, "archived": 1}
    assert page.total == 2
    assert dict((row.id, terms) for row, terms in page.rows)[first.id] == ["förskola"]
    assert [r.id for r, _ in triage.inbox(editor, state="archived").rows] == [third.id]
    assert [r.id for r, _ in triage.inbox(editor, source_id=kommun.id, state="archived")
            .rows] == [third.id]
    assert triage.inbox(editor, source_id=paper.id).counts["archived"] == 0
    assert [r.id for r, _ in triage.inbox(editor, watch_list_id=school.id).rows] == [first.id]
    assert [r.id for r, _ in triage.inbox(editor, matched_only=True).rows] == [first.id]
    assert [r.id for r, _ in triage.inbox(member, assigned="me").rows] == [first.id]
    assert triage.inbox(editor, assigned="me").rows == []
    assert triage.inbox(editor, source_id="x").rows == []
    assert len(triage.inbox(editor, per_page=1, page=2).rows) == 1
    with pytest.raises(ValidationError):
        triage.inbox(editor, state="gone")


def test_another_organisations_items_are_not_there(office):
    org, editor, _member = office
    other = make_org("grona")
    stranger = make_user(other, "admin")
    row = item(source(org))
    assert triage.inbox(stranger).rows == [] and triage.inbox(stranger).total == 0
    with pytest.raises(NotFound):
        triage.item(stranger, row.id)
    assert triage.item(editor, row.id) is row


def test_states_move_only_as_allowed_and_are_audited(office):
    _org, editor, _member = office
    row = item(source(office[0]))
    triage.open(editor, row)
    assert row.state == "read"
    triage.set_state(editor, row, "flagged")
    with pytest.raises(Conflict):
        triage.set_state(editor, row, "new")
    triage.set_state(editor, row, "read")  # unflag
    triage.set_state(editor, row, "archived")
    with pytest.raises(Conflict):
        triage.set_state(editor, row, "flagged")
    triage.set_state(editor, row, "read")  # unarchive
    triage.open(editor, row)  # already read: nothing
    actions = db.session.execute(select(AuditEntry.action).where(
        AuditEntry.object_type == "item").order_by(AuditEntry.id)).scalars().all()
    assert actions == ["item.read", "item.flagged", "item.unflagged", "item.archived",
                       "item.unarchived"]


def test_assignment_tells_the_assignee_in_the_inbox(app, office, client):
    org, editor, member = office
    row = item(source(org), "Förskolan stänger")
    triage.assign(editor, row, member.id)
    assert row.assigned_to_id == member.id
    (note,) = db.session.execute(select(Notification)).scalars().all()
    assert (note.user_id, note.event, note.document_id) == (member.id, "item_assigned", None)
    assert note.data == {"item_id": row.id, "title": "Förskolan stänger"}
    (mail,) = db.session.execute(select(OutgoingEmail)).scalars().all()
    assert f"/monitoring/items/{row.id}" in mail.text_body and "Förskolan stänger" in mail.subject

    page = login_as(client, member).get("/inbox").get_data(as_text=True)
    assert f'href="/monitoring/items/{row.id}"' in page
    assert "Förskolan stänger" in page
    opened = client.form(f"/inbox/{note.id}/open", {})
    assert opened.headers["Location"].endswith(f"/monitoring/items/{row.id}")

    triage.assign(editor, row, None)
    assert row.assigned_to_id is None
    stranger = make_user(make_org("grona"), "editor")
    for bad in (stranger, stranger.id, "x", 10**12):
        with pytest.raises(ValidationError):
            triage.assign(editor, row, bad)


def test_notes_are_added_and_only_their_author_removes_them(office):
    org, editor, member = office
    row = item(source(org))
    note = triage.add_note(editor, row, "  Ring skolchefen  ")
    assert note.body == "Ring skolchefen"
    with pytest.raises(ValidationError):
        triage.add_note(editor, row, "   ")
    with pytest.raises(Forbidden):
        triage.remove_note(member, row, note.id)
    other = item(source(org, "B", "https://b.example/rss"), n=9)
    with pytest.raises(NotFound):
        triage.remove_note(editor, other, note.id)
    triage.remove_note(editor, row, note.id)
    assert triage.notes(row) == []


def test_bulk_marks_read_and_archives_only_the_organisations_items(office):
    org, editor, _member = office
    paper = source(org)
    rows = [item(paper, f"Nyhet {n}", n=n) for n in range(3)]
    foreign = item(source(make_org("grona")), "Deras", n=7)
    assert triage.bulk(editor, "read", [rows[0].id, str(rows[1].id), foreign.id, "x"]) == 2
    assert [r.state for r in rows] == ["read", "read", "new"] and foreign.state == "new"
    assert triage.bulk(editor, "archive", [r.id for r in rows]) == 3
    assert {r.state for r in rows} == {"archived"}
    with pytest.raises(ValidationError):
        triage.bulk(editor, "delete", [rows[0].id])


def test_matches_name_the_page_of_a_pdf(office):
    org, _editor, _member = office
    watch_list(org, ["förskola", '"nya skolan"'])
    row = item(source(org), "Kallelse", text="", kind="pdf",
               pages=["Dagordning", "Inget här", "Om förskolor och den nya skolan"])
    found = triage.matches(row)
    assert [(term, page) for term, page, _ in found] == [("förskola", 3), ("nya skolan", 3)]
    assert "<mark>förskolor</mark>" in str(found[0][2])
