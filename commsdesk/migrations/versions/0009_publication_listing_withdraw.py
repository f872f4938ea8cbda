"""publication listing fields and withdrawal state

The newsroom's lists read a text's kind, title, lead, path and card image from columns of
its publication (copied from the frozen payload at enqueue; existing rows are filled from
their payload here), and a withdrawal on another platform is recorded on the row before the
worker does it (withdraw_state pending|done|failed, its error, attempts and next time).

Revision ID: a2b7e6d8f9c0
Revises: f1a6d5c7e8b9
Create Date: 2026-12-02 10:00:00.000000

"""
import json

from alembic import op
import sqlalchemy as sa

import commsdesk.models.base


# revision identifiers, used by Alembic.
revision = 'a2b7e6d8f9c0'
down_revision = 'f1a6d5c7e8b9'
branch_labels = None
depends_on = None

LISTING = ('kind', 'title', 'lead', 'path', 'card_image')


def upgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdraw_state', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('withdraw_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('withdraw_attempts', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('withdraw_due_at', commsdesk.models.base.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('title', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('lead', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('path', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('card_image', sa.String(length=1000), nullable=True))
    _backfill()


def _listing(payload):
    # The same rule as publishing.outbox.listing_fields, frozen here as of this migration.
    images = payload.get('images') or []
    card = payload.get('card_image')
    if not card and images:
        card = (images[0].get('renditions') or {}).get('card')
    return {'kind': payload.get('kind'), 'title': payload.get('title'),
            'lead': payload.get('lead'), 'path': payload.get('path'), 'card_image': card}


def _backfill():
    conn = op.get_bind()
    table = sa.table('publications', sa.column('id', sa.Integer), sa.column('payload', sa.JSON),
                     *(sa.column(name) for name in LISTING))
    rows = conn.execute(sa.select(table.c.id, table.c.payload)).all()
    for row_id, payload in rows:
        if isinstance(payload, str):
            payload = json.loads(payload)
        conn.execute(table.update().where(table.c.id == row_id)
                     .values(**_listing(payload or {})))


def downgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        for name in ('card_image', 'path', 'lead', 'title', 'kind', 'withdraw_due_at',
                     'withdraw_attempts', 'withdraw_error', 'withdraw_state'):
            batch_op.drop_column(name)
