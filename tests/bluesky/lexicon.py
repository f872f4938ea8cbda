"""createRecord's checks of an app.bsky.feed.post record, as the lexicons say
(app.bsky.feed.post, app.bsky.richtext.facet, app.bsky.embed.images / external / defs,
com.atproto.repo.strongRef; record keys per atproto.com/specs/record-key and /specs/tid).
Stricter than the PDS where the test wants to know: a facet must land on exactly the text it
marks (the link's address, "@" and the handle, "#" and the tag)."""
import re

import regex

TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
MAX_GRAPHEMES, MAX_BYTES, MAX_IMAGES, MAX_BLOB = 300, 3000, 4, 1_000_000
FEATURES = {"app.bsky.richtext.facet#link", "app.bsky.richtext.facet#mention",
            "app.bsky.richtext.facet#tag"}


def check_create(body, did, records, blobs):
    """The reason a createRecord body is refused, or None."""
    if body.get("repo") not in (did, "partiet.bsky.social"):
        return "Input/repo must be the session's account"
    if body.get("collection") != "app.bsky.feed.post":
        return "Input/collection must be app.bsky.feed.post"
    if not TID_RE.match(body.get("rkey") or ""):
        return "Invalid record key: TID syntax not valid (regex)"
    record = body.get("record")
    if not isinstance(record, dict) or record.get("$type") != "app.bsky.feed.post":
        return "Invalid record: $type must be app.bsky.feed.post"
    for check in (_text, _created_at, _facets, _reply, _embed):
        problem = check(record, records, blobs)
        if problem:
            return f"Invalid app.bsky.feed.post record: {problem}"
    return None


def _text(record, records, blobs):
    text = record.get("text")
    if not isinstance(text, str):
        return "Record must have the property \"text\""
    if len(text.encode()) > MAX_BYTES:
        return f"Record/text must not be longer than {MAX_BYTES} characters"
    if len(regex.findall(r"\X", text)) > MAX_GRAPHEMES:
        return f"Record/text must not be longer than {MAX_GRAPHEMES} graphemes"
    return None


def _created_at(record, records, blobs):
    if not DATETIME_RE.match(str(record.get("createdAt") or "")):
        return "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)"
    return None


def _facets(record, records, blobs):
    data = record["text"].encode()
    for number, facet in enumerate(record.get("facets") or []):
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end
                <= len(data)):
            return f"Record/facets/{number}/index is outside the text"
        try:
            marked = data[start:end].decode()
        except UnicodeDecodeError:
            return f"Record/facets/{number}/index cuts a character in two"
        problem = _feature(facet.get("features") or [], marked)
        if problem:
            return f"Record/facets/{number}: {problem}"
    return None


def _feature(features, marked):
    if len(features) != 1 or features[0].get("$type") not in FEATURES:
        return "features must be one link, mention or tag"
    feature = features[0]
    kind = feature["$type"].rsplit("#", 1)[1]
    if kind == "link" and not (feature.get("uri", "").startswith(("http://", "https://"))
                               and marked == feature["uri"]):
        return f"link {feature.get('uri')!r} does not mark its address ({marked!r})"
    if kind == "mention" and not (str(feature.get("did", "")).startswith("did:")
                                  and marked.startswith("@")):
        return f"mention {feature.get('did')!r} does not mark a handle ({marked!r})"
    if kind == "tag" and marked not in ("#" + str(feature.get("tag")),
                                        "＃" + str(feature.get("tag"))):
        return f"tag {feature.get('tag')!r} does not mark its hashtag ({marked!r})"
    return None


def _reply(record, records, blobs):
    reply = record.get("reply")
    if reply is None:
        return None
    for name in ("root", "parent"):
        ref = reply.get(name) or {}
        rkey = str(ref.get("uri", "")).rsplit("/", 1)[-1]
        stored = records.get(rkey)
        if stored is None or stored["uri"] != ref.get("uri") or stored["cid"] != ref.get("cid"):
            return f"Record/reply/{name} must be a strong ref to an existing post"
    return None


def _blob(blob, blobs, path):
    if not isinstance(blob, dict) or blob.get("$type") != "blob":
        return f"{path} must be a blob"
    data = blobs.get((blob.get("ref") or {}).get("$link"))
    if data is None:
        return f"Could not find blob: {(blob.get('ref') or {}).get('$link')}"
    if len(data) > MAX_BLOB or not str(blob.get("mimeType")).startswith("image/"):
        return f"{path} is not an image within {MAX_BLOB} bytes"
    return None


def _embed(record, records, blobs):
    embed = record.get("embed")
    if embed is None:
        return None
    if embed.get("$type") == "app.bsky.embed.images":
        images = embed.get("images")
        if not isinstance(images, list) or not 1 <= len(images) <= MAX_IMAGES:
            return "Record/embed/images must have 1 to 4 images"
        for number, image in enumerate(images):
            if not isinstance(image.get("alt"), str):
                return f"Record/embed/images/{number} must have the property \"alt\""
            ratio = image.get("aspectRatio")
            if ratio is not None and not (ratio.get("width", 0) >= 1
                                          and ratio.get("height", 0) >= 1):
                return f"Record/embed/images/{number}/aspectRatio must be at least 1x1"
            problem = _blob(image.get("image"), blobs, f"Record/embed/images/{number}/image")
            if problem:
                return problem
        return None
    if embed.get("$type") == "app.bsky.embed.external":
        external = embed.get("external") or {}
        for name in ("uri", "title", "description"):
            if not isinstance(external.get(name), str):
                return f"Record/embed/external must have the property \"{name}\""
        if "thumb" in external:
            return _blob(external["thumb"], blobs, "Record/embed/external/thumb")
        return None
    return f"Record/embed has an unknown type {embed.get('$type')!r}"
