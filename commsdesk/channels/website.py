"""The newsroom channel: the organisation's own public pages and feeds, served by this app.
Sending makes the frozen payload the text's public version; nothing leaves the machine."""
import re
import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..rendering import render_markdown
from .base import Adapter, SendResult

MAX_SLUG = 80


def slugify(title):
    """A URL-safe, readable slug: "Ny förskola i Åby" -> "ny-forskola-i-aby"."""
    text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:MAX_SLUG].rstrip("-") or "text"


def newsroom_path(organisation_slug, document_id, slug):
    """Where a text lives in its organisation's newsroom."""
    return f"/n/{organisation_slug}/{document_id}-{slug}"


def _signatories(doc):
    from .. import coalition  # coalition reaches workflow, which queues through channels

    return [{"name": s.name, "title": s.title or "", "organisation": s.organisation.name}
            for s in coalition.signatories(doc)]


def _first_published(doc, fields):
    """Where the text first appeared: the document's own fields, else the newspaper it was
    most recently published in through a submission ("first published in <outlet>")."""
    if fields.get("published_in"):
        return fields["published_in"], fields.get("published_url") or ""
    from .. import submissions  # submissions reach workflow, which queues through channels

    published = submissions.newest_published(doc) if doc.kind in submissions.KINDS else None
    if published is None:
        return "", fields.get("published_url") or ""
    return published.outlet.name, fields.get("published_url") or published.published_url or ""


class WebsiteAdapter(Adapter):
    type = "website"
    label = _l("Newsroom")
    kinds = frozenset({"press_release", "op_ed", "letter", "web_article"})
    supports_images = True
    can_look_up = True

    def format(self, doc, revision, channel):
        from .. import media  # media reaches workflow, which queues through channels

        content = revision.content
        fields = content.get("fields") or {}
        published_in, published_url = _first_published(doc, fields)
        slug = slugify(content["title"])
        # The channel's organisation: a partner publishing a joint text does so in its own
        # newsroom, under its own name.
        organisation = channel.organisation if channel is not None else doc.organisation
        return {
            "kind": doc.kind,
            "title": content["title"],
            "lead": content.get("lead", ""),
            "body": content.get("body", ""),
            "html": render_markdown(content.get("body", "")),
            "tags": [t.name for t in doc.tags],
            "signatories": _signatories(doc),
            "contact": fields.get("contact") or "",
            "embargo_until": fields.get("embargo") or None,
            "published_in": published_in,
            "published_url": published_url,
            "organisation": organisation.name,
            "revision": revision.number,
            "content_hash": revision.content_hash,
            "slug": slug,
            "path": newsroom_path(organisation.slug, doc.id, slug),
            "images": media.images_payload(doc),
            "card_image": media.card_path(doc, content["title"]),
        }

    def send(self, channel, publication):
        base = current_app.config["BASE_URL"].rstrip("/")
        return SendResult(external_id=str(publication.document_id),
                          url=base + publication.payload["path"])

    def lookup(self, channel, publication):
        # Sending only marks the row; an interrupted attempt is simply made again.
        return None
