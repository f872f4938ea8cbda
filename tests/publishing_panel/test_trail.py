"""The decision trail's "where and when it went out": channel, time, address, revision and
content hash of every sent publication, and when it was withdrawn."""
from conftest import api_as, login_as, run_worker

from commsdesk import workflow


def test_trail_says_where_and_when_it_went_out(app, office, platforms):
    platforms(office.org, "test_accepting", "Mastodon")
    doc = office.approved(shared=True)
    workflow.publish(office.editor, doc)
    run_worker()
    workflow.withdraw(office.editor, doc)
    data = api_as(office.partner_editor).get(f"/documents/{doc.id}/trail").get_json()
    went_out = data["publications"]
    assert [p["channel"]["name"] for p in went_out] == ["Newsroom", "Mastodon"]
    for item in went_out:
        assert item["content_hash"] == doc.current_revision.content_hash
        assert item["revision"]["number"] == 1 and item["sent_at"] and item["withdrawn_at"]
    assert went_out[1]["url"] == "https://social.example/@mitten/1"
    html = login_as(app, office.editor).get(f"/documents/{doc.id}/trail").get_data(as_text=True)
    assert "Where and when it went out" in html
    assert html.count('class="trail-publication"') == 2
    assert 'href="https://social.example/@mitten/1"' in html
    assert "Times in Europe/Stockholm." in html


def test_trail_leaves_out_what_did_not_go_out(office, platforms):
    platforms(office.org, "test_refusing", "Facebook")
    doc = office.approved()
    workflow.publish(office.editor, doc)
    run_worker()
    data = api_as(office.editor).get(f"/documents/{doc.id}/trail").get_json()
    assert [p["channel"]["name"] for p in data["publications"]] == ["Newsroom"]
