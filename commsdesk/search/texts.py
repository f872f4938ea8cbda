"""What of a document or an item is searched, and the index row made of it (plain values
in, plain values out: the index, the re-index command and migration 0019 share these)."""
from .. import stemming
from ..models.search import KIND_BITS


def document_texts(title, content):
    """(title, body) of a document's current revision: the body is its lead, body, the
    kind's fields and the platform variants, as the editor shows them."""
    content = content or {}
    parts = [content.get("lead"), content.get("body")]
    parts += [str(v) for v in (content.get("fields") or {}).values() if v]
    parts += [v for v in (content.get("variants") or {}).values() if v]
    return title or content.get("title") or "", "\n\n".join(p for p in parts if p)


def item_texts(title, text, pages=None):
    """(title, body) of a monitored item: its text, or a PDF's pages one after another."""
    body = text or "\n\n".join(p for p in (pages or ()) if p)
    return title or "", body


def key(kind, ref_id):
    """The index row's rowid for a document or item."""
    return ref_id * 2 + KIND_BITS[kind]


def row(kind, ref_id, organisation_id, title, body, language):
    """The index row: the stems of title and body (never the text itself)."""
    return {"rowid": key(kind, ref_id), "kind": kind, "ref_id": ref_id,
            "organisation_id": organisation_id,
            "title": stemming.stems(title, language), "body": stemming.stems(body, language)}
