"""Uploads are read and parsed in a worker process within a time and a memory limit."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from duban.documents import DocumentError
from duban.plan import boundary
from duban.plan.boundary import read_and_parse
from duban.plan.worker import ParseLimits, read_and_parse_isolated

SEEDS = Path("/work/shared/seeds")


def dense_plan(lines: int) -> bytes:
    """One heading over many figures: seconds of parsing for a few hundred thousand lines."""
    body = [f"新建幼儿园{i % 97 + 1}所，招收学生{i}人，培训教师{i % 13 + 1}批次。" for i in range(lines)]
    return "\n".join(["一、总体要求", *body]).encode()


def test_worker_gives_what_the_parser_gives():
    seed = sorted(SEEDS.iterdir())[0]
    source, plan = read_and_parse_isolated(seed.read_bytes(), seed.name, ParseLimits())
    here_source, here_plan = read_and_parse(seed.read_bytes(), seed.name)
    assert source.text == here_source.text and plan.to_dict() == here_plan.to_dict()


def test_a_document_error_comes_back_with_its_message():
    with pytest.raises(DocumentError) as err:
        read_and_parse_isolated(b"", "empty.txt", ParseLimits())
    assert err.value.user_message == "文件是空的：empty.txt"


def test_overrunning_the_time_limit_is_killed_with_a_chinese_error():
    t = time.monotonic()
    with pytest.raises(DocumentError) as err:
        read_and_parse_isolated(dense_plan(60_000), "大文件.txt", ParseLimits(seconds=1))
    assert time.monotonic() - t < 5
    assert err.value.user_message.startswith("文件解析超时（超过 1 秒）")
    assert err.value.user_message.endswith("：大文件.txt")


def test_overrunning_the_memory_limit_is_a_chinese_error():
    with pytest.raises(DocumentError) as err:
        read_and_parse_isolated(dense_plan(60_000), "大文件.txt", ParseLimits(seconds=60, memory_mb=16))
    assert "内存超过上限" in err.value.user_message and "大文件.txt" in err.value.user_message


def test_boundary_turns_a_parser_failure_into_the_files_line_and_logs_the_trace(monkeypatch, caplog):
    def broken(text: str, source: str):
        raise AssertionError("outline invariant")

    monkeypatch.setattr(boundary, "parse_text", broken)
    with caplog.at_level(logging.ERROR, logger="duban.parse"), pytest.raises(DocumentError) as err:
        read_and_parse("一、总体要求".encode(), "计划.txt")
    assert (
        err.value.user_message
        == "文件解析失败（内部错误：AssertionError），请将该文件反馈给维护人员：计划.txt"
    )
    assert "\n" not in err.value.user_message
    assert any(r.exc_info and "outline invariant" in str(r.exc_info[1]) for r in caplog.records)
