"""The search index: one row per document or item (see commsdesk.search for the design).

On SQLite the table is an FTS5 virtual table, on PostgreSQL a plain table with a generated
tsvector column and a GIN index (migration 0019 makes either). Declared here with the
columns both share, so that Core statements work on both and tests empty it like any other."""
from sqlalchemy import BigInteger, Column, Integer, String, Table, Text

from ..extensions import db

# rowid = ref_id * 2 + KIND_BITS[kind]: one key per row, the same on both databases, so that
# replacing or removing a row is one primary-key lookup (FTS5 cannot index other columns).
KIND_BITS = {"documents": 0, "items": 1}

search_index = Table(
    "search_index", db.metadata,
    Column("rowid", BigInteger, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),        # stems of the title
    Column("body", Text, nullable=False),         # stems of the rest of the text
    Column("kind", String(20), nullable=False),   # documents | items
    Column("ref_id", Integer, nullable=False),
    Column("organisation_id", Integer, nullable=False),
)
