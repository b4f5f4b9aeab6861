from __future__ import annotations

from sqlalchemy import inspect, text

from duban.ledger import db
from duban.ledger.models import Base


def test_migrations_upgrade_empty_db_to_head_and_back(backend_url):
    engine = db.make_engine(backend_url)
    # the session-wide database may already be at head: start from base
    db.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(engine, "head")
    assert db.current_revision(engine) is not None
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    db.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(engine, "head")  # leave it as the other tests expect
    engine.dispose()


def test_models_match_migrations(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_pragmas(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_default_url_in_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("DUBAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("DUBAN_DATA_DIR", str(tmp_path / "d"))
    assert db.database_url() == f"sqlite:///{tmp_path / 'd' / 'duban.sqlite3'}"
    Session = db.open_ledger()
    with Session() as s:
        assert s.execute(text("select count(*) from tasks")).scalar() == 0
    assert (tmp_path / "d" / "duban.sqlite3").exists()
