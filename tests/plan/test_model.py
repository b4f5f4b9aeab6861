"""The Plan model's shared names."""

from __future__ import annotations

from typing import get_args

from duban.plan.model import KIND_NAMES, Kind


def test_every_document_kind_has_one_display_name():
    assert set(KIND_NAMES) == set(get_args(Kind))
    # the copies disagreed (报告 / 工作汇报 / 汇报/报告): this one decides
    assert KIND_NAMES["report"] == "汇报"
