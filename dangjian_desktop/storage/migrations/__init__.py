"""Alembic migrations of the database schema; applied by ``storage.migrate``."""
