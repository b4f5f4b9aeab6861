"""Fuzz: two hundred seeded hostile inputs through the readers and the parser, Every one must end as a plan or as the file's one-line Chinese error, never as an
exception of another kind, within 10 s each. (bench/fuzz.py runs 10^5 of them.)"""

from __future__ import annotations

import time

from duban.documents import DocumentError
from duban.plan.boundary import read_and_parse
from tests.fuzzgen import inputs

SEED = 20261202


def test_readers_and_parser_end_in_a_plan_or_one_chinese_line():
    slow = []
    for k, (name, data) in enumerate(inputs(SEED, 200)):
        t = time.monotonic()
        try:
            read_and_parse(data, name)
        except DocumentError as exc:
            msg = exc.user_message
            assert msg and "\n" not in msg and "Traceback" not in msg, (k, name, msg)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in msg), (k, name, msg)
        # any other exception fails the test with the input's index: remake it with generated(SEED, k)
        if time.monotonic() - t > 10:
            slow.append((k, name))
    assert not slow
