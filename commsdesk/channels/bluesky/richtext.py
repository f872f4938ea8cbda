"""Rich text of a Bluesky post: links, mentions and hashtags as facets whose ranges count
UTF-8 bytes (byteStart inclusive, byteEnd exclusive), as lexicon app.bsky.richtext.facet
and docs.bsky.app "Links, mentions, and rich text" require.

Detection follows the official client (bluesky-social/atproto packages/api/src/rich-text/
util.ts and detection.ts): a mention is `@handle.domain` after the start, a space or "(";
a link is an http(s) address without its final punctuation (and a ")" it did not open); a
hashtag is `#` or `＃` after the start or a space, not only digits, without trailing
punctuation, at most 64 graphemes. Mentions keep their handle here: the DID is resolved
when the post is sent (an unknown handle stays plain text)."""
import regex

MENTION_RE = regex.compile(r"(^|\s|\()(@)([a-zA-Z0-9.-]+)(\b)")
URL_RE = regex.compile(r"(^|\s|\()(https?://\S+)", regex.IGNORECASE)
TAG_RE = regex.compile(
    r"(^|\s)[#＃]((?!\ufe0f)[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*"
    r"[^\d\s\p{P}\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]+"
    r"[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*)?")
TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
# A handle is a domain name: dot-separated labels, the last (the TLD) starting with a letter.
HANDLE_RE = regex.compile(
    r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}"
    r"[a-zA-Z0-9])?$")
MAX_TAG_GRAPHEMES = 64
LINK = "app.bsky.richtext.facet#link"
MENTION = "app.bsky.richtext.facet#mention"
TAG = "app.bsky.richtext.facet#tag"


def byte_index(text, char_index):
    """The UTF-8 byte offset of a character offset in text."""
    return len(text[:char_index].encode("utf-8"))


def _slice(text, start, end):
    return {"byteStart": byte_index(text, start), "byteEnd": byte_index(text, end)}


def is_handle(value):
    """Whether a string has a handle's syntax (atproto.com/specs/handle)."""
    return len(value) <= 253 and bool(HANDLE_RE.match(value))


def mentions(text):
    """(start, end, handle) of each @handle.domain in text (character offsets)."""
    found = []
    for match in MENTION_RE.finditer(text):
        handle = match.group(3).rstrip(".-")
        if is_handle(handle):
            start = match.start(2)
            found.append((start, start + 1 + len(handle), handle.lower()))
    return found


def links(text):
    """(start, end, uri) of each http(s) address in text."""
    found = []
    for match in URL_RE.finditer(text):
        uri, start = match.group(2), match.start(2)
        if uri[-1] in ".,;:!?":
            uri = uri[:-1]
        if uri.endswith(")") and "(" not in uri:
            uri = uri[:-1]
        found.append((start, start + len(uri), uri))
    return found


def tags(text):
    """(start, end, tag) of each hashtag in text (the tag without its '#')."""
    found = []
    for match in TAG_RE.finditer(text):
        tag = match.group(2)
        if not tag:
            continue
        tag = TRAILING_PUNCTUATION.sub("", tag.strip())
        if not tag or len(regex.findall(r"\X", tag)) > MAX_TAG_GRAPHEMES:
            continue
        start = match.start(0) + len(match.group(1))
        found.append((start, start + 1 + len(tag), tag))
    return found


def facets(text):
    """The text's facets, byte ranges computed now; a mention carries its handle (to be
    resolved to a DID at sending) instead of a feature."""
    result = [{"index": _slice(text, s, e), "features": [{"$type": LINK, "uri": uri}]}
              for s, e, uri in links(text)]
    result += [{"index": _slice(text, s, e), "features": [{"$type": TAG, "tag": tag}]}
               for s, e, tag in tags(text)]
    result += [{"index": _slice(text, s, e), "mention": handle}
               for s, e, handle in mentions(text)]
    return sorted(result, key=lambda f: f["index"]["byteStart"])


def resolved(stored, resolve):
    """The facets as the record carries them: each mention's handle resolved to a DID by
    `resolve(handle)`; a handle without one is dropped (the text stays as written)."""
    out = []
    for facet in stored:
        if "mention" not in facet:
            out.append(facet)
            continue
        did = resolve(facet["mention"])
        if did:
            out.append({"index": facet["index"], "features": [{"$type": MENTION, "did": did}]})
    return out
