"""Ledger fixtures: every test runs on SQLite and on a real, throwaway PostgreSQL server.

The PostgreSQL server is started once per session from Debian's binaries
(/usr/lib/postgresql/*/bin) in a temp dir on 127.0.0.1 and a free port; as root it runs
as the `postgres` user. Between tests all tables are emptied, not recreated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from duban.ledger import db
from duban.ledger.models import Base
from duban.ledger.pgserver import PgServer, free_port

_free_port = free_port


@pytest.fixture(scope="session")
def pg_url():
    server = PgServer()
    server.start()
    try:
        engine = db.make_engine(server.url)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend_url(request, tmp_path_factory):
    """An empty database URL per backend (for migration tests)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'ledger.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def engine_at_head(backend_url):
    engine = db.make_engine(backend_url)
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory):
    """The data directory (audit anchors of server databases, keys) of this test run, not $HOME's."""
    import os

    path = tmp_path_factory.mktemp("data")
    old = os.environ.get("DUBAN_DATA_DIR")
    os.environ["DUBAN_DATA_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("DUBAN_DATA_DIR", None)
    else:
        os.environ["DUBAN_DATA_DIR"] = old


def _empty_all(engine) -> None:
    """Every table emptied, and with the audit log its anchor (a new, empty ledger)."""
    from duban.ledger import anchor

    path = anchor.path_for(engine)
    if path is not None:
        path.unlink(missing_ok=True)
    tables = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def engine(engine_at_head):
    """The backend's engine with every table emptied before the test."""
    _empty_all(engine_at_head)
    return engine_at_head


@pytest.fixture
def Session(engine):  # noqa: N802
    return sessionmaker(engine, expire_on_commit=False)


@pytest.fixture
def session(Session):
    with Session() as s:
        yield s


GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
if not GOLD.exists():
    GOLD = Path("/work/shared/gold")
SEEDS = GOLD.parent / "seeds"


def small_plan(*, year: int = 2024, title: str = "某市教育局2024年工作要点", issuer: str = "某市教育局"):
    """A small plan: two headings, three tasks, targets and deadlines."""
    from duban.plan import model as pm

    items = [
        pm.Item(path="一", level=1, number="一", title="推进学前教育普惠发展"),
        pm.Item(
            path="一/1", level=2, number="1", title="新建幼儿园10所", responsible=["基础教育科", "财务科"]
        ),
        pm.Item(
            path="一/2",
            level=2,
            number="2",
            title="学前三年毛入园率达到94.5%以上",
            responsible=["基础教育科"],
        ),
        pm.Item(path="二", level=1, number="二", title="加强教师队伍建设"),
        pm.Item(path="二/1", level=2, number="1", title="新招聘补充教师3000人以上", responsible=["人事科"]),
    ]
    quantities = [
        pm.Quantity("一/1", "新建幼儿园10所", "新建幼儿园", "=", 10, None, "所", "target"),
        pm.Quantity(
            "一/2", "学前三年毛入园率达到94.5%以上", "学前三年毛入园率", ">=", 94.5, None, "%", "target"
        ),
        pm.Quantity("二/1", "新招聘补充教师3000人以上", "新招聘补充教师", ">=", 3000, None, "人", "target"),
        pm.Quantity("二", "现有教师2.1万人", "现有教师", "=", 2.1, None, "万人", "actual"),
    ]
    deadlines = [
        pm.Deadline("一/1", "2024年8月底前", f"{year}-08-31", "month"),
        pm.Deadline("二/1", "年内", f"{year}-12-31", "year"),
    ]
    doc = pm.Document(
        title=title,
        kind="plan",
        year=year,
        issuer=issuer,
        items=items,
        quantities=quantities,
        deadlines=deadlines,
    )
    return pm.Plan(source="plan.txt", documents=[doc])
