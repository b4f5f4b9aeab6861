"""Alembic environment: run programmatically by duban.ledger.db with an engine in config.attributes."""

from __future__ import annotations

from alembic import context

from duban.ledger.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from duban.ledger.db import make_engine

        engine = make_engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # batch migrations copy and drop tables: foreign keys off meanwhile (Alembic's advice).
            # The pragma only works outside a transaction, so it goes to the driver connection
            # before SQLAlchemy begins one (db.py emits BEGIN itself).
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=sqlite)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
