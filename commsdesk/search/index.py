"""Keeping the search index current: a document's row is replaced whenever its current
revision changes, an item's whenever a poll stores it new or changed."""
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Document, Item, search_index
from . import texts

BATCH = 1000


class Languages(dict):
    """The language of each organisation's texts, asked once per batch."""

    def __missing__(self, organisation_id):
        from ..monitoring import watch

        self[organisation_id] = watch.language(organisation_id)
        return self[organisation_id]


def document_row(doc, languages):
    """The index row of a document (its current revision's text)."""
    content = doc.current_revision.content if doc.current_revision else {}
    return texts.row("documents", doc.id, doc.organisation_id,
                     *texts.document_texts(doc.title, content), languages[doc.organisation_id])


def item_row(item, languages):
    """The index row of a monitored item."""
    return texts.row("items", item.id, item.organisation_id,
                     *texts.item_texts(item.title, item.text, item.pages),
                     languages[item.organisation_id])


def replace(rows):
    """Put these rows in the index in place of any with the same keys (the caller commits)."""
    if not rows:
        return
    db.session.execute(delete(search_index).where(
        search_index.c.rowid.in_([r["rowid"] for r in rows])))
    db.session.execute(insert(search_index), rows)


def remove(kind, ids):
    """Take these documents or items out of the index (the caller commits)."""
    keys = [texts.key(kind, i) for i in ids]
    if keys:
        db.session.execute(delete(search_index).where(search_index.c.rowid.in_(keys)))


def reindex_all(batch=BATCH):
    """Rebuild the whole index from the documents and items: {kind: rows written}."""
    db.session.execute(delete(search_index))
    languages, counts = Languages(), {"documents": 0, "items": 0}
    for kind, model, make in (("documents", Document, document_row),
                              ("items", Item, item_row)):
        last = 0
        while True:
            statement = select(model).where(model.id > last).order_by(model.id).limit(batch)
            if model is Document:
                statement = statement.options(selectinload(Document.current_revision))
            rows = db.session.execute(statement).scalars().all()
            if not rows:
                break
            db.session.execute(insert(search_index), [make(r, languages) for r in rows])
            counts[kind] += len(rows)
            last = rows[-1].id
            db.session.expunge_all()  # keep memory flat over 100,000 rows
    db.session.commit()
    return counts
