"""Calendar entries: what each user sees (tenancy), how items group, and the filters."""
from datetime import timedelta

import pytest
from conftest import make_document, publish_now, run_worker

from commsdesk import documents, scheduling, workflow
from commsdesk.errors import ValidationError
from commsdesk.extensions import db
from commsdesk.models import Channel, utcnow

from .conftest import soon


def _all(user, filters=None):
    now = utcnow()
    return scheduling.entries(user, now - timedelta(days=30), now + timedelta(days=60), filters)


def _titles(found, entry_type=None):
    return [e.title for e in found if entry_type in (None, e.type)]


def test_a_scheduled_text_is_one_entry_with_its_channels(office):
    at = soon()
    doc = office.scheduled(at, "Budgeten")
    extra = Channel(organisation_id=office.org.id, type="website", name="Andra sajten",
                    settings={})
    db.session.add(extra)
    db.session.commit()
    second = office.scheduled(at, "Två kanaler")
    [entry, other] = [e for e in _all(office.editor) if e.type == "scheduled"]
    assert (entry.document, entry.at, entry.state) == (doc, at, "queued")
    assert [c.name for c in entry.channels] == ["Newsroom"]
    assert other.document == second and sorted(c.name for c in other.channels) == [
        "Andra sajten", "Newsroom"]
    assert entry.uid != other.uid


def test_the_uid_stays_when_rescheduled(office):
    doc = office.scheduled(soon(3))
    [before] = _all(office.editor)
    workflow.reschedule(office.editor, doc, soon(5))
    [after] = _all(office.editor)
    assert after.uid == before.uid and after.at == soon(5)


def test_another_organisations_scheduled_text_never_shows(office):
    office.scheduled(soon(), "Högerns hemlighet", editor=office.outsider_editor,
                     approver=office.outsider_approver)
    for user in (office.editor, office.partner_editor, office.contributor):
        assert "Högerns hemlighet" not in _titles(_all(user))
    assert _titles(_all(office.outsider_editor)) == ["Högerns hemlighet"]


def test_a_shared_text_shows_to_the_partner(office):
    office.scheduled(soon(), "Gemensamt utspel", shared=True)
    office.scheduled(soon(), "Bara vårt")
    assert _titles(_all(office.partner_editor)) == ["Gemensamt utspel"]
    assert sorted(_titles(_all(office.editor))) == ["Bara vårt", "Gemensamt utspel"]


def test_published_items_carry_channel_and_address(office):
    doc = publish_now(office.editor, office.approved("Ute nu"))
    [entry] = _all(office.editor)
    assert entry.type == "published" and entry.state == "sent"
    assert entry.url.endswith(f"/n/mitten/{doc.id}-ute-nu")
    assert entry.channels[0].name == "Newsroom"
    workflow.withdraw(office.editor, doc)
    [entry] = _all(office.editor)
    assert entry.state == "withdrawn"


def test_publish_now_shows_as_published_once_sent(office):
    doc = office.approved("Direkt")
    workflow.publish(office.editor, doc)
    assert [e.type for e in _all(office.editor)] == ["scheduled"]
    run_worker()
    assert [e.type for e in _all(office.editor)] == ["published"]


def test_deadlines_and_open_reviews(office):
    doc = make_document(office.editor, title="Insändare", kind="letter")
    documents.save(office.editor, doc, deadline=soon(4).isoformat())
    workflow.submit(office.editor, doc, reviewer_ids=[office.approver.id, office.admin.id],
                    due_at=soon(2))
    found = _all(office.editor)
    assert [(e.type, e.at) for e in found] == [("review", soon(2)), ("deadline", soon(4))]
    review = found[0]
    assert sorted(review.reviewers) == sorted([office.approver.name, office.admin.name])
    assert review.state == "in_review"
    workflow.approve(office.approver, doc)  # closes the approver's request only
    [review] = [e for e in _all(office.editor) if e.type == "review"]
    assert review.reviewers == (office.admin.name,)


def test_an_archived_documents_deadline_is_not_shown(office):
    doc = documents.create_document(office.editor, "op_ed", {"title": "Gammal", "body": "x"},
                                    deadline=soon(2).isoformat())
    assert _titles(_all(office.editor)) == ["Gammal"]
    workflow.archive(office.editor, doc)
    assert _all(office.editor) == []


def test_filters_by_type_kind_and_channel(office):
    office.scheduled(soon(2), "Pressen", kind="press_release")
    office.scheduled(soon(3), "Debatten", kind="op_ed")
    documents.create_document(office.editor, "op_ed", {"title": "Med deadline", "body": "x"},
                              deadline=soon(4).isoformat())
    newsroom = db.session.execute(
        db.select(Channel).where(Channel.organisation_id == office.org.id)).scalars().one()

    def titles(**given):
        return _titles(_all(office.editor, scheduling.parse_filters(**given)))

    assert titles(types=["deadline"]) == ["Med deadline"]
    assert titles(kinds_=["op_ed"]) == ["Debatten", "Med deadline"]
    assert titles(types=["scheduled,deadline"], kinds_=["op_ed"]) == ["Debatten",
                                                                       "Med deadline"]
    # A channel filter keeps what goes out on it; deadlines go out nowhere.
    assert titles(channels=[str(newsroom.id)]) == ["Pressen", "Debatten"]
    assert titles(channels=["999"]) == []


@pytest.mark.parametrize("given, field", [
    ({"types": ["later"]}, "type"), ({"kinds_": ["novel"]}, "kind"),
    ({"channels": ["newsroom"]}, "channel")])
def test_unknown_filter_values_are_refused(given, field):
    with pytest.raises(ValidationError) as caught:
        scheduling.parse_filters(**given)
    assert caught.value.details["field"] == field


def test_who_may_reschedule(office):
    doc = office.scheduled(soon(), shared=True)
    [entry] = _all(office.editor)
    assert scheduling.can_reschedule(office.editor, entry)
    assert scheduling.can_reschedule(office.approver, entry)
    assert not scheduling.can_reschedule(office.contributor, entry)
    assert not scheduling.can_reschedule(office.partner_editor, entry)
    assert doc.state == workflow.SCHEDULED
