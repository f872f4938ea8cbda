"""The document page's publishing: the publish and schedule forms with their channels, and
the panel of the document's publications in every state."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import login_as, run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import Publication, Share, utcnow
from commsdesk.publishing import actions


def _page(client, doc):
    response = client.get(f"/documents/{doc.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rows(doc):
    return db.session.execute(
        select(Publication).where(Publication.document_id == doc.id).order_by(Publication.id)
    ).scalars().all()


def test_approved_text_offers_publish_now_and_schedule_with_every_channel_ticked(
        app, office, platforms):
    social = platforms(office.org, "test_accepting", "Mastodon")
    doc = office.approved()
    html = _page(login_as(app, office.editor), doc)
    assert "Publish now" in html and ">Schedule<" in html
    newsroom = office.newsroom()
    for channel in (newsroom, social):
        assert html.count(f'name="channel" value="{channel.id}" checked') == 1
    assert "Time in Europe/Stockholm" in html
    assert "Mark this document as published" not in html


def test_publish_now_on_the_channels_ticked_only(app, office, platforms):
    social = platforms(office.org, "test_accepting", "Mastodon")
    doc = office.approved()
    client = login_as(app, office.editor)
    response = client.form(f"/documents/{doc.id}/actions/publish",
                           {"channels_offered": "1", "channel": str(social.id)},
                           follow_redirects=True)
    assert "it goes out within seconds" in response.get_data(as_text=True)
    assert [r.channel_id for r in _rows(doc)] == [social.id]
    db.session.refresh(doc)
    assert doc.state == workflow.SCHEDULED
    html = _page(client, doc)
    assert "Going out now" in html and "data-poll=" in html and "js/publishing.js" in html
    status = client.get(f"/documents/{doc.id}/publications.json").get_json()
    assert status["going_out"] is True
    run_worker()
    html = _page(client, doc)
    assert "Going out now" not in html and "data-poll" not in html
    assert 'href="https://social.example/@mitten/1"' in html
    assert client.get(f"/documents/{doc.id}/publications.json").get_json()["going_out"] is False


def test_nothing_ticked_is_refused_not_published(app, office):
    doc = office.approved()
    client = login_as(app, office.editor)
    response = client.form(f"/documents/{doc.id}/actions/publish", {"channels_offered": "1"},
                           headers={"Referer": f"/documents/{doc.id}"}, follow_redirects=True)
    assert "Choose at least one channel." in response.get_data(as_text=True)
    db.session.refresh(doc)
    assert doc.state == workflow.APPROVED and _rows(doc) == []


def test_schedule_in_the_organisations_zone_then_reschedule_and_unschedule(app, office):
    doc = office.approved()
    client = login_as(app, office.editor)
    local = (utcnow() + timedelta(days=3)).astimezone(ZoneInfo("Europe/Stockholm"))
    local = local.replace(hour=9, minute=30, second=0, microsecond=0)
    response = client.form(f"/documents/{doc.id}/actions/schedule", {
        "at": local.strftime("%Y-%m-%dT%H:%M"), "channels_offered": "1",
        "channel": str(office.newsroom().id)})
    assert response.status_code == 302
    (row,) = _rows(doc)
    assert row.due_at == local.astimezone(UTC) and row.state == "queued"
    html = _page(client, doc)
    assert "Goes out" in html and "on Newsroom" in html
    assert "Reschedule" in html and "Unschedule" in html
    assert local.strftime("%Y-%m-%dT%H:%M") in html  # the reschedule form starts at its time

    later = local + timedelta(days=1)
    client.form(f"/documents/{doc.id}/actions/reschedule", {"at": later.strftime("%Y-%m-%dT%H:%M")})
    db.session.refresh(row)
    assert row.due_at == later.astimezone(UTC)
    client.form(f"/documents/{doc.id}/actions/unschedule")
    db.session.refresh(row)
    db.session.refresh(doc)
    assert row.state == "cancelled" and doc.state == workflow.APPROVED


def test_a_kind_without_channels_is_still_marked_as_published(app, office):
    doc = office.approved(kind="social_post", title="Inlägg")
    html = _page(login_as(app, office.editor), doc)
    assert 'name="channels_offered"' not in html
    assert "Mark this document as published" in html


def test_partly_published_names_the_failed_channel_and_offers_retry(app, office, platforms):
    refusing = platforms(office.org, "test_refusing", "Facebook")
    doc = office.approved()
    workflow.publish(office.editor, doc)
    run_worker()
    db.session.refresh(doc)
    assert doc.state == workflow.PARTLY_PUBLISHED
    client = login_as(app, office.editor)
    html = _page(client, doc)
    assert "Partly published: it went out on Newsroom but not on Facebook." in html
    assert "the access token was revoked" in html
    failed = next(r for r in _rows(doc) if r.channel_id == refusing.id)
    assert f"/publications/{failed.id}/retry" in html
    assert f"/publications/{failed.id}/cancel" in html
    assert f"/publications/{failed.id}/confirm" not in html
    response = client.form(f"/publications/{failed.id}/cancel")
    assert response.status_code == 302 and response.location.endswith("#publishing")
    db.session.refresh(failed)
    assert failed.state == "cancelled"


def test_publishing_failed_says_what_to_do(app, office, platforms):
    refusing = platforms(office.org, "test_refusing", "Facebook")
    doc = office.approved()
    workflow.publish(office.editor, doc, channels=[refusing.id])
    run_worker()
    html = _page(login_as(app, office.editor), doc)
    assert "Publishing failed on Facebook." in html
    assert "Unschedule" in html and "Retry" in html


def test_uncertain_row_offers_it_went_out_with_an_address(app, office, platforms):
    silent = platforms(office.org, "test_silent", "LinkedIn")
    doc = office.approved()
    workflow.publish(office.editor, doc, channels=[silent.id])
    run_worker()
    (row,) = _rows(doc)
    assert row.state == "uncertain"
    client = login_as(app, office.editor)
    html = _page(client, doc)
    assert "Uncertain: check it" in html and "check whether the post is there" in html
    assert "It went out" in html
    client.form(f"/publications/{row.id}/confirm", {"url": "https://linkedin.example/p/9"})
    db.session.refresh(row)
    db.session.refresh(doc)
    assert row.state == "sent" and row.url == "https://linkedin.example/p/9"
    assert doc.state == workflow.PUBLISHED
    assert 'href="https://linkedin.example/p/9"' in _page(client, doc)


def test_an_address_that_is_not_a_web_address_is_not_a_link(app, office, platforms):
    silent = platforms(office.org, "test_silent", "LinkedIn")
    doc = office.approved()
    workflow.publish(office.editor, doc, channels=[silent.id])
    run_worker()
    (row,) = _rows(doc)
    actions.confirm_sent(office.editor, row, "javascript:alert(1)")
    html = _page(login_as(app, office.editor), doc)
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html


def test_held_row_explains_itself(app, office):
    doc = office.approved()
    workflow.schedule(office.editor, doc, utcnow() + timedelta(minutes=5))
    # A partner added behind the workflow's back: the approval no longer suffices at its time.
    db.session.add(Share(document_id=doc.id, organisation_id=office.partner.id,
                         created_by_id=office.editor.id))
    db.session.commit()
    run_worker(now=utcnow() + timedelta(minutes=10))
    (row,) = _rows(doc)
    assert row.state == "held"
    html = _page(login_as(app, office.editor), doc)
    assert "Held: the approval was no longer valid" in html


def test_withdrawn_text_shows_when(app, office):
    doc = office.approved()
    workflow.publish(office.editor, doc)
    run_worker()
    workflow.withdraw(office.editor, doc)
    html = _page(login_as(app, office.editor), doc)
    assert "Withdrawn " in html and "Sent " in html


def test_partner_sees_only_what_went_out_and_no_buttons(app, office, platforms):
    refusing = platforms(office.org, "test_refusing", "Facebook")
    doc = office.approved(shared=True)
    workflow.publish(office.editor, doc)
    run_worker()
    html = _page(login_as(app, office.partner_editor), doc)
    assert "Newsroom" in html and "/n/mitten/" in html
    assert "Facebook" not in html and "revoked" not in html
    assert "/retry" not in html and "/cancel" not in html and "Partly published:" not in html
    failed = next(r for r in _rows(doc) if r.channel_id == refusing.id)
    assert failed.state == "failed"


def test_contributor_sees_the_panel_without_buttons(app, office, platforms):
    platforms(office.org, "test_refusing", "Facebook")
    doc = office.approved()
    workflow.publish(office.editor, doc)
    run_worker()
    html = _page(login_as(app, office.contributor), doc)
    assert "Facebook" in html and "/retry" not in html and "Publish now" not in html


def test_due_times_are_shown_in_the_organisations_zone(app, office):
    doc = office.approved()
    year = utcnow().year + 2
    at = datetime(year, 7, 1, 8, 0, tzinfo=UTC)  # 10:00 in Stockholm (summer time)
    workflow.schedule(office.editor, doc, at)
    html = _page(login_as(app, office.editor), doc)
    assert f"Goes out 1 Jul {year} 10:00 on Newsroom." in html
