"""The shared formatting of social networks: the text per platform, numbered threads within
each platform's own count, refusals with the count, and the payload."""
import pytest
from conftest import make_document

from commsdesk.channels import social
from commsdesk.channels.base import progress, remember
from commsdesk.errors import ValidationError
from commsdesk.extensions import db
from commsdesk.kinds import PLATFORMS, platform_length

SENTENCE = "Vi vill bygga fler förskolor i Älvstad och korta köerna för familjerna. "


@pytest.mark.parametrize("key", ["mastodon", "bluesky", "x"])
def test_a_long_text_becomes_numbered_parts_within_the_limit(key):
    platform = PLATFORMS[key]
    text = SENTENCE * 30
    parts = social.split(text, platform)
    assert len(parts) > 1
    for number, part in enumerate(parts, 1):
        assert platform_length(platform, part) <= platform.limit
        assert part.endswith(f" {number}/{len(parts)}")
    # Nothing lost, nothing added but the numbers.
    joined = " ".join(p.rsplit(" ", 1)[0] for p in parts)
    assert joined.split() == text.split()


def test_parts_end_at_a_sentence_when_they_can():
    parts = social.split(SENTENCE * 12, PLATFORMS["bluesky"])
    assert all(p.rsplit(" ", 1)[0].endswith(".") for p in parts)


def test_a_short_text_is_one_post_without_a_number():
    assert social.split("Hej Älvstad!", PLATFORMS["mastodon"]) == ["Hej Älvstad!"]


def test_bluesky_counts_graphemes_not_bytes():
    text = "🧸" * 300  # 300 graphemes, 1200 bytes
    assert social.split(text, PLATFORMS["bluesky"]) == [text]
    assert len(social.split(text + "🧸", PLATFORMS["bluesky"])) == 2


def test_mastodon_counts_a_link_as_23():
    text = "Läs mer: https://example.org/" + "a" * 600
    assert social.split(text, PLATFORMS["mastodon"]) == [text]


def test_without_threads_a_long_text_is_refused_with_its_count():
    with pytest.raises(ValidationError) as refused:
        social.split("x" * 2300, PLATFORMS["instagram"], threads=False)
    assert "2300" in refused.value.message and "2200" in refused.value.message


def test_a_thread_too_long_is_refused():
    with pytest.raises(ValidationError) as refused:
        social.split(SENTENCE * 400, PLATFORMS["bluesky"])
    assert "posts in a thread" in refused.value.message


def test_a_word_longer_than_a_post_is_cut():
    parts = social.split("ord " + "å" * 700, PLATFORMS["bluesky"])
    assert all(platform_length(PLATFORMS["bluesky"], p) <= 300 for p in parts)


def test_a_social_post_uses_its_variant_else_its_body(editor):
    doc = make_document(editor, kind="social_post", title="Förskola", body="Brödtexten.",
                        variants={"mastodon": "Till Mastodon https://mitten.example/a.",
                                  "bluesky": ""},
                        fields={"content_warning": "Politik"})
    revision = doc.current_revision
    mastodon = social.payload(doc, revision, "mastodon")
    assert mastodon["parts"] == ["Till Mastodon https://mitten.example/a."]
    assert mastodon["link"] == "https://mitten.example/a"
    assert mastodon["content_warning"] == "Politik"
    assert social.payload(doc, revision, "bluesky")["text"] == "Brödtexten."


def test_an_empty_post_is_refused(editor):
    doc = make_document(editor, kind="social_post", title="Tom", body="")
    with pytest.raises(ValidationError):
        social.payload(doc, doc.current_revision, "mastodon")


def test_a_press_release_is_announced_with_its_newsroom_link(app, editor):
    doc = make_document(editor, kind="press_release", title="Nytt badhus i Åby",
                        lead="Ingressen.", body="Lång text " * 200)
    payload = social.payload(doc, doc.current_revision, "bluesky")
    assert payload["text"].startswith("Nytt badhus i Åby\n\nIngressen.\n\n")
    assert payload["link"].endswith(f"/n/{doc.organisation.slug}/{doc.id}-nytt-badhus-i-aby")
    assert payload["parts"] == [payload["text"]]


def test_remember_commits_each_step(editor):
    from commsdesk import channels as registry
    from commsdesk.publishing import outbox

    doc = make_document(editor)
    (row,) = outbox.enqueue(editor, doc, [registry.website_channel(editor.organisation)],
                            doc.created_at)
    db.session.commit()
    remember(row, parts=["1"])
    remember(row, media={"7": "m1"})
    db.session.expire_all()
    assert progress(row, "parts") == ["1"] and progress(row, "media") == {"7": "m1"}
    assert progress(row, "missing", 3) == 3
