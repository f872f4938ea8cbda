"""What every social network's adapter posts, formatted once at enqueue: the text for that
platform, split into a numbered thread when it is over the platform's limit (or refused with
the count where the platform has no threads), the images with their alt text, and the link.

A social post goes out as written for each platform: its variant for that platform, else its
body. A longer text (a press release, an article, an op-ed) is announced: its title, its
lead and the link to its page in the organisation's newsroom.

Counting follows kinds.platform_length (graphemes on Bluesky, 23 per link on Mastodon), so
a part never goes over the limit the platform itself enforces."""
import regex
from flask import current_app
from flask_babel import gettext as _

from ..errors import ValidationError
from ..extensions import db
from ..kinds import PLATFORMS, URL_RE, platform_length
from ..models import Media, Rendition
from .website import newsroom_path, slugify

# Kinds a social channel posts: social posts as written, the others announced with a link.
KINDS = frozenset({"social_post", "press_release", "web_article", "op_ed", "letter"})
# Room kept in every part of a thread for its number (" 12/12").
NUMBER_ROOM = 6
MAX_PARTS = 25
TOKEN_RE = regex.compile(r"\S+\s*")
SENTENCE_END = regex.compile(r"[.!?…:;]['\"”’)]*\s*$")


def post_text(doc, revision, platform_key):
    """The whole text for one platform, before any splitting."""
    content = revision.content
    if doc.kind == "social_post":
        variants = content.get("variants") or {}
        text = (variants.get(platform_key) or "").strip() or (content.get("body") or "").strip()
        if not text:
            raise ValidationError(
                _("The post has no text for %(platform)s: write its variant or a body.",
                  platform=PLATFORMS[platform_key].label), field=f"variants.{platform_key}")
        return text
    parts = [content["title"].strip(), (content.get("lead") or "").strip()]
    return "\n\n".join(p for p in (*parts, newsroom_link(doc, revision)) if p)


def newsroom_link(doc, revision):
    """The absolute address of the text's page in its organisation's newsroom."""
    base = current_app.config["BASE_URL"].rstrip("/")
    slug = slugify(revision.content["title"])
    return base + newsroom_path(doc.organisation.slug, doc.id, slug)


def first_link(text):
    """The first web address in a text (for a link card), or None."""
    match = URL_RE.search(text or "")
    return match.group(0).rstrip(".,;:!?)]}”’'\"") if match else None


def split(text, platform, threads=True, max_parts=MAX_PARTS):
    """The text as one post, or as numbered parts ("… 1/3") each within the platform's
    limit. Without threads, or beyond `max_parts`, a text over the limit is refused with
    its count."""
    used = platform_length(platform, text)
    if used <= platform.limit:
        return [text]
    if not threads:
        raise ValidationError(
            _("The text for %(platform)s is %(used)d characters; %(platform)s allows "
              "%(limit)d and has no threads. Shorten it.", platform=platform.label,
              used=used, limit=platform.limit), field=f"variants.{platform.key}")
    chunks = _chunks(text, platform, platform.limit - NUMBER_ROOM)
    if len(chunks) > max_parts:
        raise ValidationError(
            _("The text for %(platform)s would need %(count)d posts in a thread; at most "
              "%(max)d are posted. Shorten it.", platform=platform.label, count=len(chunks),
              max=max_parts), field=f"variants.{platform.key}")
    total = len(chunks)
    return [f"{chunk} {number}/{total}" for number, chunk in enumerate(chunks, 1)]


def _fits(platform, text, budget):
    return platform_length(platform, text.strip()) <= budget


def _chunks(text, platform, budget):
    """Greedy by words, cutting at the last sentence end in the second half of a full
    part when there is one; a word longer than a part is cut by characters."""
    chunks, current = [], []
    for token in _tokens(text, platform, budget):
        if current and not _fits(platform, "".join(current) + token, budget):
            cut = _sentence_cut(current)
            chunks.append("".join(current[:cut]).strip())
            current = current[cut:]
        current.append(token)
    if current:
        chunks.append("".join(current).strip())
    return [c for c in chunks if c]


def _sentence_cut(tokens):
    for index in range(len(tokens) - 1, len(tokens) // 2 - 1, -1):
        if SENTENCE_END.search(tokens[index]) or "\n\n" in tokens[index]:
            return index + 1
    return len(tokens)


def _tokens(text, platform, budget):
    for token in TOKEN_RE.findall(text):
        while not _fits(platform, token, budget):
            graphemes = regex.findall(r"\X", token)
            head = "".join(graphemes[:budget])
            yield head + " "
            token = "".join(graphemes[budget:])
        yield token


def images(doc, rendition, limit):
    """The document's first images as a payload carries them: id, alt text, the rendition
    the platform wants."""
    from .. import media  # media reaches workflow, which queues through channels

    return [{"media_id": row.media_id, "alt": row.media.alt_text, "rendition": rendition,
             "width": row.media.width, "height": row.media.height}
            for row in media.attached(doc)[:limit]]


def image_bytes(image):
    """The JPEG bytes of an image's rendition (made now if the worker has not yet)."""
    from ..media import images as imaging

    rendition = db.session.execute(
        db.select(Rendition).where(Rendition.media_id == image["media_id"],
                                   Rendition.name == image["rendition"],
                                   Rendition.state == "done")).scalar_one_or_none()
    if rendition is not None and rendition.data:
        return rendition.data
    original = db.session.get(Media, image["media_id"])
    if original is None:
        raise ValidationError(_("An image of this text was deleted from the media library."))
    data, _width, _height = imaging.render(original.data, (image["rendition"],))[
        image["rendition"]]
    return data


def payload(doc, revision, platform_key, *, threads=True, rendition="large", max_images=4,
            max_parts=MAX_PARTS):
    """The frozen payload of a social channel: text, parts, link, images and the record
    (organisation, revision, content hash)."""
    platform = PLATFORMS[platform_key]
    text = post_text(doc, revision, platform_key)
    fields = revision.content.get("fields") or {}
    link = first_link(text)
    return {
        "kind": doc.kind,
        "platform": platform_key,
        "title": revision.content["title"],
        "text": text,
        "parts": split(text, platform, threads, max_parts),
        "link": link,
        "content_warning": (fields.get("content_warning") or "").strip(),
        "images": images(doc, rendition, max_images),
        "organisation": doc.organisation.name,
        "revision": revision.number,
        "content_hash": revision.content_hash,
    }
