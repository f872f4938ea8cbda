"""The discussion in the browser: comment, reply, resolve; suggest, accept, reject."""
import re

from conftest import login_as
from sqlalchemy import func, select

from commsdesk import discussion, documents
from commsdesk.extensions import db
from commsdesk.models import Comment, Revision, Suggestion


def text(response):
    return response.get_data(as_text=True)


def revision_count(doc):
    return db.session.scalar(select(func.count()).where(Revision.document_id == doc.id))


def form_content(doc, **changes):
    content = doc.current_revision.content
    data = {"title": content["title"], "lead": content["lead"], "body": content["body"],
            "fields-contact": content["fields"]["contact"], "fields-embargo": "",
            "base_revision_id": doc.current_revision_id}
    data.update(changes)
    return data


def test_partner_comments_with_a_quote_and_is_shown_on_the_page(app, world):
    w = world
    browser = login_as(app, w.partner)
    response = browser.form(f"/documents/{w.doc.id}/comments",
                            {"body": "Källa, @eva.sjoberg?", "quote": "2 miljarder"})
    comment = db.session.execute(select(Comment)).scalar_one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/documents/{w.doc.id}#comment-{comment.id}")
    page = text(browser.get(f"/documents/{w.doc.id}"))
    assert f'id="comment-{comment.id}"' in page and "Källa, @eva.sjoberg?" in page
    assert '<blockquote class="quote">2 miljarder</blockquote>' in page
    assert "Mentioned: eva.sjoberg." in page  # the flash
    assert "/assets/js/discussion.js" in page


def test_a_refused_comment_keeps_what_was_written(app, world):
    w = world
    browser = login_as(app, w.partner)
    response = browser.form(f"/documents/{w.doc.id}/comments",
                            {"body": "Mitt långa resonemang", "quote": "finns inte"})
    assert response.status_code == 422
    page = text(response)
    assert "does not occur in the current text" in page
    assert ">Mitt långa resonemang</textarea>" in page and ">finns inte</textarea>" in page
    assert db.session.execute(select(Comment)).first() is None


def test_reply_resolve_and_reopen_through_the_page(app, world):
    w = world
    root = discussion.add_comment(w.partner, w.doc, "Fråga")
    owner = login_as(app, w.editor)
    owner.form(f"/documents/{w.doc.id}/comments", {"body": "Svar", "parent_id": root.id})
    reply = db.session.execute(select(Comment).where(Comment.parent_id == root.id)).scalar_one()
    assert reply.body == "Svar"
    page = text(owner.get(f"/documents/{w.doc.id}"))
    assert f'action="/documents/{w.doc.id}/comments/{root.id}/resolve"' in page
    owner.form(f"/documents/{w.doc.id}/comments/{root.id}/resolve")
    assert db.session.get(Comment, root.id).resolved_at is not None
    page = text(owner.get(f"/documents/{w.doc.id}"))
    assert "1 resolved thread" in page and "Thread resolved." in page
    # A second resolve is a clear message, not an error page.
    response = owner.form(f"/documents/{w.doc.id}/comments/{root.id}/resolve",
                          follow_redirects=True)
    assert response.status_code == 200 and "resolved already" in text(response)
    owner.form(f"/documents/{w.doc.id}/comments/{root.id}/reopen")
    assert db.session.get(Comment, root.id).resolved_at is None


def test_a_partner_sees_no_resolve_button_on_others_threads(app, world):
    w = world
    discussion.add_comment(w.editor, w.doc, "Ägarens fråga")
    browser = login_as(app, w.partner_b)
    page = text(browser.get(f"/documents/{w.doc.id}"))
    assert "/resolve" not in page
    response = browser.form(f"/documents/{w.doc.id}/comments/1/resolve")
    assert response.status_code == 403


def test_partner_suggests_through_the_prefilled_form_and_owner_accepts(app, world):
    w = world
    partner = login_as(app, w.partner)
    page = text(partner.get(f"/documents/{w.doc.id}"))
    assert f'href="/documents/{w.doc.id}/suggest"' in page
    assert "You cannot edit this document directly" in page
    form = text(partner.get(f"/documents/{w.doc.id}/suggest"))
    assert 'value="Skolan först"' in form and "Det kostar 2 miljarder.</textarea>" in form
    assert f'name="base_revision_id" value="{w.doc.current_revision_id}"' in form
    response = partner.form(f"/documents/{w.doc.id}/suggest", form_content(
        w.doc, body="Alla barn ska ha en behörig lärare.", note="Kortare"))
    item = db.session.execute(select(Suggestion)).scalar_one()
    assert response.headers["Location"].endswith(f"/documents/{w.doc.id}/suggestions/{item.id}")
    page = text(partner.get(f"/documents/{w.doc.id}/suggestions/{item.id}"))
    assert "<del>" in page and "/accept" not in page and "Kortare" in page
    assert text(partner.get(f"/documents/{w.doc.id}")).count("Suggestion by per") == 1
    assert partner.form(f"/documents/{w.doc.id}/suggestions/{item.id}/accept").status_code == 403

    owner = login_as(app, w.editor)
    page = text(owner.get(f"/documents/{w.doc.id}/suggestions/{item.id}"))
    assert "Accept as revision 2" in page and "/reject" in page
    response = owner.form(f"/documents/{w.doc.id}/suggestions/{item.id}/accept")
    assert response.status_code == 302
    db.session.expire_all()
    assert w.doc.current_revision.number == 2
    assert w.doc.current_revision.content["body"] == "Alla barn ska ha en behörig lärare."
    page = text(owner.get(response.headers["Location"]))
    assert "Suggestion accepted: it is now revision 2." in page
    assert f"/documents/{w.doc.id}/revisions/{w.doc.current_revision_id}" in page


def test_owner_rejects_with_a_reason_the_partner_reads(app, world):
    w = world
    item = discussion.create_suggestion(w.partner, w.doc, {**w.doc.current_revision.content,
                                                       "title": "Annan"},
                                    w.doc.current_revision_id)
    login_as(app, w.editor).form(f"/documents/{w.doc.id}/suggestions/{item.id}/reject",
                         {"reason": "Rubriken är beslutad."})
    page = text(login_as(app, w.partner).get(f"/documents/{w.doc.id}/suggestions/{item.id}"))
    assert "Rejected" in page and "Rubriken är beslutad." in page
    assert revision_count(w.doc) == 1


def test_a_stale_suggestion_cannot_be_accepted_and_the_page_says_why(app, world):
    w = world
    item = discussion.create_suggestion(w.partner, w.doc, {**w.doc.current_revision.content,
                                                       "lead": "Partnerns"},
                                    w.doc.current_revision_id)
    documents.save_revision(w.editor, w.doc, {**w.doc.current_revision.content,
                                              "body": "Ägarens nya text."},
                            w.doc.current_revision_id)
    owner = login_as(app, w.editor)
    page = text(owner.get(f"/documents/{w.doc.id}/suggestions/{item.id}"))
    assert "cannot be accepted as it is" in page and "Accept as" not in page
    assert "Compared with the current text (revision 2)" in page
    assert re.search(r"<del>[^<]*Ägarens", page)  # accepting would undo the owner's text
    response = owner.form(f"/documents/{w.doc.id}/suggestions/{item.id}/accept")
    assert response.status_code == 409 and "nothing was changed" in text(response)
    assert revision_count(w.doc) == 2
    assert db.session.get(Suggestion, item.id).status == "open"
    assert "outdated" in text(owner.get(f"/documents/{w.doc.id}"))


def test_suggesting_on_an_old_revision_keeps_the_text_and_shows_what_changed(app, world):
    w = world
    partner = login_as(app, w.partner)
    data = form_content(w.doc, title="Partnerns rubrik")
    documents.save_revision(w.editor, w.doc, {**w.doc.current_revision.content,
                                              "body": "Ändrat under tiden."},
                            w.doc.current_revision_id)
    response = partner.form(f"/documents/{w.doc.id}/suggest", data)
    page = text(response)
    assert response.status_code == 409 and 'value="Partnerns rubrik"' in page
    assert "What changed in the document since you started" in page
    assert re.search(r"<ins>[^<]*Ändrat", page)
    assert re.search(rf'name="base_revision_id" value="{w.doc.current_revision_id}"', page)
    assert db.session.execute(select(Suggestion)).first() is None


def test_an_invalid_suggestion_keeps_the_text(app, world):
    w = world
    response = login_as(app, w.partner).form(f"/documents/{w.doc.id}/suggest",
                                     form_content(w.doc, title="", body="Min nya text"))
    assert response.status_code == 422
    assert 'class="flash error" role="alert"' in text(response)
    assert "Min nya text</textarea>" in text(response)


def test_the_list_of_all_suggestions(app, world):
    w = world
    base = w.doc.current_revision_id
    first = discussion.create_suggestion(w.partner, w.doc, {"title": "Ett"}, base)
    discussion.create_suggestion(w.partner_b, w.doc, {"title": "Två"}, base)
    discussion.reject_suggestion(w.editor, w.doc, first.id)
    page = text(login_as(app, w.contributor).get(f"/documents/{w.doc.id}/suggestions"))
    assert page.count("Suggestion by") == 2 and "rejected" in page
    doc_page = text(login_as(app, w.contributor).get(f"/documents/{w.doc.id}"))
    assert doc_page.count("Suggestion by") == 1  # only open ones on the document page


def test_times_in_the_form_stay_in_local_time(app, world):
    w = world
    browser = login_as(app, w.partner)
    data = form_content(w.doc, title="", **{"fields-embargo": "2030-05-01T08:00"})
    refused = text(browser.form(f"/documents/{w.doc.id}/suggest", data))
    assert 'name="fields-embargo" value="2030-05-01T08:00"' in refused
    browser.form(f"/documents/{w.doc.id}/suggest", dict(data, title="Rubrik"))
    item = db.session.execute(select(Suggestion)).scalar_one()
    assert item.content["fields"]["embargo"] == "2030-05-01T06:00:00+00:00"  # Stockholm, summer
    documents.save_revision(w.editor, w.doc, item.content, w.doc.current_revision_id)
    form = text(browser.get(f"/documents/{w.doc.id}/suggest"))
    assert 'name="fields-embargo" value="2030-05-01T08:00"' in form
