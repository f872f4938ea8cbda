"""newspaper submissions

The outlets an organisation offers op-eds and letters to (debate-desk address, length
limit, exclusivity, typical reply time), and each offer of an approved revision to one
outlet with what became of it.

Revision ID: b3c8f7e9a0d1
Revises: a2b7e6d8f9c0
Create Date: 2026-11-30 10:05:12.114027

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c8f7e9a0d1'
down_revision = 'a2b7e6d8f9c0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outlets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('length_limit', sa.Integer(), nullable=True),
    sa.Column('wants_exclusive', sa.Boolean(), nullable=False),
    sa.Column('exclusivity_note', sa.Text(), nullable=False),
    sa.Column('reply_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_outlets_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outlets')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_outlets_organisation_id_name'))
    )
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outlets_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('exclusive', sa.Boolean(), nullable=False),
    sa.Column('offered_at', sa.DateTime(), nullable=False),
    sa.Column('reply_by', sa.DateTime(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('published_url', sa.String(length=1000), nullable=True),
    sa.Column('presentation', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('email_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_submissions_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_submissions_document_id_documents'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['email_id'], ['outgoing_emails.id'], name=op.f('fk_submissions_email_id_outgoing_emails'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_submissions_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name=op.f('fk_submissions_outlet_id_outlets'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_submissions_revision_id_revisions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_outlet_id'), ['outlet_id'], unique=False)
        batch_op.create_index('ix_submissions_state_reply_by', ['state', 'reply_by'], unique=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_state_reply_by')
        batch_op.drop_index(batch_op.f('ix_submissions_outlet_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_document_id'))

    op.drop_table('submissions')
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outlets_organisation_id'))

    op.drop_table('outlets')
