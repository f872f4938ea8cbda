"""monitor item links

An index on each organisation's item links, so that the same news under another guid is
found by its canonical link.

Revision ID: c3d4e5f6a7b8
Revises: b2c3d4e5f6a7
Create Date: 2026-11-27 03:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3d4e5f6a7b8'
down_revision = 'b2c3d4e5f6a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_monitor_items_org_link', 'monitor_items', ['organisation_id', 'link'],
                    unique=False)


def downgrade():
    op.drop_index('ix_monitor_items_org_link', table_name='monitor_items')
