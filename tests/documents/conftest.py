from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path("/work/shared/seeds")


@pytest.fixture
def seeds_dir() -> Path:
    assert SEEDS.is_dir(), "the seed plans are in ../shared/seeds"
    return SEEDS
