"""Ledger commands (import, unit, user, assign, report, status, tick, audit, backup, restore)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ledger commands to the main CLI app."""
