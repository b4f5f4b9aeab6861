"""Engine and sessions: SQLite file in the data directory by default, any URL via DUBAN_DATABASE_URL.

The application upgrades its own database to the newest migration on start (`open_ledger`).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_MS = 30_000  # how long a SQLite writer waits for the write lock before giving up


def data_dir() -> Path:
    """DUBAN_DATA_DIR, else the platform's user data directory."""
    env = os.environ.get("DUBAN_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("duban", appauthor=False))


def database_url() -> str:
    """DUBAN_DATABASE_URL, else a SQLite file in the data directory."""
    url = os.environ.get("DUBAN_DATABASE_URL")
    if url:
        return url
    d = data_dir()
    d.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{d / 'duban.sqlite3'}"


# Sync routes and dependencies run in a thread pool of THREADS (web/app.py sets AnyIO's limiter):
# Python work holds the GIL, so more threads only contend for it. The web app admits ADMITTED
# requests at once (web/admission.py says why), each holding at most one pooled connection, so the
# pool keeps that many (made once, not per request: with 10 kept and 30 on demand, most requests
# under load paid for a new connection), plus a few for the scheduler and the CLI in the process.
THREADS = 16
ADMITTED = 24
POOL = {"pool_size": ADMITTED, "max_overflow": 4}


def make_engine(url: str | None = None) -> Engine:
    """An engine; SQLite gets foreign keys, WAL and a busy timeout on every connection."""
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, **({} if memory else POOL)
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            # pysqlite's own implicit BEGIN is switched off: SQLAlchemy's "begin" event below
            # emits it (SQLAlchemy's documented pysqlite recipe), so a writer can ask for IMMEDIATE
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # noqa: ANN001
            # a use case (uow.py) takes the write lock up front: writers queue on the busy timeout
            # instead of two of them reading the same audit head, and WAL keeps readers unblocked
            conn.exec_driver_sql(
                "BEGIN IMMEDIATE" if conn.get_execution_options().get("duban_write") else "BEGIN"
            )

        return engine
    return create_engine(url, pool_pre_ping=True, **POOL)


def _alembic_config(engine: Engine):  # noqa: ANN202
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the packaged Alembic migrations up to `revision`."""
    from alembic import command

    command.upgrade(_alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Run the packaged Alembic migrations down to `revision`."""
    from alembic import command

    command.downgrade(_alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, None when empty."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def open_ledger(url: str | None = None) -> sessionmaker[Session]:
    """Engine at the newest migration and a session factory on it."""
    engine = make_engine(url)
    upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


def utcnow() -> datetime:
    """Naive UTC now: stored the same way on every backend."""
    return datetime.now(UTC).replace(tzinfo=None)
