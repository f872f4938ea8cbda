"""The role vocabulary and the one lookup by id: malformed, out-of-range and invisible ids are
all NotFound (never a 500, never a hint that the row exists)."""
import pytest
from conftest import make_document, make_org, make_user

from commsdesk import access, coalition, discussion, documents, notifications, previews
from commsdesk.access import get_or_404, parse_id
from commsdesk.errors import NotFound
from commsdesk.models import ROLES, Document

BAD_IDS = [None, "", "abc", "²", "1.5", "-1", "0", 0, -1, 1.5, True, "1e3", "0x1",
           10**30, str(10**30), access.MAX_ID + 1, [1], {"id": 1}]


def test_staff_and_contributors_are_every_role():
    assert access.STAFF | {access.CONTRIBUTOR} == set(ROLES)
    assert access.CONTRIBUTOR not in access.STAFF
    assert all(roles <= access.STAFF for roles in access.APPROVERS.values())


@pytest.mark.parametrize("value, expected", [
    (7, 7), ("7", 7), (" 42 ", 42), (access.MAX_ID, access.MAX_ID),
    (str(access.MAX_ID), access.MAX_ID), *((bad, None) for bad in BAD_IDS)])
def test_parse_id(value, expected):
    assert parse_id(value) == expected


@pytest.fixture
def world(app):
    org, other = make_org("mitten"), make_org("grona")
    editor, stranger = make_user(org, "editor"), make_user(other, "editor")
    doc = make_document(editor)
    return editor, stranger, doc


@pytest.mark.parametrize("bad", BAD_IDS)
def test_every_lookup_refuses_a_malformed_id_as_not_found(world, bad):
    editor, _stranger, doc = world
    lookups = [
        lambda: access.get_document(editor, bad),
        lambda: documents.get_revision(doc, bad),
        lambda: discussion.get_comment(doc, bad),
        lambda: discussion.get_suggestion(editor, doc, bad),
        lambda: previews.get_link(editor, doc, bad),
        lambda: notifications.get_notification(editor, bad),
        lambda: coalition.get_signatory(editor, doc, bad),
    ]
    for lookup in lookups:
        with pytest.raises(NotFound):
            lookup()


def test_invisible_and_missing_rows_answer_the_same(world):
    editor, stranger, doc = world
    with pytest.raises(NotFound) as invisible:
        access.get_document(stranger, doc.id)
    with pytest.raises(NotFound) as missing:
        access.get_document(stranger, doc.id + 1000)
    assert invisible.value.message == missing.value.message
    assert access.get_document(editor, str(doc.id)) is doc


def test_get_or_404_applies_every_condition(world):
    _editor, _stranger, doc = world
    assert get_or_404(Document, doc.id, Document.kind == doc.kind, message="x") is doc
    with pytest.raises(NotFound, match="gone"):
        get_or_404(Document, doc.id, Document.kind == "letter", message="gone")


@pytest.mark.parametrize("path", ["/documents/99999999999999999999999",
                                  "/documents/{id}/revisions/99999999999999999999999"])
def test_huge_ids_in_urls_are_404(client, world, path):
    editor, _stranger, doc = world
    client.login(editor.email)
    assert client.get(path.format(id=doc.id)).status_code == 404
