"""The ledger fixtures live in tests/conftest.py (shared with assess, exports and web tests)."""

from tests.conftest import GOLD, SEEDS, _free_port, small_plan

__all__ = ["GOLD", "SEEDS", "_free_port", "small_plan"]
