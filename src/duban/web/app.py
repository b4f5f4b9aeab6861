"""The FastAPI application: API, pages, vendored static files, error handlers, the tick scheduler."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from duban.ledger.config import Config, load_config
from duban.ledger.db import ADMITTED, THREADS, open_ledger
from duban.web import errors
from duban.web.admission import Admission
from duban.web.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"


def create_app(
    *,
    database_url: str | None = None,
    config: Config | None = None,
    session_factory: sessionmaker[Session] | None = None,
    run_scheduler: bool = False,
) -> FastAPI:
    """Build the app on a database (migrated to head) and a config; `serve` turns the scheduler on."""
    from duban.web.api import router as api_router
    from duban.web.pages import router as pages_router

    cfg = config or load_config()
    factory = session_factory or open_ledger(database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS  # db.py says why
        ticker = None
        if run_scheduler:
            from duban.web.scheduler import Ticker

            ticker = Ticker(factory, cfg, cfg.web.tick_interval_minutes * 60)
            ticker.start()
        yield
        if ticker:
            ticker.stop()

    app = FastAPI(
        title="督办 duban API",
        version="1",
        description='教育局年度工作要点督办系统的接口。所有错误返回 {"error": {"code", "message"}}。',
        docs_url=None,  # served below from the vendored Swagger UI (FastAPI's default loads a CDN)
        redoc_url=None,
        openapi_url="/api/openapi.json",
        swagger_ui_parameters={"defaultModelsExpandDepth": 0},
        lifespan=lifespan,
    )
    app.state.Session = factory
    app.state.config = cfg
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Admission, limit=ADMITTED)  # outermost: waiting requests hold nothing
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)
    app.include_router(pages_router)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> FileResponse:
        return FileResponse(Path(__file__).parent / "templates" / "api_docs.html")

    logging.getLogger("duban").setLevel(logging.INFO)
    return app
