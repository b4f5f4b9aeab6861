"""The parser on the seed plans, scored against the hand-made gold files by shared/eval/score.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from duban.plan.parser import parse_file

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*"))


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("plans")
    for seed in SEEDS:
        plan = parse_file(seed)
        (out / f"{seed.name}.json").write_text(
            json.dumps(plan.to_dict(), ensure_ascii=False), encoding="utf-8"
        )
    result = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "gold"), str(out), "--json"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout)["total"]


def test_seeds_are_present() -> None:
    assert len(SEEDS) >= 5


def test_every_document_found(scores: dict) -> None:
    assert scores["documents"]["found"] == scores["documents"]["gold"]


def test_outline_thresholds(scores: dict) -> None:
    assert scores["metadata_accuracy"] >= 0.90
    assert scores["items"]["f1"] >= 0.98
    assert scores["item_level_accuracy"] >= 0.98
    assert scores["responsible"]["f1"] >= 0.98


def test_extraction_thresholds(scores: dict) -> None:
    assert scores["quantities"]["f1"] >= 0.92
    assert scores["quantity_comparator_accuracy"] >= 0.95
    assert scores["quantity_role_accuracy"] >= 0.95
    assert scores["deadlines"]["f1"] >= 0.90
