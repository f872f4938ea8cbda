"""Hostile text from a partner in a comment, quote or suggestion never becomes live markup:
not on the document page, the suggestion pages, the diff, the forms or in the API's HTML."""
from conftest import api_as, login_as
from markup import HOSTILE_MARKDOWN as HOSTILE
from markup import LiveMarkup

from commsdesk import discussion

BODY = "\n\n".join(HOSTILE) + '\n\n[x](j&#97;vascript:alert(1)) <svg/onload=alert(1)>'


def assert_inert(page):
    parser = LiveMarkup()
    parser.feed(page)
    assert parser.problems == []
    lowered = page.lower()
    assert "<script>alert" not in lowered and "<svg" not in lowered
    assert 'href="javascript:' not in lowered and "j&#97;vascript:alert(1))\"" not in lowered


def test_hostile_comments_and_suggestions_are_inert_everywhere(app, world):
    w = world
    # A quote must occur in the text: put hostile text in the document itself first.
    from commsdesk import documents

    documents.save_revision(w.editor, w.doc, {"title": '<img src=x onerror="alert(1)">',
                                              "body": BODY}, w.doc.current_revision_id)
    root = discussion.add_comment(w.partner, w.doc, BODY, quote="<script>alert(1)</script>")
    discussion.add_comment(w.partner_b, w.doc, '<a href="javascript:alert(1)">svar</a> @per',
                       parent_id=root.id)
    item = discussion.create_suggestion(
        w.partner, w.doc,
        {"title": "<svg onload=alert(1)>", "lead": '<img src=x onerror=alert(1)>',
         "body": BODY + "\n\nmer [y](J&#x41;vascript:alert(2))",
         "fields": {"contact": '<script>alert("c")</script>'}},
        w.doc.current_revision_id, note='<script>alert("note")</script>')
    stale = discussion.create_suggestion(w.partner_b, w.doc, {"title": "<script>x</script>"},
                                     w.doc.current_revision_id)
    discussion.accept_suggestion(w.editor, w.doc, item.id)  # makes `stale` stale: two diffs
    discussion.reject_suggestion(w.editor, w.doc, stale.id, reason="<img src=x onerror=alert(9)>")
    doc = w.doc.id
    pages = [f"/documents/{doc}", f"/documents/{doc}/suggestions",
             f"/documents/{doc}/suggestions/{item.id}", f"/documents/{doc}/suggestions/{stale.id}",
             f"/documents/{doc}/suggest", f"/documents/{doc}/comments?parent_id={root.id}",
             f"/documents/{doc}/diff"]
    for user in (w.editor, w.partner):
        browser = login_as(app, user)
        for url in pages:
            response = browser.get(url)
            assert response.status_code == 200, url
            assert_inert(response.get_data(as_text=True))
        page = browser.get(f"/documents/{doc}").get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
        page = browser.get(f"/documents/{doc}/suggestions/{stale.id}").get_data(as_text=True)
        assert "&lt;img src=x onerror=alert(9)&gt;" in page  # the reason, as text
    # Forms shown again after a refusal carry the hostile text back inertly.
    browser = login_as(app, w.partner)
    refused = browser.form(f"/documents/{doc}/comments", {"body": BODY, "quote": "<svg onload=1>"})
    assert refused.status_code == 422
    assert_inert(refused.get_data(as_text=True))
    refused = browser.form(f"/documents/{doc}/suggest", {"title": "", "body": BODY,
                                                         "base_revision_id": 1})
    assert refused.status_code in (409, 422)
    assert_inert(refused.get_data(as_text=True))

    api = api_as(w.editor)
    for thread in api.get(f"/documents/{doc}/comments").get_json()["items"]:
        for comment in [thread, *thread["replies"]]:
            assert_inert(comment["body_html"])
    assert discussion.add_comment(w.partner, w.doc, "Ok", quote="<script>alert(1)</script>")
