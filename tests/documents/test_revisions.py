"""Revisions are immutable, saves on a stale base are conflicts, restore makes a new revision."""
import pytest
from conftest import make_document, make_org, make_user
from sqlalchemy import func, select

from commsdesk import documents
from commsdesk.errors import Conflict, Forbidden, NotFound, ValidationError
from commsdesk.extensions import db
from commsdesk.models import Revision


def revision_count(doc):
    return db.session.execute(
        select(func.count()).where(Revision.document_id == doc.id)).scalar_one()


def test_every_save_is_a_new_revision_with_hash_and_author(editor):
    doc = make_document(editor, title="Förskolan", body="Version ett")
    first = doc.current_revision
    rev, created = documents.save_revision(
        editor, doc, {"title": "Förskolan", "body": "Version två"}, first.id)
    assert created and rev.number == 2 and rev.parent_id == first.id
    assert rev.author_id == editor.id
    assert rev.content_hash == documents.content_hash(rev.content) != first.content_hash
    assert first.content["body"] == "Version ett"  # the old revision is untouched
    assert doc.current_revision_id == rev.id and doc.title == "Förskolan"


def test_saving_unchanged_text_makes_no_revision(editor):
    doc = make_document(editor)
    _rev, created = documents.save_revision(
        editor, doc, dict(doc.current_revision.content), doc.current_revision_id)
    assert not created and revision_count(doc) == 1


def test_stale_save_is_a_conflict_and_overwrites_nothing(org, editor):
    other = make_user(org, "approver")
    doc = make_document(editor, body="Start")
    base = doc.current_revision_id
    documents.save_revision(other, doc, {"title": "Rubrik", "body": "Deras text"}, base)
    with pytest.raises(Conflict) as caught:
        documents.save_revision(editor, doc, {"title": "Rubrik", "body": "Min text"}, base)
    assert caught.value.details["proposed"]["body"] == "Min text"
    assert doc.current_revision.content["body"] == "Deras text"
    assert revision_count(doc) == 2


def test_restore_creates_a_new_revision(editor):
    doc = make_document(editor, body="Ett")
    first = doc.current_revision
    documents.save_revision(editor, doc, {"title": "Rubrik", "body": "Två"}, first.id)
    restored, created = documents.restore_revision(editor, doc, first.id)
    assert created and restored.number == 3
    assert restored.content == first.content and restored.content_hash == first.content_hash
    assert revision_count(doc) == 3


def test_contributor_edits_only_own_documents(org, editor):
    contributor = make_user(org, "contributor")
    theirs = make_document(editor)
    with pytest.raises(Forbidden):
        documents.save_revision(contributor, theirs, {"title": "X"}, theirs.current_revision_id)
    own = make_document(contributor)
    _rev, created = documents.save_revision(contributor, own, {"title": "Ny"},
                                            own.current_revision_id)
    assert created


def test_validation_errors_change_nothing(editor):
    doc = make_document(editor)
    for bad in ({"title": ""}, {"title": "x" * 301}, {"title": "T", "body": 5},
                {"title": "T", "fields": []}, {"title": "T", "fields": {"embargo": "soon"}}):
        with pytest.raises(ValidationError):
            documents.save_revision(editor, doc, bad, doc.current_revision_id)
    assert revision_count(doc) == 1
    with pytest.raises(ValidationError):
        documents.create_document(editor, "poem", {"title": "T"})


def test_kind_fields_are_kept_and_embargo_stored_in_utc(editor):
    doc = documents.create_document(editor, "press_release", {
        "title": "T", "fields": {"contact": "Amir", "embargo": "2026-12-01T08:00"}})
    fields = doc.current_revision.content["fields"]
    assert fields["contact"] == "Amir"
    assert fields["embargo"] == "2026-12-01T07:00:00+00:00"  # 08:00 Stockholm time


def test_other_organisations_documents_are_not_found(editor):
    other_org = make_org("grona")
    stranger = make_user(other_org, "admin")
    doc = make_document(editor)
    from commsdesk.access import get_document

    with pytest.raises(NotFound):
        get_document(stranger, doc.id)
    items, total = documents.list_documents(stranger)
    assert total == 0 and items == []


def test_autosave_keeps_buffer_and_reports_stale(org, editor):
    doc = make_document(editor, body="Ett")
    base = doc.current_revision_id
    result = documents.store_autosave(editor, doc, {"title": "Rubrik", "body": "Osparat"}, base)
    assert result["stale"] is False
    assert documents.pending_autosave(editor, doc).content["body"] == "Osparat"
    other = make_user(org, "approver")
    documents.save_revision(other, doc, {"title": "Rubrik", "body": "Nyare"}, base)
    result = documents.store_autosave(editor, doc, {"title": "Rubrik", "body": "Osparat 2"}, base)
    assert result["stale"] is True
    assert revision_count(doc) == 2  # autosave never makes a revision
    with pytest.raises(Conflict):
        documents.save_revision(editor, doc, {"title": "Rubrik", "body": "Osparat 2"}, base)
    assert doc.current_revision.content["body"] == "Nyare"


def test_list_filters_and_search(org, editor):
    approver = make_user(org, "approver")
    a = documents.create_document(editor, "op_ed", {"title": "Bussar i Västerby",
                                                   "body": "kollektivtrafik"}, tags=["trafik"])
    documents.create_document(approver, "letter", {"title": "Badhuset", "body": "simskola"})
    assert documents.list_documents(editor, q="västerby")[1] == 1
    assert documents.list_documents(editor, q="KOLLEKTIVTRAFIK")[0] == [a]
    assert documents.list_documents(editor, kind="letter")[1] == 1
    assert documents.list_documents(editor, tag="trafik")[0] == [a]
    assert documents.list_documents(editor, owner=approver.id)[1] == 1
    assert documents.list_documents(editor, state="draft")[1] == 2
    assert documents.list_documents(editor, q="100%_")[1] == 0
    page2, total = documents.list_documents(editor, per_page=1, page=2)
    assert total == 2 and len(page2) == 1
