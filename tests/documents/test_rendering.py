"""Hostile Markdown and HTML never reach a rendered page as live markup."""
import pytest
from conftest import make_document
from markup import HOSTILE_MARKDOWN as HOSTILE
from markup import assert_clean as _assert_clean

from commsdesk.rendering import render_markdown

FORBIDDEN = ("<script", "onerror", "onload", "onclick", "javascript:", "<svg", "<iframe",
             "<img", "style=", "data:text", "<form", "<input")


@pytest.mark.parametrize("text", HOSTILE)
def test_renderer_strips_hostile_markup(text):
    html = render_markdown(text).lower()
    for bad in FORBIDDEN:
        assert bad not in html, (text, html)


def test_renderer_keeps_ordinary_markdown():
    html = render_markdown("## Rubrik\n\n- ett\n- två\n\n**fet** [länk](https://example.org)")
    assert "<h2>Rubrik</h2>" in html and "<li>ett</li>" in html and "<strong>fet</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_hostile_text_is_inert_on_every_page(editor_client, editor):
    body = "\n\n".join(HOSTILE)
    doc = make_document(editor, title='<script>alert("t")</script>', body=body,
                        lead='<img src=x onerror="alert(1)">')
    from commsdesk import documents

    documents.save_revision(editor, doc, {"title": "<svg onload=alert(1)>", "body": body + "!",
                                          "lead": "x"}, doc.current_revision_id)
    revs = documents.revisions(doc)
    urls = ["/", "/documents", f"/documents/{doc.id}", f"/documents/{doc.id}/edit",
            f"/documents/{doc.id}/history", f"/documents/{doc.id}/revisions/{revs[1].id}",
            f"/documents/{doc.id}/diff?a={revs[1].id}&b={revs[0].id}"]
    for url in urls:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        _assert_clean(response.get_data(as_text=True))
    preview = editor_client.json_post(f"/documents/{doc.id}/preview", {"body": body, "lead": body})
    _assert_clean(preview.get_json()["html"])
    _assert_clean(preview.get_json()["lead_html"])
