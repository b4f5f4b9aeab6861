from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path("/work/shared/seeds")


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not available")
    return SEEDS
