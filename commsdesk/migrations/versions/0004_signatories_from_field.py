"""signatories from the op-ed field

Op-eds and letters had a "Signatories (one per line)" text field beside the document's
signatory list; the list is now the only one. A document whose current revision has that
text and that has no signatories yet gets one signatory of the owning organisation per line,
in the order written (the whole line as the name: its form was never fixed). Revisions are
not changed: their content and content hash are the record of what was approved.

Revision ID: 4e1f0c7a9b21
Revises: 7d0eb0bd0af8
Create Date: 2026-12-04 14:05:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4e1f0c7a9b21'
down_revision = '7d0eb0bd0af8'
branch_labels = None
depends_on = None

MAX_NAME = 200
MAX_SIGNATORIES = 100

documents = sa.table(
    'documents', sa.column('id', sa.Integer), sa.column('organisation_id', sa.Integer),
    sa.column('kind', sa.String), sa.column('current_revision_id', sa.Integer))
revisions = sa.table('revisions', sa.column('id', sa.Integer), sa.column('content', sa.JSON))
signatories = sa.table(
    'signatories', sa.column('id', sa.Integer), sa.column('document_id', sa.Integer),
    sa.column('organisation_id', sa.Integer), sa.column('name', sa.String),
    sa.column('title', sa.String), sa.column('position', sa.Integer))


def _names(content):
    """The non-empty lines of a revision's signatories field, as names."""
    value = ((content or {}).get('fields') or {}).get('signatories')
    if isinstance(value, list):
        value = "\n".join(str(v) for v in value)
    if not isinstance(value, str):
        return []
    names = [line.strip()[:MAX_NAME] for line in value.splitlines()]
    return [n for n in names if n][:MAX_SIGNATORIES]


def upgrade():
    bind = op.get_bind()
    signed = sa.select(signatories.c.document_id).distinct()
    rows = bind.execute(
        sa.select(documents.c.id, documents.c.organisation_id, revisions.c.content)
        .join(revisions, revisions.c.id == documents.c.current_revision_id)
        .where(documents.c.kind.in_(('op_ed', 'letter')), documents.c.id.not_in(signed))
        .order_by(documents.c.id)
    ).all()
    for document_id, organisation_id, content in rows:
        names = _names(content)
        if names:
            bind.execute(signatories.insert(), [
                {'document_id': document_id, 'organisation_id': organisation_id,
                 'name': name, 'title': '', 'position': number}
                for number, name in enumerate(names, start=1)])


def downgrade():
    # The signatories stay: they may have been edited since, and the field text is still in
    # the revisions.
    pass
