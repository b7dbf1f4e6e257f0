"""Pinyin initials beside the names that the quick search matches.

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# table -> the column whose initials are kept (frozen here: later code may change)
TABLES = {"members": "name", "reserve_cadres": "name", "service_requests": "requester",
          "branches": "name", "villages": "name"}


def upgrade() -> None:
    # The initials are derived data that the program recomputes on every write, so this
    # migration uses the program's own function rather than a frozen copy of it.
    from dangjian_desktop.storage.search import initials as _initials

    conn = op.get_bind()
    for table, source in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('initials', sa.String(length=64), nullable=False, server_default=''))
        rows = conn.exec_driver_sql(f"SELECT uuid, {source} FROM {table}").fetchall()
        if rows:
            conn.exec_driver_sql(
                f"UPDATE {table} SET initials = ? WHERE uuid = ?",
                [(_initials(name), uuid) for uuid, name in rows],
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('initials')
