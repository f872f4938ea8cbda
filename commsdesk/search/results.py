"""The page's search results: the rows found, loaded with what is shown (titles, text for
snippets, dates, where from), highlighted where the words match."""
import re

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
# Snowball algorithms that only take endings off: a word's stem is the start of the word.
PREFIX_STEMMERS = {"swedish", "norwegian", "danish"}


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
            source=source, title=stemming.highlight(title, spans(title, terms, language)),
            snippet=stemming.snippet(body, spans(body, terms, language), SNIPPET_WIDTH)))
    return out


def spans(text, terms, language):
    """stemming.find's spans, found faster where a stem is always the start of its word
    (Swedish, Norwegian): a regular expression finds the words that begin with a searched
    stem, and only those are stemmed, instead of every word of the text."""
    if (stemming.ALGORITHMS.get(language, "swedish") not in PREFIX_STEMMERS
            or any(len(t.keys) > 1 for t in terms)):
        return stemming.find(text, terms, language)
    wanted = {t.keys[0]: t for t in terms}
    pattern = re.compile(r"\b(?:{})\w*".format("|".join(
        re.escape(k) for k in sorted(wanted, key=len, reverse=True))), re.IGNORECASE)
    return [(m.start(), m.end(), wanted[stem]) for m in pattern.finditer(text or "")
            if (stem := stemming.stem(m.group(), language)) in wanted]


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
