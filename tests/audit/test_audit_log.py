"""The audit log: per document and per organisation, filtered, paginated, exported as CSV
without spreadsheet formulas, within the organisation's own entries, and append only."""
import csv
import inspect
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import login_as, make_document, make_org, make_user, share
from sqlalchemy import delete, select, update

from commsdesk import audit, people, previews
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Revision

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def world(app):
    class World:
        mitten, gronska = make_org("mitten"), make_org("gronska")
        admin = make_user(mitten, "admin")
        editor = make_user(mitten, "editor")
        approver = make_user(mitten, "approver")
        contributor = make_user(mitten, "contributor")
        partner_admin = make_user(gronska, "admin")
        partner_editor = make_user(gronska, "editor")
        doc = make_document(editor, title="Loggat")
        other = make_document(editor, title="Annat")
    share(World.doc, World.gronska)
    previews.create_link(World.editor, World.doc, "Anna")
    previews.create_link(World.editor, World.other, "Bertil")
    return World


def _rows(page):
    body = page.get_data(as_text=True)
    return body.count("<tr>") - 1 if "<tbody>" in body else 0  # minus the header row


def _csv(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_document_log_shows_the_document_and_its_parts_only(app, world):
    client = login_as(app, world.editor)
    page = client.get(f"/documents/{world.doc.id}/audit")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "document.created" in body and "preview_link.created" in body
    assert "Anna" in body and "Bertil" not in body  # the other document's link
    rows = _csv(client.get(f"/documents/{world.doc.id}/audit.csv"))
    # The export itself is logged before it is read, so it lists itself.
    assert {r["action"] for r in rows} == {"document.created", "document.shared",
                                           "preview_link.created", "audit.exported"}
    assert f"/documents/{world.doc.id}/audit" in client.get(
        f"/documents/{world.doc.id}").get_data(as_text=True)


def test_document_log_is_for_the_owning_organisations_editors(app, world):
    for user in (world.admin, world.approver):
        assert login_as(app, user).get(f"/documents/{world.doc.id}/audit").status_code == 200
    assert login_as(app, world.contributor).get(
        f"/documents/{world.doc.id}/audit").status_code == 403
    for user in (world.partner_editor, world.partner_admin):  # the document is shared
        client = login_as(app, user)
        assert client.get(f"/documents/{world.doc.id}/audit").status_code == 404
        assert client.get(f"/documents/{world.doc.id}/audit.csv").status_code == 404
        page = client.get(f"/documents/{world.doc.id}").get_data(as_text=True)
        assert f"/documents/{world.doc.id}/audit" not in page
    assert login_as(app, world.partner_admin).get(
        f"/documents/{world.other.id}/audit").status_code == 404


def test_global_log_is_the_admins_own_organisation(app, world):
    client = login_as(app, world.admin)
    body = client.get("/audit").get_data(as_text=True)
    assert "preview_link.created" in body and "user.created" in body
    rows = _csv(client.get("/audit.csv"))
    mine = db.session.execute(select(AuditEntry.id).where(
        AuditEntry.organisation_id == world.mitten.id)).scalars().all()
    assert {int(r["id"]) for r in rows} == set(mine)

    partner = login_as(app, world.partner_admin)
    rows = _csv(partner.get("/audit.csv"))
    theirs = {e.id for e in db.session.execute(select(AuditEntry)).scalars()
              if e.organisation_id == world.gronska.id}
    assert rows and {int(r["id"]) for r in rows} <= theirs  # none of Mitten's entries
    body = partner.get("/audit").get_data(as_text=True)
    assert "preview_link.created" not in body and "Loggat" not in body

    for user in (world.editor, world.approver, world.contributor):
        assert login_as(app, user).get("/audit").status_code == 403
        assert login_as(app, user).get("/audit.csv").status_code == 403


def test_superusers_see_every_organisation(app, world):
    root = make_user(make_org("drift"), "admin", email="root@drift.example", superuser=True)
    rows = _csv(login_as(app, root).get("/audit.csv"))
    assert {world.mitten.name, world.gronska.name} <= {r["organisation"] for r in rows}
    assert "<th scope=\"col\">Organisation</th>" in login_as(app, root).get(
        "/audit").get_data(as_text=True)


def test_filters_by_action_and_date(app, world):
    client = login_as(app, world.admin)
    today = datetime.now(STOCKHOLM).date()
    only = client.get("/audit?action=preview_link.created")
    assert _rows(only) == 2
    assert _rows(client.get("/audit?action=preview_link.")) == 2  # a prefix
    assert _rows(client.get(f"/audit?from={today}&to={today}")) > 2
    assert _rows(client.get(f"/audit?from={today + timedelta(days=1)}")) == 0
    assert _rows(client.get(f"/audit?to={today - timedelta(days=1)}")) == 0
    rows = _csv(client.get(f"/audit.csv?action=preview_link.created&from={today}"))
    assert [r["action"] for r in rows] == ["preview_link.created"] * 2
    assert client.get("/audit?from=igår").status_code == 422


def test_pagination(app, world):
    for i in range(audit.PER_PAGE + 5):
        audit.record(world.admin, "test.filler", organisation_id=world.mitten.id, n=i)
    db.session.commit()
    client = login_as(app, world.admin)
    first = client.get("/audit?action=test.filler")
    assert _rows(first) == audit.PER_PAGE
    assert "page=2" in first.get_data(as_text=True)
    assert _rows(client.get("/audit?action=test.filler&page=2")) == 5


def test_csv_export_guards_against_formulas_and_is_itself_audited(app, world):
    sly = people.create_user("sly@mitten.example", "=HYPERLINK(\"http://evil\")", "editor",
                             world.mitten, password="correct horse battery")
    make_document(sly, title="Titel")
    for action in ("+cmd", "-2+3", "@SUM(A1)", "\tTAB"):
        audit.record(sly, action, organisation_id=world.mitten.id, note="=1+1")
    db.session.commit()

    client = login_as(app, world.admin)
    rows = _csv(client.get("/audit.csv"))
    by_action = {r["action"]: r for r in rows}
    assert {"'+cmd", "'-2+3", "'@SUM(A1)", "'\tTAB"} <= set(by_action)
    created = next(r for r in rows if r["action"] == "document.created" and r["actor_id"] == str(
        sly.id))
    assert created["actor"] == "'=HYPERLINK(\"http://evil\")"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert audit.csv_cell("=1") == "'=1" and audit.csv_cell("ok") == "ok"
    assert audit.csv_cell(5) == 5 and audit.csv_cell(None) == ""

    exported = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "audit.exported")).scalars().all()
    assert [(e.actor_id, e.organisation_id, e.data["scope"]) for e in exported] == [
        (world.admin.id, world.mitten.id, "global")]
    login_as(app, world.editor).get(f"/documents/{world.doc.id}/audit.csv?action=x")
    last = db.session.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
    assert (last.action, last.object_type, last.object_id, last.data["scope"],
            last.data["action_filter"]) == ("audit.exported", "document", world.doc.id,
                                            "document", "x")


def test_hostile_audit_data_is_text(app, world):
    audit.record(world.admin, "test.hostile", organisation_id=world.mitten.id,
                 note="<script>alert(1)</script>")
    db.session.commit()
    body = login_as(app, world.admin).get("/audit").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body


# --- append only ------------------------------------------------------------------------

def test_revisions_cannot_be_changed_or_deleted(app, world):
    revision = db.session.execute(select(Revision)).scalars().first()
    original = revision.content_hash
    revision.content_hash = "0" * 64
    with pytest.raises(audit.AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(Revision, revision.id))
    with pytest.raises(audit.AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(audit.AppendOnlyError):
        db.session.execute(update(Revision).values(content_hash="0" * 64))
    db.session.rollback()
    with pytest.raises(audit.AppendOnlyError):
        db.session.execute(delete(Revision).where(Revision.id == revision.id))
    db.session.rollback()
    assert db.session.get(Revision, revision.id).content_hash == original


def test_entries_cannot_be_changed_or_deleted_through_the_orm(app, world):
    entry = db.session.execute(select(AuditEntry)).scalars().first()
    entry.action = "forged"
    with pytest.raises(audit.AppendOnlyError):
        db.session.commit()
    db.session.rollback()

    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(audit.AppendOnlyError):
        db.session.commit()
    db.session.rollback()

    with pytest.raises(audit.AppendOnlyError):
        db.session.execute(update(AuditEntry).values(action="forged"))
    db.session.rollback()
    with pytest.raises(audit.AppendOnlyError):
        db.session.execute(delete(AuditEntry).where(AuditEntry.id == entry.id))
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).action != "forged"


def test_the_domain_offers_no_path_to_change_entries(app):
    # The module only adds (record) and reads; nothing in it updates or deletes.
    public = {name for name, obj in inspect.getmembers(audit, inspect.isfunction)
              if obj.__module__ == audit.__name__ and not name.startswith("_")}
    assert "record" in public
    assert not {name for name in public if name.startswith(("update", "delete", "change",
                                                            "edit", "remove"))}
    # No route changes them: the audit pages and exports only read.
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule and not rule.rule.startswith("/admin"):
            assert rule.methods - {"GET", "HEAD", "OPTIONS"} == set(), rule.rule
    # The administration's audit view is read only.
    views = [v for admin in app.extensions["admin"] for v in admin._views]
    audit_views = [v for v in views if getattr(v, "model", None) is AuditEntry]
    assert audit_views, "the admin has an audit view"
    for view in audit_views:
        assert not (view.can_create or view.can_edit or view.can_delete)


def test_actions_are_shown_in_words_and_filtered_by_their_label(app, world):
    client = login_as(app, world.editor)
    body = client.get(f"/documents/{world.doc.id}/audit").get_data(as_text=True)
    assert "Preview link created" in body and "Shared with a partner" in body
    assert "<code>preview_link.created</code>" not in body
    # The filter offers the actions in words and still filters by their code.
    assert '<option value="preview_link.created" >Preview link created</option>' in body
    filtered = client.get(f"/documents/{world.doc.id}/audit?action=preview_link.created")
    assert _rows(filtered) == 1


def test_csv_keeps_the_action_code_beside_its_label(app, world):
    rows = _csv(login_as(app, world.editor).get(f"/documents/{world.doc.id}/audit.csv"))
    created = next(r for r in rows if r["action"] == "document.created")
    assert created["action_label"] == "Document created"
    assert list(rows[0])[5:7] == ["action", "action_label"]


def test_a_code_without_a_label_is_shown_as_the_code(app, world):
    assert audit.action_label("something.new") == "something.new"
    assert audit.action_label("admin.user.updated") == "Changed in the admin: user"
    assert audit.action_label("admin.user.exploded") == "admin.user.exploded"


def test_every_action_the_application_writes_has_a_label():
    import pathlib
    import re

    from commsdesk.workflow.transitions import TRANSITIONS
    source = pathlib.Path(audit.__file__).parent
    written = set()
    for path in source.rglob("*.py"):
        written |= set(re.findall(r'record\([^,()]+, "([a-z_.]+)"', path.read_text()))
    written |= {f"workflow.{action}" for action in TRANSITIONS}
    assert written and written <= set(audit.ACTION_LABELS), written - set(audit.ACTION_LABELS)


def test_dates_beyond_the_calendar_are_refused_not_a_crash(app, world):
    client = login_as(app, world.admin)
    for query in ("from=0001-01-01", "to=9999-12-31", "from=9999-12-31", "to=0001-01-01"):
        assert client.get(f"/audit?{query}").status_code == 422, query
        assert client.get(f"/audit.csv?{query}").status_code == 422, query
