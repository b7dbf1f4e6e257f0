"""Indexes for the window's tables and the statistics at district scale.

- ``ix_members_listing``: the 在册 党员 view's count, quick search and order by branch read
  this narrow index instead of the whole table (at 300,000 members a search scans a fifth of
  the bytes); with ``ix_branches_order`` SQLite walks the branches in order and each
  branch's members, instead of sorting every member (the first 2,000 by branch: ≈ 1 ms
  instead of ≈ 100 ms).
- ``ix_service_requests_stats``: the statistics' GROUP BY over the requests reads this index
  in group order instead of sorting the table (≈ 20 ms instead of ≈ 65 ms at 60,000). It leads
  with ``deleted`` so that SQLite, which has no planner statistics here (no ANALYZE), prefers it
  to the range on ``received_on``. ANALYZE is not run on purpose: with statistics SQLite reads
  the members through ``ix_members_listing`` for sorts it does not cover, twice as slowly as
  scanning the table.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_listing',
                              ['branch_uuid', 'initials', 'name', 'id_number', 'leave_kind', 'deleted'], unique=False)
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.create_index('ix_branches_order', ['initials', 'name'], unique=False)
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.create_index('ix_service_requests_stats',
                              ['deleted', 'township_code', 'category', 'channel', 'received_on', 'status', 'due_on',
                               'completed_on', 'satisfaction'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_service_requests_stats')
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.drop_index('ix_branches_order')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_listing')
