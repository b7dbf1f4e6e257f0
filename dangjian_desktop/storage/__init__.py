"""SQLite storage: typed SQLAlchemy models, engine set-up, migrations, repositories, backups."""
