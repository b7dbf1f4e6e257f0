"""Alembic environment: runs on the connection ``storage.migrate`` hands over, in batch mode
(SQLite alters tables by copying them)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from dangjian_desktop.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # the alembic command line, e.g. `alembic -x db=FILE upgrade head`
    url = config.get_main_option("sqlalchemy.url") or f"sqlite:///{context.get_x_argument(as_dictionary=True)['db']}"
    with create_engine(url).connect() as conn:
        _run(conn)
