"""Pinyin initials beside the names that the quick search matches.

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa
from pypinyin import Style, lazy_pinyin, pinyin

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# table -> the column whose initials are kept (frozen here: later code may change)
TABLES = {"members": "name", "reserve_cadres": "name", "service_requests": "requester",
          "branches": "name", "villages": "name"}


def _initials(name: str) -> str:
    name = "".join((name or "").split())
    if not name:
        return ""
    rest = "".join(lazy_pinyin(name[1:], style=Style.FIRST_LETTER, errors="default")).lower()
    firsts = pinyin(name[0], style=Style.FIRST_LETTER, heteronym=True, errors="default")[0]
    return " ".join(dict.fromkeys(f"{f.lower()}{rest}" for f in firsts[:3]))


def upgrade() -> None:
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
