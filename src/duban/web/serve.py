"""The app factory uvicorn calls in each worker process (configuration from the environment)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from duban.web.app import create_app


def app_from_env() -> FastAPI:
    return create_app(run_scheduler=os.environ.get("DUBAN_SERVE_SCHEDULER", "1") == "1")
