"""meeting rsvps

Answers to meeting notices: one row per recipient and meeting.

Revision ID: f7a2d1c3e4b5
Revises: e6f1c0b2d3a4
Create Date: 2026-11-26 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import commsdesk.models.base


# revision identifiers, used by Alembic.
revision = 'f7a2d1c3e4b5'
down_revision = 'e6f1c0b2d3a4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('mailing_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=False),
    sa.Column('at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_meeting_rsvps_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mailing_id'], ['mailings.id'], name=op.f('fk_meeting_rsvps_mailing_id_mailings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_meeting_rsvps_member_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_meeting_rsvps_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_rsvps')),
    sa.UniqueConstraint('document_id', 'email_hash', name=op.f('uq_meeting_rsvps_document_id_email_hash'))
    )
    with op.batch_alter_table('meeting_rsvps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_rsvps_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('meeting_rsvps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_rsvps_organisation_id'))
    op.drop_table('meeting_rsvps')
