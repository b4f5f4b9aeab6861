"""Browser tests: the real app served by uvicorn on a free port, driven by Playwright in Debian's chromium.

No browser is downloaded: Playwright launches /usr/bin/chromium (installed by `make test`). Screenshots
of every page visited go to test-artifacts/browser/ (not committed) for people to look at.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy.orm import sessionmaker

from duban.ledger import db
from duban.ledger.config import Config
from duban.ledger.pgserver import free_port
from duban.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """uvicorn in a thread; the test talks to it over real HTTP like a browser would."""

    def __init__(self, factory: sessionmaker) -> None:
        self.port = free_port()
        app = create_app(session_factory=factory, config=Config())
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_db(tmp_path_factory) -> Iterator[sessionmaker]:
    """A fresh SQLite ledger for the module (the browser story runs once, on the embedded default)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'duban.sqlite3'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture(scope="module")
def live_server(browser_db) -> Iterator[LiveServer]:
    with LiveServer(browser_db) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert os.path.exists(CHROMIUM), "chromium missing: run `make test` (it installs Debian's chromium)"
    with sync_playwright() as p:
        # Chinese browser UI like the office's (file pickers, yyyy/mm/dd date inputs): chromium on Linux
        # takes its language from LANGUAGE, with Debian's chromium-l10n installed.
        env = {**os.environ, "LANGUAGE": "zh_CN:zh"}
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env)
        yield b
        b.close()


class Shots:
    """Numbered screenshots of a story, full page, at the office screen size."""

    def __init__(self, story: str) -> None:
        self.dir = ARTIFACTS / story
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):
            old.unlink()
        self.n = 0

    def __call__(self, page: Page, name: str) -> Path:
        self.n += 1
        path = self.dir / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def new_page(browser: Browser) -> Page:
    """A fresh context (own cookies) at 1366x768, Chinese locale, JS errors collected on page.errors."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda msg: (
            page.errors.append(f"{msg.text} ({msg.location.get('url', '')})")  # type: ignore[attr-defined]
            if msg.type == "error"
            else None
        ),
    )
    return page
