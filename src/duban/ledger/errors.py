"""Ledger errors: each carries one Chinese line for the user."""

from __future__ import annotations


class LedgerError(Exception):
    """Base class: `str(err)` is a one-line Chinese message fit for the CLI or the web."""


class NotFoundError(LedgerError):
    """A referenced row does not exist."""


class PermissionDenied(LedgerError):
    """The actor's role or unit does not allow the action."""


class TransitionError(LedgerError):
    """The action is not allowed from the task's current state."""


class ConflictError(LedgerError):
    """Someone else changed the row since it was read (version check)."""


class ValidationError(LedgerError):
    """Input rejected before anything was written."""
