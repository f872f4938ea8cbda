"""A preview link stops working (reading and commenting) once its document is archived."""
from conftest import make_document, make_org, make_user
from sqlalchemy import func, select

from commsdesk import previews, workflow
from commsdesk.extensions import db
from commsdesk.models import Comment


def test_an_archived_documents_link_is_unavailable_for_reading_and_comments(app):
    editor = make_user(make_org("mitten"), "editor")
    doc = make_document(editor, title="Gammalt utspel")
    _link, raw = previews.create_link(editor, doc, "Anna")
    guest = app.test_client()
    guest.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert guest.get(f"/p/{raw}").status_code == 200

    workflow.archive(editor, doc)
    response = guest.get(f"/p/{raw}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "This preview is not available" in page and "Gammalt utspel" not in page
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    response = guest.form(f"/p/{raw}", {"name": "Anna", "body": "Hej"})
    assert response.status_code == 404
    assert db.session.execute(select(func.count(Comment.id))).scalar_one() == 0

    workflow.reopen(editor, doc)  # back in circulation: the unexpired link works again
    assert guest.get(f"/p/{raw}").status_code == 200
