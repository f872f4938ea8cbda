"""The Threads channel against a local Threads API: a post in two steps, a long text as a
numbered chain of replies, an image on the first post, a lost answer found among the
account's replies, and the Threads text of a social post counted as Threads counts."""
import itertools
from datetime import timedelta

from conftest import login_as, make_document, run_worker

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.kinds import PLATFORMS, platform_length
from commsdesk.models import utcnow
from commsdesk.publishing import channels

from .conftest import post
from .test_facebook import row_of

SENTENCE = "Vi vill bygga fler förskolor i Älvstad och korta köerna för familjerna. "


def test_a_short_post_is_one_thread(staff, meta, threads):
    doc = post(staff, variants={"threads": "Till Threads: ny förskola!"})
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, threads)
    assert row.state == "sent", row.last_error
    [made] = meta.of("thread")
    assert made["text"] == "Till Threads: ny förskola!" and made["reply_to_id"] is None
    assert row.external_id == made["id"] and row.url == made["permalink"]


def test_a_long_text_becomes_a_chain_of_replies_with_the_image_first(staff, meta, threads):
    doc = post(staff, body=SENTENCE * 15, image=True)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, threads)
    assert row.state == "sent", row.last_error
    made = sorted(meta.of("thread"), key=lambda o: o["created"])
    assert len(made) == len(row.payload["parts"]) > 2
    assert made[0]["reply_to_id"] is None and made[0]["image_url"]
    assert made[0]["alt_text"] == "Barn leker på förskolegården"
    for before, after in itertools.pairwise(made):
        assert after["reply_to_id"] == before["id"] and after["image_url"] is None
    assert [m["text"] for m in made] == row.payload["parts"]
    assert made[-1]["text"].endswith(f"{len(made)}/{len(made)}")
    assert row.external_id == made[0]["id"] and row.progress["posted"] == [m["id"] for m in made]


def test_a_lost_answer_mid_thread_is_found_and_the_thread_goes_on(staff, meta, threads):
    meta.drop_nth["threads_publish"] = {2}  # the first reply is stored, its answer lost
    doc = post(staff, body=SENTENCE * 15)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, threads)
    assert row.state == "queued" and len(row.progress["posted"]) == 1
    run_worker(now=utcnow() + timedelta(minutes=5))
    db.session.refresh(row)
    assert row.state == "sent", row.last_error
    made = sorted(meta.of("thread"), key=lambda o: o["created"])
    assert [m["text"] for m in made] == row.payload["parts"]  # each part once, in order
    assert row.progress["posted"] == [m["id"] for m in made]


def test_threads_counts_an_emoji_as_its_bytes():
    platform = PLATFORMS["threads"]
    assert platform_length(platform, "Hej 🧸") == 4 + 4
    assert platform_length(platform, "Åby") == 3


def test_the_editor_offers_a_threads_text(app, staff):
    doc = make_document(staff["editor"], kind="social_post", title="Inlägg", body="Text")
    page = login_as(app, staff["editor"]).get(f"/documents/{doc.id}/edit")
    assert page.status_code == 200
    assert 'name="variants-threads"' in page.get_data(as_text=True)


def test_check_connection_names_the_account(staff, meta, threads):
    ok, message = channels.test_connection(staff["admin"], threads)
    assert ok and "mittenpartiet" in message
