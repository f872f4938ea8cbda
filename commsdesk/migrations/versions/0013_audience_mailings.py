"""audience and mailings

Members, segments, press contacts and lists, the suppression list (hashes only), and
email send-outs with one delivery row per recipient.

Revision ID: e6f1c0b2d3a4
Revises: d5e0b9a1c2f3
Create Date: 2026-11-26 22:31:51.883906

"""
from alembic import op
import sqlalchemy as sa

import commsdesk.models.base


# revision identifiers, used by Alembic.
revision = 'e6f1c0b2d3a4'
down_revision = 'd5e0b9a1c2f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('branch', sa.String(length=200), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('consent_source', sa.String(length=200), nullable=True),
    sa.Column('consent_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('consent_text', sa.Text(), nullable=True),
    sa.Column('confirmed_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('member_since', sa.Date(), nullable=True),
    sa.Column('soft_bounces', sa.Integer(), nullable=False),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_members_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('organisation_id', 'email', name=op.f('uq_members_organisation_id_email'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_organisation_state', ['organisation_id', 'state'], unique=False)

    op.create_table('press_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('outlet', sa.String(length=200), nullable=True),
    sa.Column('beat', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_press_contacts_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_press_contacts')),
    sa.UniqueConstraint('organisation_id', 'email', name=op.f('uq_press_contacts_organisation_id_email'))
    )
    with op.batch_alter_table('press_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_press_contacts_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('press_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_press_lists_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_press_lists')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_press_lists_organisation_id_name'))
    )
    with op.batch_alter_table('press_lists', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_press_lists_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('segments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_segments_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segments')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_segments_organisation_id_name'))
    )
    with op.batch_alter_table('segments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_segments_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('suppressions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_suppressions_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppressions')),
    sa.UniqueConstraint('organisation_id', 'email_hash', name=op.f('uq_suppressions_organisation_id_email_hash'))
    )
    op.create_table('press_list_contacts',
    sa.Column('press_list_id', sa.Integer(), nullable=False),
    sa.Column('press_contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['press_contact_id'], ['press_contacts.id'], name=op.f('fk_press_list_contacts_press_contact_id_press_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['press_list_id'], ['press_lists.id'], name=op.f('fk_press_list_contacts_press_list_id_press_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('press_list_id', 'press_contact_id', name=op.f('pk_press_list_contacts'))
    )
    op.create_table('mailings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('html_template', sa.Text(), nullable=True),
    sa.Column('text_template', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('paused_reason', sa.Text(), nullable=True),
    sa.Column('due_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('started_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('finished_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('opens', sa.Integer(), nullable=False),
    sa.Column('clicks', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mailings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_mailings_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_mailings_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_mailings_revision_id_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailings'))
    )
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailings_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailings_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_mailings_state_due', ['state', 'due_at'], unique=False)

    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailing_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('press_contact_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_attempt_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('sent_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['mailing_id'], ['mailings.id'], name=op.f('fk_deliveries_mailing_id_mailings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_deliveries_member_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['press_contact_id'], ['press_contacts.id'], name=op.f('fk_deliveries_press_contact_id_press_contacts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('message_id', name=op.f('uq_deliveries_message_id'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_mailing_state', ['mailing_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_member_id'), ['member_id'], unique=False)



def downgrade():
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_member_id'))
        batch_op.drop_index('ix_deliveries_mailing_state')

    op.drop_table('deliveries')
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.drop_index('ix_mailings_state_due')
        batch_op.drop_index(batch_op.f('ix_mailings_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_mailings_document_id'))

    op.drop_table('mailings')
    op.drop_table('press_list_contacts')
    op.drop_table('suppressions')
    with op.batch_alter_table('segments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_segments_organisation_id'))

    op.drop_table('segments')
    with op.batch_alter_table('press_lists', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_press_lists_organisation_id'))

    op.drop_table('press_lists')
    with op.batch_alter_table('press_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_press_contacts_organisation_id'))

    op.drop_table('press_contacts')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_organisation_state')

    op.drop_table('members')
