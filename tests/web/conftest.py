"""Web fixtures: the real app on the test database (SQLite and PostgreSQL), clients signed in per role."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from duban.ledger import users
from duban.ledger.config import Config
from duban.ledger.users import SYSTEM, create_unit, create_user
from duban.web.app import create_app

PASSWORD = "Passw0rd!"


@pytest.fixture(autouse=True)
def cheap_hashing(request, monkeypatch):
    """Argon2 at its default cost makes every sign-in ~0.5 s on a busy 2-core CI box, and the web
    tests sign in hundreds of times. The same scheme at the lowest cost keeps them honest (real
    hashing, real verification) and fast; tests marked `full_cost_hashing` keep the default."""
    if request.node.get_closest_marker("full_cost_hashing"):
        return
    scheme = users.Argon2Scheme()
    scheme._ph = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "SCHEMES", [scheme])


@pytest.fixture
def app(Session):  # noqa: N803
    return create_app(session_factory=Session, config=Config())


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


def add_user(Session, username: str, role: str, unit: str | None = None) -> None:  # noqa: N803
    with Session() as s:
        if unit:
            from sqlalchemy import select

            from duban.ledger.models import Unit

            if not s.execute(select(Unit.id).where(Unit.name == unit)).first():
                create_unit(s, actor=SYSTEM, name=unit)
        # an account set up before the test, its first-login password change already done
        create_user(
            s, actor=SYSTEM, username=username, password=PASSWORD, role=role, unit=unit, must_change=False
        )


def api_login(client: TestClient, username: str, password: str = PASSWORD) -> dict:
    """Sign in through the API; the client keeps the cookie and sends the CSRF header from now on."""
    r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    data = r.json()
    client.headers["X-CSRF-Token"] = data["csrf_token"]
    return data


@pytest.fixture
def signed_in(app, Session):  # noqa: N803
    """signed_in(username, role, unit=None) -> a TestClient signed in as a new user of that role."""
    clients: list[TestClient] = []

    def make(username: str, role: str, unit: str | None = None) -> TestClient:
        add_user(Session, username, role, unit)
        c = TestClient(app)
        c.__enter__()
        clients.append(c)
        api_login(c, username)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)
