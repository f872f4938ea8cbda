"""mastodon apps

The OAuth application registered on each Mastodon instance (one per instance and
callback address), its client id and secret encrypted.

Revision ID: d5e0b9a1c2f3
Revises: c4d9a8f0b1e2
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import commsdesk.models.base


# revision identifiers, used by Alembic.
revision = 'd5e0b9a1c2f3'
down_revision = 'c4d9a8f0b1e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mastodon_apps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_url', sa.String(length=500), nullable=False),
    sa.Column('redirect_uri', sa.String(length=1000), nullable=False),
    sa.Column('credentials', sa.Text(), nullable=False),
    sa.Column('created_at', commsdesk.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mastodon_apps')),
    sa.UniqueConstraint('instance_url', 'redirect_uri',
                        name=op.f('uq_mastodon_apps_instance_url_redirect_uri'))
    )


def downgrade():
    op.drop_table('mastodon_apps')
