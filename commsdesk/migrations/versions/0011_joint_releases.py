"""joint releases

A joint text's coordinated embargo (one row per document: the time, who set it, and a hold
by any party's approver with its reason), and approvals an organisation took back.

Revision ID: c4d9a8f0b1e2
Revises: b3c8f7e9a0d1
Create Date: 2026-12-02 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d9a8f0b1e2'
down_revision = 'b3c8f7e9a0d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('joint_releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('embargo_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=True),
    sa.Column('held_by_id', sa.Integer(), nullable=True),
    sa.Column('hold_reason', sa.Text(), nullable=True),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_joint_releases_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_joint_releases_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['held_by_id'], ['users.id'], name=op.f('fk_joint_releases_held_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['released_by_id'], ['users.id'], name=op.f('fk_joint_releases_released_by_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_releases')),
    sa.UniqueConstraint('document_id', name=op.f('uq_joint_releases_document_id'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdraw_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_approvals_withdrawn_by_id_users'), 'users', ['withdrawn_by_id'], ['id'], ondelete='RESTRICT')


def downgrade():
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_approvals_withdrawn_by_id_users'), type_='foreignkey')
        batch_op.drop_column('withdraw_reason')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')

    op.drop_table('joint_releases')
