"""Offering an approved text to an outlet: the row, the email, and what is refused (not
approved, too long, exclusivity either way) without changing anything."""
import pytest
from conftest import make_document
from sqlalchemy import func, select

from commsdesk import submissions, workflow
from commsdesk.errors import Conflict, Forbidden, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, OutgoingEmail, Submission

from .support import approved_op_ed, make_outlet


def _count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_offer_records_the_approved_revision_and_queues_one_email(editor):
    doc = approved_op_ed(editor)
    outlet = make_outlet(editor, reply_days=10)
    row = submissions.submit(editor, doc, outlet.id, "Eva Sjöberg är gruppledare.", "Hej!")
    assert row.state == "offered" and row.revision_id == doc.current_revision_id
    assert row.content_hash == doc.current_revision.content_hash
    assert (row.reply_by - row.offered_at).days == 10
    email = db.session.get(OutgoingEmail, row.email_id)
    assert email.to_address == "debatt@alvstad.example"
    assert "Bussarna" in email.subject and "Eva Sjöberg, gruppledare" in email.text_body
    assert "Please reply to" in email.text_body and editor.email in email.text_body
    assert doc.state == workflow.APPROVED  # the workflow state does not change
    assert db.session.execute(select(AuditEntry.action).where(
        AuditEntry.object_type == "submission")).scalars().all() == ["submission.offered"]


def test_a_text_not_approved_is_not_offered(editor):
    doc = make_document(editor, kind="op_ed")
    outlet = make_outlet(editor)
    with pytest.raises(Conflict, match="approved"):
        submissions.submit(editor, doc, outlet.id, "Om författaren")


def test_too_long_is_refused_with_the_count_and_changes_nothing(editor):
    doc = approved_op_ed(editor, body="x" * 120)
    outlet = make_outlet(editor, length_limit=100)
    emails = _count(OutgoingEmail)
    with pytest.raises(ValidationError) as caught:
        submissions.submit(editor, doc, outlet.id, "Om författaren")
    db.session.rollback()
    used = submissions.length_used(doc.current_revision)
    assert f"{used} characters" in caught.value.message and "at most 100" in caught.value.message
    assert _count(Submission) == 0 and _count(OutgoingEmail) == emails


def test_exclusive_offer_blocks_other_outlets_until_refused(editor):
    doc = approved_op_ed(editor)
    exclusive = make_outlet(editor, "Länsposten", "debatt@lansposten.example",
                            wants_exclusive=True)
    other = make_outlet(editor)
    first = submissions.submit(editor, doc, exclusive.id, "Om författaren")
    with pytest.raises(Conflict, match="exclusively to Länsposten"):
        submissions.submit(editor, doc, other.id, "Om författaren")
    db.session.rollback()
    assert _count(Submission) == 1
    submissions.refuse(editor, doc, first)
    assert submissions.submit(editor, doc, other.id, "Om författaren").state == "offered"


def test_a_text_on_offer_elsewhere_is_not_offered_to_an_exclusive_outlet(editor):
    doc = approved_op_ed(editor)
    exclusive = make_outlet(editor, "Länsposten", "debatt@lansposten.example",
                            wants_exclusive=True)
    submissions.submit(editor, doc, make_outlet(editor).id, "Om författaren")
    with pytest.raises(Conflict, match=r"Länsposten wants exclusive offers.*Älvstads Tidning"):
        submissions.submit(editor, doc, exclusive.id, "Om författaren")


def test_the_same_outlet_is_not_offered_twice_while_open(editor):
    doc = approved_op_ed(editor)
    outlet = make_outlet(editor)
    submissions.submit(editor, doc, outlet.id, "Om författaren")
    with pytest.raises(Conflict, match="already on offer"):
        submissions.submit(editor, doc, outlet.id, "Om författaren")


def test_only_editors_and_admins_of_the_owner_submit(editor, org):
    from conftest import make_user

    doc = approved_op_ed(editor)
    outlet = make_outlet(editor)
    with pytest.raises(Forbidden):
        submissions.submit(make_user(org, "contributor"), doc, outlet.id, "Om författaren")


def test_press_releases_are_not_offered(editor):
    doc = make_document(editor, kind="press_release")
    with pytest.raises(Conflict, match="op-eds and letters"):
        submissions.submit(editor, doc, make_outlet(editor).id, "Om")


def test_presentation_defaults_to_the_signatories(editor):
    doc = approved_op_ed(editor)
    assert submissions.default_presentation(doc) == \
        f"Eva Sjöberg, gruppledare ({editor.organisation.name})"
