"""monitoring

Sources (feeds and meeting-document pages), their checks, items, notes, watch lists and
matches; a draft can name the item it answers.

Revision ID: a1b2c3d4e5f6
Revises: d2e7f6a8b9c0
Create Date: 2026-11-27 01:33:32.450081

"""
from alembic import op
import sqlalchemy as sa

import commsdesk.models.base


# revision identifiers, used by Alembic.
revision = 'a1b2c3d4e5f6'
down_revision = 'd2e7f6a8b9c0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monitor_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('site_url', sa.String(length=2000), nullable=False),
    sa.Column('interval_minutes', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('next_poll_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_polled_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_success_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_monitor_sources_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_monitor_sources_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_sources')),
    sa.UniqueConstraint('organisation_id', 'url', name=op.f('uq_monitor_sources_organisation_id_url'))
    )
    with op.batch_alter_table('monitor_sources', schema=None) as batch_op:
        batch_op.create_index('ix_monitor_sources_due', ['active', 'next_poll_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_sources_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('watch_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('delivery', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_watch_lists_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_watch_lists_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_lists')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_watch_lists_organisation_id_name'))
    )
    with op.batch_alter_table('watch_lists', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_lists_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('monitor_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('dedup_key', sa.String(length=64), nullable=False),
    sa.Column('guid', sa.String(length=2000), nullable=False),
    sa.Column('link', sa.String(length=2000), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('author', sa.String(length=300), nullable=False),
    sa.Column('summary_html', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('pages', sa.JSON(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('published_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('fetched_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_monitor_items_assigned_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_monitor_items_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['monitor_sources.id'], name=op.f('fk_monitor_items_source_id_monitor_sources'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_items')),
    sa.UniqueConstraint('organisation_id', 'dedup_key', name=op.f('uq_monitor_items_organisation_id_dedup_key'))
    )
    with op.batch_alter_table('monitor_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitor_items_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index('ix_monitor_items_org_state_seen', ['organisation_id', 'state', 'fetched_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_items_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_items_source_id'), ['source_id'], unique=False)

    op.create_table('monitor_source_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('new_items', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['monitor_sources.id'], name=op.f('fk_monitor_source_checks_source_id_monitor_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_source_checks'))
    )
    with op.batch_alter_table('monitor_source_checks', schema=None) as batch_op:
        batch_op.create_index('ix_monitor_source_checks_source_at', ['source_id', 'at'], unique=False)

    op.create_table('watch_list_recipients',
    sa.Column('watch_list_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_watch_list_recipients_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['watch_list_id'], ['watch_lists.id'], name=op.f('fk_watch_list_recipients_watch_list_id_watch_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('watch_list_id', 'user_id', name=op.f('pk_watch_list_recipients'))
    )
    with op.batch_alter_table('watch_list_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_list_recipients_user_id'), ['user_id'], unique=False)

    op.create_table('monitor_item_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('watch_list_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=200), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('snippet', sa.Text(), nullable=False),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('notified_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('digested_at', commsdesk.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['monitor_items.id'], name=op.f('fk_monitor_item_matches_item_id_monitor_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['watch_list_id'], ['watch_lists.id'], name=op.f('fk_monitor_item_matches_watch_list_id_watch_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_item_matches')),
    sa.UniqueConstraint('item_id', 'watch_list_id', 'term', 'page', name=op.f('uq_monitor_item_matches_item_id_watch_list_id_term_page'))
    )
    with op.batch_alter_table('monitor_item_matches', schema=None) as batch_op:
        batch_op.create_index('ix_monitor_item_matches_digest', ['watch_list_id', 'digested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_item_matches_item_id'), ['item_id'], unique=False)

    op.create_table('monitor_item_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_monitor_item_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['monitor_items.id'], name=op.f('fk_monitor_item_notes_item_id_monitor_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_item_notes'))
    )
    with op.batch_alter_table('monitor_item_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitor_item_notes_item_id'), ['item_id'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        # Not through a copy of the table (batch mode): many tables refer to documents, and
        # dropping the old copy would trip their foreign keys. SQLite adds a nullable
        # column with its reference in place.
        op.execute('ALTER TABLE documents ADD COLUMN source_item_id INTEGER '
                   'REFERENCES monitor_items (id) ON DELETE SET NULL')
        op.create_index(op.f('ix_documents_source_item_id'), 'documents', ['source_item_id'],
                        unique=False)
    else:
        op.add_column('documents', sa.Column('source_item_id', sa.Integer(), nullable=True))
        op.create_index(op.f('ix_documents_source_item_id'), 'documents', ['source_item_id'],
                        unique=False)
        op.create_foreign_key(op.f('fk_documents_source_item_id_monitor_items'), 'documents',
                              'monitor_items', ['source_item_id'], ['id'], ondelete='SET NULL')



def downgrade():
    op.drop_index(op.f('ix_documents_source_item_id'), table_name='documents')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE documents DROP COLUMN source_item_id')  # in place, as added
    else:
        op.drop_constraint(op.f('fk_documents_source_item_id_monitor_items'), 'documents',
                           type_='foreignkey')
        op.drop_column('documents', 'source_item_id')

    with op.batch_alter_table('monitor_item_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_item_notes_item_id'))

    op.drop_table('monitor_item_notes')
    with op.batch_alter_table('monitor_item_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_item_matches_item_id'))
        batch_op.drop_index('ix_monitor_item_matches_digest')

    op.drop_table('monitor_item_matches')
    with op.batch_alter_table('watch_list_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_list_recipients_user_id'))

    op.drop_table('watch_list_recipients')
    with op.batch_alter_table('monitor_source_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_monitor_source_checks_source_at')

    op.drop_table('monitor_source_checks')
    with op.batch_alter_table('monitor_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_items_source_id'))
        batch_op.drop_index(batch_op.f('ix_monitor_items_organisation_id'))
        batch_op.drop_index('ix_monitor_items_org_state_seen')
        batch_op.drop_index(batch_op.f('ix_monitor_items_assigned_to_id'))

    op.drop_table('monitor_items')
    with op.batch_alter_table('watch_lists', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_lists_organisation_id'))

    op.drop_table('watch_lists')
    with op.batch_alter_table('monitor_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_sources_organisation_id'))
        batch_op.drop_index('ix_monitor_sources_due')

    op.drop_table('monitor_sources')
