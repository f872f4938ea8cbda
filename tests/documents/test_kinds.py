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


def test_a_markdown_link_counts_as_its_text():
    stats = kinds.text_stats({"lead": "", "body": "Läs [vårt förslag](https://example.org/"
                                                  + "a" * 60 + ") nu."})
    assert kinds.visible_text("Läs [vårt förslag](https://example.org/x) nu.") == \
        "Läs vårt förslag nu."
    assert stats == {"words": 4, "characters": len("Läs vårt förslag nu."),
                     "reading_minutes": 1}


def test_images_and_emphasis_markers_are_not_counted():
    text = "![Karta över linjen](https://example.org/karta.png)*Bussen* går **varje** `timme`."
    assert kinds.visible_text(text) == "Bussen går varje timme."
    assert kinds.text_stats({"body": text})["characters"] == len("Bussen går varje timme.")


def test_paragraphs_and_list_items_are_apart_and_headings_count_as_text():
    assert kinds.visible_text("## Rubrik\n\nEtt\ntvå\n\n- tre\n- fyra") == \
        "Rubrik\nEtt två\ntre\nfyra"
    assert kinds.text_stats({"body": "Ett [ord](https://x.example/)"})["words"] == 2


def test_the_limit_warning_counts_what_the_reader_sees():
    body = "[" + "a" * 1990 + "](https://example.org/" + "b" * 100 + ")"
    assert kinds.warnings("letter", {"body": body}) == []


def test_a_markdown_link_in_a_social_variant_counts_as_written_with_the_url_as_23():
    # The platforms show a social text as written: brackets and text count, the URL as 23.
    text = "Läs [mer](https://example.org/" + "a" * 80 + ")"
    assert kinds.platform_length(kinds.PLATFORMS["x"], text) == len("Läs [mer](") + 23 + 1
    assert kinds.platform_length(kinds.PLATFORMS["bluesky"], text) == len(text)


def test_punctuation_after_a_link_is_text_but_balanced_brackets_are_part_of_it():
    x = kinds.PLATFORMS["x"]
    assert kinds.platform_length(x, "Se https://example.org/a.") == len("Se ") + 23 + 1
    assert kinds.platform_length(x, "https://sv.wikipedia.org/wiki/Buss_(fordon)") == 23
