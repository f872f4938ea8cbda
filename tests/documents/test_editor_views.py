"""The editor pages: save, conflicts, preview, autosave, history, diff, restore, list."""
import re

from conftest import login_as, make_document, make_org, make_user, share

from commsdesk import documents, workflow
from commsdesk.extensions import db
from commsdesk.models import Document


def editor_form(doc, **changes):
    content = doc.current_revision.content
    data = {"base_revision_id": doc.current_revision_id, "title": content["title"],
            "lead": content["lead"], "body": content["body"], "tags": "", "deadline": ""}
    for name, value in content.get("fields", {}).items():
        data[f"fields-{name}"] = value
    data.update(changes)
    return data


def test_create_then_save_two_revisions(editor_client, editor):
    response = editor_client.form("/documents/new", {"kind": "op_ed", "title": "Bussarna"})
    assert response.status_code == 302
    doc = db.session.query(Document).one()
    assert response.headers["Location"] == f"/documents/{doc.id}/edit"
    response = editor_client.form(f"/documents/{doc.id}/edit", editor_form(
        doc, body="Bussen går varannan timme.", tags="trafik, landsbygd",
        deadline="2026-12-24T15:00"))
    assert response.status_code == 302
    db.session.refresh(doc)
    assert doc.current_revision.number == 2
    assert [t.name for t in doc.tags] == ["landsbygd", "trafik"]
    assert doc.deadline.isoformat() == "2026-12-24T14:00:00+00:00"
    page = editor_client.get(f"/documents/{doc.id}/history").get_data(as_text=True)
    assert page.count('class="revision-row"') == 2


def test_stale_form_save_shows_conflict_and_keeps_both(editor_client, org, editor):
    doc = make_document(editor, body="Ursprunglig text")
    stale_form = editor_form(doc, body="Min ändring")
    other = make_user(org, "approver")
    documents.save_revision(other, doc, {"title": "Rubrik", "body": "Deras ändring"},
                            doc.current_revision_id)
    response = editor_client.form(f"/documents/{doc.id}/edit", stale_form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Min ändring" in page and "Deras ändring" in page and "<ins>" in page
    db.session.refresh(doc)
    assert doc.current_revision.content["body"] == "Deras ändring"
    assert doc.current_revision.number == 2


def test_metadata_only_save_keeps_revision(editor_client, editor):
    doc = make_document(editor)
    editor_client.form(f"/documents/{doc.id}/edit", editor_form(doc, tags="budget"))
    db.session.refresh(doc)
    assert doc.current_revision.number == 1 and [t.name for t in doc.tags] == ["budget"]


def test_preview_renders_and_counts(editor_client, editor):
    doc = make_document(editor, kind="letter")
    result = editor_client.json_post(f"/documents/{doc.id}/preview", {
        "lead": "", "body": "## Rubrik\n\n" + "ord " * 600}).get_json()
    assert "<h2>Rubrik</h2>" in result["html"]
    assert result["stats"]["words"] == 601 and result["limit"] == 2000
    assert result["warnings"][0]["limit"] == 2000
    linked = editor_client.json_post(f"/documents/{doc.id}/preview", {
        "lead": "", "body": "Se [kartan](https://example.org/karta) ![bild](https://example.org/b.png)"
    }).get_json()
    assert linked["stats"] == {"words": 2, "characters": len("Se kartan"), "reading_minutes": 1}
    token = editor_client.csrf_token()
    response = editor_client.post(f"/documents/{doc.id}/preview", data="x",
                                  headers={"X-CSRFToken": token})
    assert response.status_code == 400


def test_preview_without_csrf_is_refused(editor_client, editor):
    doc = make_document(editor)
    assert editor_client.post(f"/documents/{doc.id}/preview", json={"body": "x"}).status_code == 400


def test_autosave_is_recovered_in_the_editor_and_discardable(editor_client, editor):
    doc = make_document(editor, body="Sparad")
    result = editor_client.json_post(f"/documents/{doc.id}/autosave", {
        "title": "Rubrik", "body": "Osparad text", "base_revision_id": doc.current_revision_id})
    assert result.get_json()["stale"] is False
    page = editor_client.get(f"/documents/{doc.id}/edit").get_data(as_text=True)
    assert 'id="recovered"' in page and "Osparad text" in page
    editor_client.form(f"/documents/{doc.id}/autosave/discard")
    page = editor_client.get(f"/documents/{doc.id}/edit").get_data(as_text=True)
    assert 'id="recovered"' not in page and "Osparad text" not in page


def test_diff_and_restore(editor_client, editor):
    doc = make_document(editor, body="Bussen går sällan.")
    first = doc.current_revision
    documents.save_revision(editor, doc, {"title": "Rubrik", "body": "Bussen går ofta."},
                            first.id)
    second = doc.current_revision
    page = editor_client.get(f"/documents/{doc.id}/diff?a={first.id}&b={second.id}")
    html = page.get_data(as_text=True)
    assert "<del>sällan</del>" in html and "<ins>ofta</ins>" in html
    response = editor_client.form(f"/documents/{doc.id}/revisions/{first.id}/restore")
    assert response.status_code == 302
    db.session.refresh(doc)
    assert doc.current_revision.number == 3
    assert doc.current_revision.content["body"] == "Bussen går sällan."


def test_contributor_cannot_edit_others_documents(client, org, editor):
    contributor = make_user(org, "contributor")
    doc = make_document(editor)
    login_as(client, contributor)
    assert client.get(f"/documents/{doc.id}").status_code == 200
    assert client.get(f"/documents/{doc.id}/edit").status_code == 302
    response = client.form(f"/documents/{doc.id}/edit", editor_form(doc, body="Kapat"))
    assert response.status_code == 302
    db.session.refresh(doc)
    assert doc.current_revision.number == 1
    assert client.json_post(f"/documents/{doc.id}/autosave", {
        "title": "x", "base_revision_id": doc.current_revision_id}).status_code == 403


def test_other_organisation_gets_404_everywhere(client, editor):
    doc = make_document(editor, title="Hemligt förslag")
    rev = doc.current_revision_id
    stranger = make_user(make_org("grona"), "admin")
    login_as(client, stranger)
    for url in (f"/documents/{doc.id}", f"/documents/{doc.id}/edit",
                f"/documents/{doc.id}/history", f"/documents/{doc.id}/revisions/{rev}",
                f"/documents/{doc.id}/diff"):
        assert client.get(url).status_code == 404, url
    for url in (f"/documents/{doc.id}/preview", f"/documents/{doc.id}/autosave"):
        assert client.json_post(url, {"title": "x", "base_revision_id": rev}).status_code == 404
    assert client.form(f"/documents/{doc.id}/revisions/{rev}/restore").status_code == 404
    assert "Hemligt" not in client.get("/documents?q=hemligt").get_data(as_text=True)
    assert "Hemligt" not in client.get("/").get_data(as_text=True)


def test_list_filters_and_pagination(editor_client, editor):
    for i in range(30):
        make_document(editor, kind="letter" if i % 2 else "op_ed", title=f"Skrivelse {i:02d}")
    page = editor_client.get("/documents?kind=letter").get_data(as_text=True)
    assert page.count("Skrivelse") == 15
    page2 = editor_client.get("/documents?page=2").get_data(as_text=True)
    assert page2.count("<tr>") - 1 == 5  # 30 documents, 25 a page
    assert 'rel="prev"' in page2
    assert editor_client.get("/documents?page=abc").status_code == 200


def test_unknown_document_and_revision_are_404(editor_client, editor):
    doc = make_document(editor)
    assert editor_client.get("/documents/99999").status_code == 404
    assert editor_client.get(f"/documents/{doc.id}/revisions/99999").status_code == 404
    assert editor_client.get(f"/documents/{doc.id}/diff?a=nope").status_code == 404


def test_final_actions_ask_for_confirmation(editor_client, org, editor):
    doc = make_document(editor)
    gronska = make_org("gronska")
    share(doc, gronska)

    def form_tag(page, action_end):
        return re.search(rf'<form[^>]*{action_end}"[^>]*>', page).group(0)

    page = editor_client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert 'data-confirm="' in form_tag(page, "/actions/archive")
    assert 'data-confirm="' in form_tag(page, "/shares/gronska/delete")
    assert 'data-confirm="' not in form_tag(page, "/actions/submit")
    workflow.submit(editor, doc)
    workflow.approve(make_user(org, "approver"), doc)
    workflow.approve(make_user(gronska, "approver"), doc)
    db.session.commit()
    page = editor_client.get(f"/documents/{doc.id}").get_data(as_text=True)
    # Publish now is a button of the publishing form (beside Schedule): it asks itself.
    publish = re.search(r'<button[^>]*data-action="publish"[^>]*>', page).group(0)
    assert 'data-confirm="' in publish and 'formaction="' in publish
