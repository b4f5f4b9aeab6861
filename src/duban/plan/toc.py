"""Tables of contents and the outline lists that precede a compilation: lines that are not items.

A run of consecutive heading-only lines (a label and a short title, no sentence) is a table
of contents when it follows a 目录 line or carries page numbers, or when a good share of
its headings appear again later in the text (the body they list).
"""

from __future__ import annotations

import re

from duban.plan.lines import Line

_TOC_WORD = re.compile(r"^目\s*录[:：]?$")
# "市教育局2024年工作要点 19", "一、总体要求……3": a title ending in a page number
_PAGE_ENTRY = re.compile(r"^(?P<title>.*?[\u4e00-\u9fff)）》”\"])\s*[.…·-]*\s*(?P<page>\d{1,3})$")
_NOT_KEY = re.compile(r"[\s\W_]+")
MAX_HEADING_LEN = 40
MIN_RUN = 3
REAPPEAR_SHARE = 0.3


def _key(text: str) -> str:
    return _NOT_KEY.sub("", text.split("。")[0])


def _heading_only(line: Line) -> bool:
    if line.field is not None:
        # a field line ("责任单位：第二学区2", a table row's unit column) is the body of a task, never
        # a contents entry, even when it ends in a figure that reads like a page number
        return False
    if _TOC_WORD.match(line.match) or _PAGE_ENTRY.match(line.match):
        return True
    if line.label is None or line.label.family in ("nodot", "lone"):
        return False
    rest = line.match[line.label.end :]
    return "。" not in rest and len(rest) <= MAX_HEADING_LEN


def _entry_key(line: Line) -> str:
    rest = line.match[line.label.end :] if line.label else line.match
    m = _PAGE_ENTRY.match(rest)
    return _key(m.group("title") if m else rest)


def toc_lines(lines: list[Line]) -> set[int]:
    """Indices of the lines that belong to a table of contents or outline list."""
    runs: list[list[Line]] = []
    run: list[Line] = []
    for line in lines:
        if line.blank:
            continue
        if _heading_only(line):
            # the body starts right after a table of contents: its first heading repeats the run's
            if (
                run
                and _entry_key(line) == _entry_key(run[0])
                and not _TOC_WORD.match(run[0].match)
                or (
                    run
                    and _TOC_WORD.match(run[0].match)
                    and len(run) > 1
                    and _entry_key(line) == _entry_key(run[1])
                )
            ):
                runs.append(run)
                run = []
            run.append(line)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    if not runs:
        return set()

    # key -> index of the last line where it starts a line, for "appears again later"
    last_seen: dict[str, int] = {}
    if any(len(run) >= MIN_RUN for run in runs):
        for line in lines:
            if not line.blank:
                last_seen[_entry_key(line)] = line.index

    skip: set[int] = set()
    for run in runs:
        marked = any(_TOC_WORD.match(x.match) for x in run)
        pages = sum(1 for x in run if _PAGE_ENTRY.match(x.match[x.label.end :] if x.label else x.match))
        is_toc = marked or pages >= 2
        if not is_toc and len(run) >= MIN_RUN:
            end = run[-1].index
            again = sum(1 for x in run if (k := _entry_key(x)) and last_seen.get(k, -1) > end)
            is_toc = again / len(run) >= REAPPEAR_SHARE
        if is_toc:
            skip.update(x.index for x in run)
    return skip
