"""Posting on Mastodon: a status with images, alt text, a content warning and the channel's
visibility; a long text as a numbered thread; refusals in Mastodon's own words."""
from conftest import run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import Publication

from .conftest import connect, social_post


def rows():
    db.session.expire_all()
    return db.session.execute(select(Publication).order_by(Publication.id)).scalars().all()


def mastodon_row(channel):
    return next(r for r in rows() if r.channel_id == channel.id)


def test_a_post_with_an_image_alt_text_and_a_content_warning(staff, instance, channel):
    doc = social_post(staff, "Vi bygger ett nytt badhus i Åby https://mitten.example/badhus",
                      warning="Politik", images=[("bad.png", "Ritning av badhuset")])
    workflow.publish(staff["editor"], doc, channels=[channel.id])
    run_worker()
    (status,) = instance.posted()
    assert status["text"].startswith("Vi bygger ett nytt badhus")
    assert status["spoiler_text"] == "Politik" and status["sensitive"] is True
    assert status["visibility"] == "public" and status["in_reply_to_id"] is None
    (attachment,) = status["media_attachments"]
    assert attachment["description"] == "Ritning av badhuset"
    assert attachment["url"]  # processed before it was attached
    row = mastodon_row(channel)
    assert row.state == "sent", row.last_error
    assert row.external_id == status["id"] and row.url == status["url"]
    assert row.progress["media"] == [{"id": attachment["id"], "ready": True}]
    db.session.refresh(doc)
    assert doc.state == "published"


def test_the_channel_visibility_goes_with_the_post(staff, instance):
    channel = connect(staff["admin"], instance, name="Följare", visibility="private")
    workflow.publish(staff["editor"], social_post(staff, "Bara för följare."),
                     channels=[channel.id])
    run_worker()
    assert [s["visibility"] for s in instance.posted()] == ["private"]


def test_a_long_text_becomes_a_numbered_thread_of_replies(staff, instance, channel):
    text = " ".join(f"Mening nummer {n} om skolans framtid i kommunen." for n in range(30))
    workflow.publish(staff["editor"], social_post(staff, text, warning="Skola"),
                     channels=[channel.id])
    run_worker()
    statuses = instance.posted()
    assert len(statuses) >= 3
    total = len(statuses)
    for number, status in enumerate(statuses, 1):
        assert status["text"].endswith(f" {number}/{total}")
        assert status["spoiler_text"] == "Skola"
        expected = statuses[number - 2]["id"] if number > 1 else None
        assert status["in_reply_to_id"] == expected
    row = mastodon_row(channel)
    assert row.state == "sent"
    assert row.url == statuses[0]["url"] and row.external_id == statuses[0]["id"]
    assert [p["id"] for p in row.progress["statuses"]] == [s["id"] for s in statuses]
    keys = [key for _account, key in instance.creates]
    assert keys == [f"{row.idempotency_key}-{n}" for n in range(1, total + 1)]


def test_a_refusal_fails_at_once_with_mastodons_words(staff, instance, channel):
    instance.limit = 40  # an instance with a shorter limit than the 500 counted here
    workflow.publish(staff["editor"], social_post(staff, "En text som är längre än fyrtio "
                                                  "tecken på den här servern."),
                     channels=[channel.id])
    run_worker()
    row = mastodon_row(channel)
    assert row.state == "failed" and row.attempts == 1
    assert "Text character limit of 40 exceeded" in row.last_error
    assert instance.posted() == []
