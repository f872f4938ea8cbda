"""channel health and send progress

A channel remembers who connected it and whether the platform refused its credentials
(it then needs reconnecting); a publication records the steps of a multi-step send.

Revision ID: f1a6d5c7e8b9
Revises: c7e3a2f4d5b6
Create Date: 2026-11-26 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a6d5c7e8b9'
down_revision = 'c7e3a2f4d5b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('problem', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('problem_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_channels_owner_id_users'), 'users',
                                    ['owner_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_column('progress')
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_channels_owner_id_users'), type_='foreignkey')
        batch_op.drop_column('problem_at')
        batch_op.drop_column('problem')
        batch_op.drop_column('owner_id')
