from conftest import make_document


def test_dashboard_and_editor_render(editor_client, editor):
    doc = make_document(editor, title="Förskolan")
    assert "Förskolan" in editor_client.get("/").get_data(as_text=True)
    page = editor_client.get(f"/documents/{doc.id}/edit")
    assert page.status_code == 200
