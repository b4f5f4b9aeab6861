"""Title lines on small made-up texts: what reads as a document title, what is a cover, what is cruft."""

from __future__ import annotations

import pytest

from duban.plan.lines import split_lines
from duban.plan.segment import can_be_title, fallback_title, find_titles, strip_date_prefix, title_like


def titles(text: str) -> list[tuple[int, int, str, str, bool]]:
    """(start, end, text, subtitle, is_cover) of every title line found."""
    return [(t.start, t.end, t.text, t.subtitle, t.is_cover) for t in find_titles(split_lines(text))]


@pytest.mark.parametrize(
    "text",
    [
        "某县教育局2024年工作要点",  # kind word at the end, year and issuing body
        "二〇二四年工作要点",  # a year in Chinese numerals is a year
        "学校工作计划",  # an issuing body without a year
        "某市教育局2023年工作总结（征求意见稿）",  # a bracketed tail after the kind word
        "《某市教育局2024年工作要点》",  # in title marks
        "某县关于2024年教育工作的实施方案",
    ],
)
def test_a_kind_word_at_the_end_and_a_year_or_a_body_make_a_title(text):
    assert title_like(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("推进学前教育工作计划", "neither a year nor an issuing body"),
        ("某县教育局2024年工作要点的落实情况", "the kind word is not at the end"),
        ("2024年将继续做好工作计划。", "a sentence"),
        ("某县教育局" + "全面" * 30 + "工作要点", "longer than a title"),
    ],
)
def test_lines_that_are_no_title(text, why):
    assert not title_like(text), why


def test_one_title_above_its_outline():
    assert titles("某县教育局2024年工作要点\n一、推进学前教育\n1.新建幼儿园10所。") == [
        (0, 0, "某县教育局2024年工作要点", "", False)
    ]


def test_numbered_and_field_lines_are_never_titles():
    assert titles("一、某县教育局2024年工作要点\n目标任务：某县2024年工作计划") == []


def test_a_page_date_before_the_title_is_dropped():
    assert titles("20211130：某县教育局2021年工作要点\n一、总体要求")[0][2] == "某县教育局2021年工作要点"
    assert strip_date_prefix("2021-11-30：某县工作要点") == "某县工作要点"
    assert strip_date_prefix("2021年工作要点") == "2021年工作要点"  # a year is part of the title


def test_a_dashed_line_is_the_subtitle_of_the_headline_above_it():
    text = "凝心聚力谱新篇\n\n——在2024年全县教育工作会议上的报告\n一、过去一年的工作"
    assert titles(text) == [(0, 2, "凝心聚力谱新篇", "在2024年全县教育工作会议上的报告", False)]


def test_a_dashed_line_with_no_headline_is_the_title_without_its_dashes():
    assert titles("——在2024年全县教育工作会议上的报告\n一、过去一年的工作") == [
        (0, 0, "在2024年全县教育工作会议上的报告", "", False)
    ]


def test_a_title_wrapped_onto_a_second_line_is_joined():
    text = "关于印发2020年工作总结及2021年\n工作要点的通知\n各学校："
    assert titles(text) == [(0, 1, "关于印发2020年工作总结及2021年工作要点的通知", "", True)]


@pytest.mark.parametrize(
    "text",
    [
        "关于印发2020年工作总结及2021年。\n工作要点的通知",  # the first line ends a sentence
        "关于印发2021年\n一、工作要点的通知",  # the second line is numbered
    ],
)
def test_no_join_across_a_sentence_end_or_onto_a_numbered_line(text):
    assert titles(text) == []


def test_a_notice_or_a_compilation_is_a_cover_over_the_documents_it_wraps():
    text = "某县教育局2024年工作要点汇编（5篇）\n某县教育局2024年工作要点\n一、推进学前教育"
    assert [(t[2], t[4]) for t in titles(text)] == [
        ("某县教育局2024年工作要点汇编（5篇）", True),
        ("某县教育局2024年工作要点", False),
    ]
    notice = titles("某县教育局关于做好2024年工作的通知\n某县教育局2024年工作要点\n一、x")
    assert [t[4] for t in notice] == [True, False]


def test_what_can_stand_as_a_title_when_none_names_its_kind():
    lines = split_lines("同志们\n本文转载自\n2024年3月5日\nabc\n一、标题\n重点任务")
    assert [can_be_title(line) for line in lines] == [False, False, False, False, False, True]


def test_the_fallback_title_is_the_first_line_before_the_outline_that_can_be_one():
    assert fallback_title(split_lines("第1页\n教育强县建设三年行动\n一、总体要求")) == "教育强县建设三年行动"
    assert fallback_title(split_lines("——在会议上的讲话\n一、总体要求")) == "在会议上的讲话"
    assert fallback_title(split_lines("我们要努力工作。\n一、总体要求")) == ""  # a sentence never
    assert fallback_title(split_lines("一、总体要求\n教育强县建设三年行动")) == ""  # not after the outline
