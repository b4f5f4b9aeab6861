"""The parser on our own wild corpus (tests/plan/wild): made-up plans in the forms real files arrive in
(run-in web copies, one-cell-per-line tables, year-leading headings, standards chapters, summaries
with forward deadlines, content-farm pages), scored by shared/eval/score.py against hand-made gold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from duban.plan.parser import parse_file

WILD = Path(__file__).resolve().parent / "wild"
SCORE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "score.py"
DOCS = sorted((WILD / "docs").glob("*.txt"))


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("wild")
    for doc in DOCS:
        plan = parse_file(doc)
        (out / f"{doc.name}.json").write_text(
            json.dumps(plan.to_dict(), ensure_ascii=False), encoding="utf-8"
        )
    result = subprocess.run(
        [sys.executable, str(SCORE), str(WILD / "gold"), str(out), "--json"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout)["total"]


def test_every_document_has_gold() -> None:
    assert len(DOCS) >= 15
    assert {p.name for p in DOCS} == {
        p.name[: -len(".gold.json")] for p in (WILD / "gold").glob("*.gold.json")
    }


def test_every_document_found(scores: dict) -> None:
    assert scores["documents"]["found"] == scores["documents"]["gold"]


def test_thresholds(scores: dict) -> None:
    assert scores["items"]["f1"] >= 0.95
    assert scores["quantities"]["f1"] >= 0.92
    assert scores["deadlines"]["f1"] >= 0.90
    assert scores["metadata_accuracy"] >= 0.90
