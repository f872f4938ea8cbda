"""The page's search results: the rows found, loaded with what is shown (titles, text for
snippets, dates, where from), highlighted where the words match."""
from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.routing import BuildError

from .. import kinds as doc_kinds
from .. import stemming
from ..access import visible_to
from ..extensions import db
from ..models import Document, Item
from . import texts

SNIPPET_WIDTH = 200


def build(user, rows, terms, language):
    """Result objects for rows [(kind, ref_id, score)], in their order; rows that are gone
    (or no longer visible) are left out."""
    from .querying import Result

    ids = {kind: [r.ref_id for r in rows if r.kind == kind] for kind in ("documents", "items")}
    loaded = {("documents", d.id): d for d in _documents(user, ids["documents"])}
    loaded.update({("items", i.id): i for i in _items(user, ids["items"])})
    out = []
    for row in rows:
        obj = loaded.get((row.kind, row.ref_id))
        if obj is None:
            continue
        title, body, when, source = _document(obj) if row.kind == "documents" else _item(obj)
        out.append(Result(
            kind=row.kind, id=obj.id, rank=round(float(row.score), 6), when=when,
            link=getattr(obj, "link", ""),
            source=source, title=stemming.highlight(title, stemming.find(title, terms, language)),
            snippet=stemming.snippet(body, stemming.find(body, terms, language),
                                     SNIPPET_WIDTH)))
    return out


def _documents(user, ids):
    if not ids:
        return []
    return db.session.execute(select(Document).where(Document.id.in_(ids), visible_to(user))
                              .options(joinedload(Document.current_revision))).scalars().all()


def _items(user, ids):
    if not ids:
        return []
    return db.session.execute(select(Item).where(
        Item.id.in_(ids), Item.organisation_id == user.organisation_id)
        .options(selectinload(Item.source))).scalars().all()


def _document(doc):
    content = doc.current_revision.content if doc.current_revision else {}
    title, body = texts.document_texts(doc.title, content)
    kind = doc_kinds.KINDS.get(doc.kind)
    return title, body, doc.updated_at, str(kind.label) if kind else doc.kind


def _item(item):
    title, body = texts.item_texts(item.title, item.text, item.pages)
    return title, body, item.published_at or item.fetched_at, \
        item.source.name if item.source else ""


def url(result):
    """The page of a result's document or item."""
    if result.kind == "documents":
        return url_for("documents.show", document_id=result.id)
    try:
        return url_for("monitoring.item", item_id=result.id)
    except BuildError:  # until the item pages (monitoring.item) exist: the original
        return result.link or url_for("search.index")
