"""Preview links: created by the owning organisation's editors, opened without an account,
showing exactly one revision, taking guest comments, expiring and revocable."""
import re
from datetime import timedelta

import pytest
from conftest import login_as, make_document, make_org, make_user, share
from markup import HOSTILE, assert_inert
from sqlalchemy import select

from commsdesk import documents, previews
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Comment, Notification, PreviewLink, Revision, utcnow

URL_RE = re.compile(r'value="http://localhost(/p/[^"]+)"')


@pytest.fixture
def world(app):
    class World:
        mitten, gronska, annat = make_org("mitten"), make_org("gronska"), make_org("annat")
        editor = make_user(mitten, "editor")
        approver = make_user(mitten, "approver")
        contributor = make_user(mitten, "contributor")
        doc = make_document(editor, title="Första utkastet", body="Vi föreslår **fler** lärare.")
        # Shared before the partner joins, so the share's review request is nobody's notice.
        share(doc, gronska)
        partner = make_user(gronska, "editor")
        stranger = make_user(annat, "admin")
    return World


def _create(app, user, doc, **form):
    client = login_as(app, user)
    data = {"label": "Anna Andersson", "days": "7", "allow_comments": "1", **form}
    return client, client.form(f"/documents/{doc.id}/preview-links", data)


def _path(response):
    return URL_RE.search(response.get_data(as_text=True)).group(1)


def _new_revision(doc, body):
    documents.save_revision(doc.owner, doc, {"title": "Andra utkastet", "body": body},
                            doc.current_revision_id)


def test_editor_creates_a_link_shown_once(app, world):
    client, response = _create(app, world.editor, world.doc)
    assert response.status_code == 200
    path = _path(response)
    token = path.removeprefix("/p/")
    assert len(token) >= 40
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    link = db.session.execute(select(PreviewLink)).scalar_one()
    assert link.label == "Anna Andersson" and link.allow_comments
    assert link.revision_id == world.doc.current_revision_id
    assert timedelta(days=6, hours=23) < link.expires_at - utcnow() <= timedelta(days=7)
    # The document page lists the link but never shows its token again.
    page = client.get(f"/documents/{world.doc.id}").get_data(as_text=True)
    assert "Anna Andersson" in page and token not in page
    assert [e.action for e in _audit()] == ["preview_link.created"]


def test_token_is_never_stored_raw(app, world):
    _client, response = _create(app, world.editor, world.doc)
    token = _path(response).removeprefix("/p/")
    link = db.session.execute(select(PreviewLink)).scalar_one()
    assert link.token_hash == previews.hash_token(token) != token
    stored = " ".join(str(v) for v in db.session.execute(
        select(PreviewLink.__table__)).one()) + " ".join(
        f"{e.action} {e.data}" for e in _audit())
    assert token not in stored


def test_guest_reads_exactly_that_revision_without_login(app, world):
    _client, response = _create(app, world.editor, world.doc)
    path = _path(response)
    _new_revision(world.doc, "Hemlig ny text som gästen inte ska se.")

    guest = app.test_client()
    page = guest.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Första utkastet" in html and "<strong>fler</strong> lärare" in html
    assert "Hemlig ny text" not in html and "Andra utkastet" not in html
    assert "changed since this link was made" in html
    assert page.headers["X-Robots-Tag"].startswith("noindex")
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"


def test_guest_comment_is_stored_notified_and_audited(app, world):
    _client, response = _create(app, world.editor, world.doc, label="Kandidaten")
    path = _path(response)
    guest = app.test_client()
    guest.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = guest.form(path, {"name": "Anna Andersson", "body": "Citatet stämmer inte."})
    assert response.status_code == 302 and response.location.endswith(path)

    comment = db.session.execute(select(Comment)).scalar_one()
    link = db.session.execute(select(PreviewLink)).scalar_one()
    assert (comment.author_id, comment.guest_name, comment.body) == (
        None, "Anna Andersson", "Citatet stämmer inte.")
    assert comment.preview_link_id == link.id and comment.revision_id == link.revision_id
    assert comment.organisation_id == world.doc.organisation_id
    notified = {n.user_id: n for n in db.session.execute(select(Notification)).scalars()}
    assert set(notified) == {world.editor.id}  # the creator and owner; not partners
    assert notified[world.editor.id].event == "comment"
    assert notified[world.editor.id].data["guest_name"] == "Anna Andersson"
    entry = next(e for e in _audit() if e.action == "preview_link.guest_comment")
    assert entry.actor_id is None and entry.organisation_id == world.doc.organisation_id
    page = guest.get(path).get_data(as_text=True)
    assert "Thank you" in page and "Citatet stämmer inte." in page
    # The owners see it: in the inbox and on the document page.
    editor = login_as(app, world.editor)
    assert "Anna Andersson (guest) commented on" in editor.get("/inbox").get_data(as_text=True)
    assert "Citatet stämmer inte." in editor.get(f"/documents/{world.doc.id}").get_data(
        as_text=True)


def test_guest_comments_notify_the_owning_organisations_editors(app, world):
    colleague = make_user(world.mitten, "editor", email="kollega@mitten.example")
    _link, raw = previews.create_link(world.approver, world.doc, "Anna")
    previews.guest_comment(raw, "Anna", "Bra!")
    users = {n.user_id for n in db.session.execute(select(Notification)).scalars()}
    assert users == {world.approver.id, world.editor.id, colleague.id}


def test_guest_comment_needs_a_name_a_body_csrf_and_a_sane_length(app, world):
    _client, response = _create(app, world.editor, world.doc)
    path = _path(response)
    guest = app.test_client()
    guest.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert guest.post(path, data={"name": "A", "body": "B"}).status_code == 400  # no CSRF
    response = guest.form(path, {"name": "  ", "body": "Hej"})
    assert response.status_code == 422 and "is required" in response.get_data(as_text=True)
    assert guest.form(path, {"name": "Anna", "body": " "}).status_code == 422
    too_long = "x" * (previews.MAX_COMMENT + 1)
    response = guest.form(path, {"name": "Anna", "body": too_long})
    assert response.status_code == 422
    assert too_long in response.get_data(as_text=True)  # what was typed is kept
    assert guest.form(path, {"name": "Anna", "body": "x" * previews.MAX_COMMENT}
                      ).status_code == 302
    assert db.session.execute(select(Comment)).scalars().all()[0].body == "x" * 5000


def test_guest_comments_are_rate_limited(app, world):
    link, raw = previews.create_link(world.editor, world.doc, "Anna")
    for i in range(previews.RATE_MAX):
        previews.guest_comment(raw, "Anna", f"Kommentar {i}")
    guest = app.test_client()
    page = guest.get(f"/p/{raw}")
    assert page.status_code == 200
    response = guest.form(f"/p/{raw}", {"name": "Anna", "body": "En till"})
    assert response.status_code == 429
    assert len(previews.guest_comments(link)) == previews.RATE_MAX


def test_read_only_link_takes_no_comments(app, world):
    _client, response = _create(app, world.editor, world.doc, allow_comments="")
    path = _path(response)
    guest = app.test_client()
    page = guest.get(path).get_data(as_text=True)
    assert 'name="body"' not in page
    assert guest.form(path, {"name": "Anna", "body": "Hej"}).status_code == 403
    assert db.session.execute(select(Comment)).first() is None


def test_expired_revoked_and_unknown_links_are_a_friendly_404(app, world):
    link, raw = previews.create_link(world.editor, world.doc, "Anna")
    expired = PreviewLink(document_id=world.doc.id, revision_id=world.doc.current_revision_id,
                          organisation_id=world.doc.organisation_id,
                          token_hash=previews.hash_token("gammal-token"), label="Gammal",
                          created_by_id=world.editor.id,
                          expires_at=utcnow() - timedelta(minutes=1))
    db.session.add(expired)
    db.session.commit()
    guest = app.test_client()
    guest.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for path in ("/p/gammal-token", "/p/" + "x" * 43, "/p/" + "y" * 5000):
        response = guest.get(path)
        assert response.status_code == 404
        assert "This preview is not available" in response.get_data(as_text=True)
        assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert guest.form("/p/gammal-token", {"name": "A", "body": "B"}).status_code == 404

    assert guest.get(f"/p/{raw}").status_code == 200
    client = login_as(app, world.editor)
    response = client.form(f"/documents/{world.doc.id}/preview-links/{link.id}/revoke")
    assert response.status_code == 302
    assert guest.get(f"/p/{raw}").status_code == 404
    assert guest.form(f"/p/{raw}", {"name": "A", "body": "B"}).status_code == 404
    assert [e.action for e in _audit()][-1] == "preview_link.revoked"
    page = client.get(f"/documents/{world.doc.id}").get_data(as_text=True)
    assert "2 expired or revoked links" in page and "No active preview links." in page


def test_another_organisation_cannot_create_or_revoke(app, world):
    link, _raw = previews.create_link(world.editor, world.doc, "Anna")
    stranger = login_as(app, world.stranger)
    assert stranger.form(f"/documents/{world.doc.id}/preview-links",
                         {"label": "X", "days": "7"}).status_code == 404
    assert stranger.form(f"/documents/{world.doc.id}/preview-links/{link.id}/revoke"
                         ).status_code == 404
    partner = login_as(app, world.partner)  # sees the shared document, may not act
    assert partner.form(f"/documents/{world.doc.id}/preview-links",
                        {"label": "X", "days": "7"}).status_code == 403
    assert partner.form(f"/documents/{world.doc.id}/preview-links/{link.id}/revoke"
                        ).status_code == 403
    contributor = login_as(app, world.contributor)
    assert contributor.form(f"/documents/{world.doc.id}/preview-links",
                            {"label": "X", "days": "7"}).status_code == 403
    page = partner.get(f"/documents/{world.doc.id}").get_data(as_text=True)
    assert "Preview links" not in page and "Anna" not in page
    assert db.session.execute(select(PreviewLink)).scalar_one().revoked_at is None


def test_a_link_of_another_document_is_not_found(app, world):
    other = make_document(world.editor, title="Annat")
    link, _raw = previews.create_link(world.editor, other, "Anna")
    client = login_as(app, world.editor)
    assert client.form(f"/documents/{world.doc.id}/preview-links/{link.id}/revoke"
                       ).status_code == 404


@pytest.mark.parametrize("days", ["0", "31", "sju", "-1"])
def test_expiry_must_be_1_to_30_days(app, world, days):
    client = login_as(app, world.editor)
    url = f"/documents/{world.doc.id}/preview-links"
    response = client.form(url, {"label": "Anna", "days": days},
                           headers={"Referer": f"http://localhost/documents/{world.doc.id}"})
    assert response.status_code == 302  # back to the page with the message
    assert "between 1 and 30 days" in client.get(response.location).get_data(as_text=True)
    assert db.session.execute(select(PreviewLink)).first() is None


def test_hostile_text_is_inert_on_the_preview_page(app, world):
    doc = make_document(world.editor, title=HOSTILE[:290], body=HOSTILE)
    _link, raw = previews.create_link(world.editor, doc, "Anna")
    previews.guest_comment(raw, HOSTILE[:150], HOSTILE)
    page = app.test_client().get(f"/p/{raw}").get_data(as_text=True)
    main = page[page.index("<main"):]
    assert_inert(main, {"main", "div", "p", "strong", "span", "article", "h1", "h2", "a",
                        "section", "ul", "li", "time", "form", "input", "label", "textarea",
                        "button"})
    assert "&lt;script&gt;" in main


def test_revision_rows_are_untouched_by_previews(app, world):
    before = db.session.execute(select(Revision.id, Revision.content_hash)).all()
    _link, raw = previews.create_link(world.editor, world.doc, "Anna")
    previews.guest_comment(raw, "Anna", "Hej")
    assert db.session.execute(select(Revision.id, Revision.content_hash)).all() == before


def _audit():
    return db.session.execute(select(AuditEntry).where(AuditEntry.action.like("preview_link.%"))
                              .order_by(AuditEntry.id)).scalars().all()
