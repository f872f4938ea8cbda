"""One search over documents and monitored items.

Design:
- Index. One row per document and per item (models.search: search_index) holding the
  *stems* of its title and of the rest of its text (commsdesk.stemming, in the
  organisation's language, watch.language), never the text itself: the same word forms match
  as in watch lists ("förskola" finds "förskolan", "förskolor"). On SQLite an FTS5 virtual
  table (ranked with bm25, the title weighing five times the body), on PostgreSQL a table
  with a generated tsvector of the stems under the 'simple' configuration (the stems are
  already Swedish, so no second stemming) and a GIN index, ranked with ts_rank_cd (title
  weight A, body B). The rowid is ref_id * 2 + kind, so a row is replaced by its key.
- Upkeep. documents._add_revision (every new current revision: create, save, restore)
  calls index_document; monitoring.items.store calls index_items; `flask search reindex`
  rebuilds everything; migration 0019 fills the index for the rows that exist.
- Queries. The user's text is never handed to FTS5 or to_tsquery as syntax: it is cut to
  MAX_QUERY characters and split into words (every word must match, in any form) and
  "quoted phrases" (their words in that order, in any form); each becomes a quoted FTS5
  string of stems or a phraseto_tsquery, so quotes, NEAR, *, :, -, parentheses are text.
- Cost. The index is asked first, newest rows first, with the tenancy filter on the rows
  it finds (an item: the user's organisation; a document: the user's organisation or one
  shared with it), and stops after CANDIDATES visible matches; those are ranked and paged.
  A search thus costs the same with 1,000 or 100,000 rows: a word in more than CANDIDATES
  texts ranks its newest CANDIDATES, and the total then reads "more than" (capped).
- Results carry the title and a snippet highlighted where the words match in the original
  text (stemming.find/snippet), loaded only for the page shown.
"""
from .index import reindex_all, remove
from .querying import CANDIDATES, Page, Result, document_ids, parse, query

__all__ = ["CANDIDATES", "Page", "Result", "document_ids", "index_document", "index_items",
           "parse", "query", "reindex_all", "remove_document", "remove_item"]


def index_items(items):
    """Put these items into the search index (replaces their rows; the caller commits)."""
    from .index import Languages, item_row, replace

    languages = Languages()
    replace([item_row(item, languages) for item in items if item.id is not None])


def index_document(doc):
    """Index a document's current revision in place of what was indexed (the caller
    commits)."""
    from .index import Languages, document_row, replace

    replace([document_row(doc, Languages())])


def remove_document(doc_id):
    """Take a document out of the index (the caller commits)."""
    remove("documents", [doc_id])


def remove_item(item_id):
    """Take an item out of the index (the caller commits)."""
    remove("items", [item_id])
