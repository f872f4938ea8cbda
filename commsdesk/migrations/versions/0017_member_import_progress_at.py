"""member import progress time

When a running member import last made progress, so one whose thread died is marked failed.

Revision ID: d2e7f6a8b9c0
Revises: b9c4f3e5a6d7
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import commsdesk.models.base


# revision identifiers, used by Alembic.
revision = 'd2e7f6a8b9c0'
down_revision = 'b9c4f3e5a6d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('member_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress_at', commsdesk.models.base.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('member_imports', schema=None) as batch_op:
        batch_op.drop_column('progress_at')
