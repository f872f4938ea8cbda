"""search index

One full-text index over documents and monitored items, holding Swedish (or the
organisation's language's) stems: an FTS5 virtual table on SQLite, a table with a generated
tsvector column and a GIN index on PostgreSQL. Filled here from the rows that exist.

Revision ID: b2c3d4e5f6a7
Revises: a1b2c3d4e5f6
Create Date: 2026-11-29 09:00:00.000000

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2c3d4e5f6a7'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None

SQLITE = """CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, kind UNINDEXED, ref_id UNINDEXED, organisation_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 0')"""
POSTGRESQL = [
    """CREATE TABLE search_index (
        rowid BIGINT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,
        kind VARCHAR(20) NOT NULL, ref_id INTEGER NOT NULL, organisation_id INTEGER NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title), 'A')
            || setweight(to_tsvector('simple'::regconfig, body), 'B')) STORED)""",
    "CREATE INDEX ix_search_index_tsv ON search_index USING gin (tsv)",
    "CREATE INDEX ix_search_index_org ON search_index (organisation_id)",
]


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        op.execute(SQLITE)
    else:
        for statement in POSTGRESQL:
            op.execute(statement)
    _fill(bind)


def _fill(bind):
    # Plain SQL, not the models: later migrations may add columns the models then expect.
    from commsdesk.search.texts import document_texts, item_texts, row

    languages = dict(bind.execute(sa.text(
        "SELECT organisation_id, value FROM organisation_settings "
        "WHERE name = 'brand.locale'")).all())
    rows = []
    for doc_id, org_id, title, content in bind.execute(sa.text(
            "SELECT d.id, d.organisation_id, d.title, r.content FROM documents d "
            "JOIN revisions r ON r.id = d.current_revision_id")):
        content = json.loads(content) if isinstance(content, str) else content
        rows.append(row('documents', doc_id, org_id, *document_texts(title, content),
                        languages.get(org_id, 'sv')))
    for item_id, org_id, title, text, pages in bind.execute(sa.text(
            "SELECT id, organisation_id, title, text, pages FROM monitor_items")):
        pages = json.loads(pages) if isinstance(pages, str) else pages
        rows.append(row('items', item_id, org_id, *item_texts(title, text, pages),
                        languages.get(org_id, 'sv')))
    if rows:
        bind.execute(sa.text(
            "INSERT INTO search_index (rowid, title, body, kind, ref_id, organisation_id) "
            "VALUES (:rowid, :title, :body, :kind, :ref_id, :organisation_id)"), rows)


def downgrade():
    op.execute("DROP TABLE search_index")
