"""Document kinds, their fields and limits, and counting text the way each platform does."""
from dataclasses import dataclass, field
from html.parser import HTMLParser

import regex
from flask_babel import lazy_gettext as _l

from .rendering import render_markdown

URL_RE = regex.compile(r"https?://[^\s<>\"']+", regex.IGNORECASE)
MENTION_RE = regex.compile(r"(?<![\w@])@([\w.]+)@[\w.-]+\.\w+")
EMOJI_RE = regex.compile(r"\p{Extended_Pictographic}")
WORD_RE = regex.compile(r"[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*")
READING_WORDS_PER_MINUTE = 200
# Rendered elements that end a line for the reader; table cells are apart by a space.
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br",
              "hr", "ul", "ol", "table", "div"}
CELL_TAGS = {"td", "th"}


@dataclass(frozen=True)
class Platform:
    key: str
    label: str
    limit: int
    unit: str  # "graphemes" or "characters"
    url_length: int | None = None  # every link counts as this many, if the platform shortens
    # Threads counts an emoji as its UTF-8 bytes (developers.facebook.com/docs/threads/posts).
    emoji_bytes: bool = False


PLATFORMS = {
    p.key: p
    for p in (
        Platform("x", "X", 280, "characters", url_length=23),
        Platform("bluesky", "Bluesky", 300, "graphemes"),
        Platform("mastodon", "Mastodon", 500, "characters", url_length=23),
        Platform("linkedin", "LinkedIn", 3000, "characters"),
        Platform("instagram", "Instagram", 2200, "characters"),
        Platform("facebook", "Facebook", 63206, "characters"),
        Platform("threads", "Threads", 500, "characters", emoji_bytes=True),
    )
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: object
    type: str = "text"  # text | textarea | datetime | int | lines
    max_length: int = 2000


@dataclass(frozen=True)
class Kind:
    key: str
    label: object
    fields: tuple = ()
    default_limit: int | None = None  # characters of lead + body
    platforms: tuple = field(default=())
    # Signed texts carry a list of signatories: coalition.signatories, one list per document,
    # not a field of the text (so it is never out of step with the coalition panel).
    signed: bool = False


KINDS = {
    k.key: k
    for k in (
        Kind(
            "press_release",
            _l("Press release"),
            (
                FieldSpec("contact", _l("Contact"), "textarea"),
                FieldSpec("embargo", _l("Embargo until"), "datetime"),
            ),
        ),
        Kind(
            "op_ed",
            _l("Op-ed"),
            (
                FieldSpec("outlet", _l("Target outlet"), max_length=200),
                FieldSpec("length_limit", _l("Length limit (characters)"), "int"),
                FieldSpec("published_in", _l("First published in"), max_length=200),
                FieldSpec("published_url", _l("Link to where it was first published"),
                          max_length=1000),
            ),
            default_limit=4500,
            signed=True,
        ),
        Kind(
            "letter",
            _l("Letter to the editor"),
            (
                FieldSpec("outlet", _l("Target outlet"), max_length=200),
                FieldSpec("length_limit", _l("Length limit (characters)"), "int"),
                FieldSpec("published_in", _l("First published in"), max_length=200),
                FieldSpec("published_url", _l("Link to where it was first published"),
                          max_length=1000),
            ),
            default_limit=2000,
            signed=True,
        ),
        Kind(
            "newsletter",
            _l("Newsletter"),
            (
                FieldSpec("subject", _l("Subject line"), max_length=200),
                FieldSpec("preheader", _l("Preheader"), max_length=250),
            ),
        ),
        Kind(
            "meeting_notice",
            _l("Meeting notice"),
            (
                FieldSpec("starts_at", _l("Starts"), "datetime"),
                FieldSpec("ends_at", _l("Ends"), "datetime"),
                FieldSpec("place", _l("Place"), max_length=300),
                FieldSpec("agenda", _l("Meeting agenda"), "textarea", max_length=10_000),
                FieldSpec("documents", _l("Meeting documents (one link a line)"), "lines",
                          max_length=5_000),
                FieldSpec("rsvp_by", _l("Ask for replies by (optional)"), "datetime"),
            ),
        ),
        Kind("web_article", _l("Web article")),
        Kind("social_post", _l("Social post"),
             (FieldSpec("content_warning", _l("Content warning (Mastodon)"),
                        max_length=500),),
             platforms=tuple(PLATFORMS)),
    )
}


def get_kind(key):
    """The Kind for a key, or None."""
    return KINDS.get(key)


def graphemes(text):
    """Number of user-perceived characters (extended grapheme clusters)."""
    return len(regex.findall(r"\X", text or ""))


def _shortened(url, length):
    """A URL as a shortening platform counts it: punctuation after it and a closing bracket
    it did not open (as in a Markdown link) are text, not part of the link."""
    tail = ""
    while url and (url[-1] in ".,:;!?" or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url, tail = url[:-1], url[-1] + tail
    return "x" * length + tail


def platform_length(platform, text):
    """Length of a post as the platform counts it. A social text goes out as written (the
    platforms do not render Markdown), so a Markdown link counts as all its characters, its
    URL as the platform counts a URL (23 on X and Mastodon)."""
    text = text or ""
    if platform.url_length is not None:
        text = URL_RE.sub(lambda m: _shortened(m.group(0), platform.url_length), text)
    if platform.key == "mastodon":
        # Mastodon counts only the username part of a remote mention.
        text = MENTION_RE.sub(lambda m: "@" + m.group(1), text)
    if platform.unit == "graphemes":
        return graphemes(text)
    if platform.emoji_bytes:
        return sum(len(g.encode()) if EMOJI_RE.search(g) else len(g)
                   for g in regex.findall(r"\X", text))
    return len(text)


class _VisibleText(HTMLParser):
    """Collects the text of rendered HTML; a block boundary becomes a line break."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks = []
        self.in_pre = 0

    def handle_starttag(self, tag, _attrs):
        if tag in BLOCK_TAGS:
            self.chunks.append("\n")
        elif tag in CELL_TAGS:
            self.chunks.append(" ")
        self.in_pre += tag == "pre"

    def handle_endtag(self, tag):
        self.in_pre -= tag == "pre" and self.in_pre > 0
        if tag in BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_data(self, data):
        # Inside a paragraph a line break of the source is a space on the page.
        self.chunks.append(data if self.in_pre else data.replace("\n", " "))


def visible_text(markdown_text):
    """The text a reader sees once the Markdown is rendered (by the publishing renderer): a
    link is its text, an image and emphasis markers are nothing, paragraphs are one line
    break apart."""
    parser = _VisibleText()
    parser.feed(render_markdown(markdown_text or ""))
    parser.close()
    text = "".join(parser.chunks)
    return regex.sub(r"[ \t]*\n\s*", "\n", text).strip()


def text_stats(content):
    """Word and character counts and reading time of a revision's lead and body, counted in
    the text the reader sees (see visible_text), not in its Markdown."""
    parts = [visible_text(content.get(k)) for k in ("lead", "body")]
    words = sum(len(WORD_RE.findall(p)) for p in parts)
    return {
        "words": words,
        "characters": sum(graphemes(p) for p in parts),
        "reading_minutes": max(1, round(words / READING_WORDS_PER_MINUTE)) if words else 0,
    }


def length_limit(kind, content):
    """The character limit that applies to a document, or None."""
    raw = (content.get("fields") or {}).get("length_limit")
    if raw not in (None, ""):
        try:
            return int(raw)
        except (TypeError, ValueError):
            return kind.default_limit
    return kind.default_limit


def warnings(kind_key, content):
    """Human-readable limit warnings for a revision's content."""
    kind = get_kind(kind_key)
    found = []
    if kind is None:
        return found
    limit = length_limit(kind, content)
    if limit:
        used = text_stats(content)["characters"]
        if used > limit:
            found.append({"field": "body", "limit": limit, "used": used})
    for key, text in (content.get("variants") or {}).items():
        platform = PLATFORMS.get(key)
        if platform and text:
            used = platform_length(platform, text)
            if used > platform.limit:
                found.append({"field": f"variants.{key}", "limit": platform.limit, "used": used})
    return found


def variant_counts(content):
    """Per-platform used/limit counts for a social post."""
    variants = content.get("variants") or {}
    return {
        key: {"used": platform_length(p, variants.get(key, "")), "limit": p.limit}
        for key, p in PLATFORMS.items()
    }
