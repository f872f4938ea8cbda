"""Counting as each platform counts, and per-kind limits."""
from commsdesk import kinds


def test_graphemes_count_family_emoji_and_flags_once():
    assert kinds.graphemes("👨‍👩‍👧") == 1
    assert kinds.graphemes("🇸🇪å") == 2
    assert kinds.graphemes("e\u0301") == 1


def test_x_and_mastodon_count_links_as_23():
    link = "Läs mer: https://example.org/" + "a" * 80
    assert kinds.platform_length(kinds.PLATFORMS["x"], link) == len("Läs mer: ") + 23
    assert kinds.platform_length(kinds.PLATFORMS["mastodon"], link) == len("Läs mer: ") + 23
    # Bluesky counts the text as written, in graphemes
    assert kinds.platform_length(kinds.PLATFORMS["bluesky"], link) == len(link)


def test_mastodon_counts_only_the_username_of_a_remote_mention():
    text = "Hej @eva@social.example.org!"
    assert kinds.platform_length(kinds.PLATFORMS["mastodon"], text) == len("Hej @eva!")


def test_letter_limit_warning_and_override():
    content = {"title": "T", "lead": "", "body": "a" * 2001, "fields": {}}
    assert kinds.warnings("letter", content) == [{"field": "body", "limit": 2000, "used": 2001}]
    content["fields"] = {"length_limit": 2500}
    assert kinds.warnings("letter", content) == []


def test_social_variant_over_limit_is_warned():
    content = {"title": "T", "variants": {"x": "ö" * 281, "bluesky": "🇸🇪" * 300}}
    found = kinds.warnings("social_post", content)
    assert {"field": "variants.x", "limit": 280, "used": 281} in found
    assert not [w for w in found if w["field"] == "variants.bluesky"]


def test_text_stats():
    stats = kinds.text_stats({"lead": "Två ord", "body": "och tre till " * 100})
    assert stats["words"] == 302
    assert stats["reading_minutes"] == 2
