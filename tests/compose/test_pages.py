"""Pages: the web version, the preview and test send, tracking counters, access."""
from conftest import login_as

from commsdesk.extensions import db
from commsdesk.models import OutgoingEmail
from commsdesk.newsletter import compose, tracking

from .conftest import meeting_doc, newsletter, sent_mailing, turn_on_tracking


def test_archive_page_visible_only_after_sending(team, client):
    doc = newsletter(team["editor"])
    path = f"/n/{team['org'].slug}/newsletters/{doc.id}-nytt-fran-oss"
    assert client.get(path).status_code == 404
    sent_mailing(doc, started=False)
    assert client.get(path).status_code == 404
    sent_mailing(doc)
    page = client.get(path)
    assert page.status_code == 200 and "Nytt från oss" in page.get_data(as_text=True)
    assert client.get(f"/n/{team['org'].slug}/newsletters/999999-x").status_code == 404
    assert client.get(f"/n/annan/newsletters/{doc.id}-nytt-fran-oss").status_code == 404


def test_preview_page_frame_and_test_send(team, app):
    doc = newsletter(team["editor"])
    client = login_as(app, team["editor"])
    page = client.get(f"/documents/{doc.id}/email?width=360")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'width="360"' in body and "Send a test to me" in body
    frame = client.get(f"/documents/{doc.id}/email/frame")
    assert frame.status_code == 200 and "sandbox" in frame.headers["Content-Security-Policy"]
    assert f"Hej {team['editor'].name.split()[0]}," in frame.get_data(as_text=True)
    assert client.form(f"/documents/{doc.id}/email/test").status_code == 302
    sent = db.session.query(OutgoingEmail).one()
    assert sent.to_address == team["editor"].email and sent.subject == "[Test] Veckans nyheter"
    assert "{{" not in sent.text_body and "{{" not in sent.html_body


def test_other_organisations_get_404(team, app):
    doc = newsletter(team["editor"])
    client = login_as(app, team["other"])
    for url in (f"/documents/{doc.id}/email", f"/documents/{doc.id}/email/frame"):
        assert client.get(url).status_code == 404
    assert client.form(f"/documents/{doc.id}/email/test").status_code == 404


def test_tracking_off_adds_nothing(team):
    doc = newsletter(team["editor"])
    html = compose.build(doc, doc.current_revision, "newsletter").html
    assert "/m/" not in html and "open.gif" not in html


def test_tracking_on_counts_opens_and_clicks(team, client):
    turn_on_tracking(team["org"])
    doc = newsletter(team["editor"])
    composed = compose.build(doc, doc.current_revision, "newsletter")
    assert "open.gif" in composed.html and 'href="{{ unsubscribe_url }}"' in composed.html
    mailing = sent_mailing(doc, html=composed.html)
    pixel = composed.html.split('src="http://localhost', 1)[1].split('"')[0]
    assert client.get(pixel).status_code == 200
    link = composed.html.split('href="http://localhost/m/', 1)[1].split('"')[0]
    response = client.get("/m/" + link.replace("&amp;", "&"))
    assert response.status_code == 302
    assert response.headers["Location"] == "https://example.org/a?b=1&c=2"
    db.session.refresh(mailing)
    assert (mailing.opens, mailing.clicks) == (1, 1)
    token = link.split("/")[0]
    forged = tracking.wrap("https://evil.example/", "x").split("?u=")[1]
    assert client.get(f"/m/{token}/click?u={forged}x").status_code == 404
    assert client.get(f"/m/{token}/click?u=https://evil.example/").status_code == 404


def test_a_meeting_notice_shows_its_times_in_the_organisations_zone(team, app):
    doc = meeting_doc(team["editor"], starts_at="2026-12-01T17:00:00+00:00")
    page = login_as(app, team["editor"]).get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "18:00" in page and "17:00:00+00:00" not in page  # Stockholm, not raw UTC
