"""Hard-wrapped plain text: lines cut at a fixed width are joined back, other text is left alone."""

from __future__ import annotations

from duban.documents.reader import read_bytes
from duban.documents.wrapping import display_width, unwrap_plain_text
from duban.plan.parser import parse_text

PARAGRAPHS = [
    "某县教育局2025年工作要点",
    "一、深入推进学前教育普惠发展，扩大普惠性学前教育资源供给，提升保教质量",
    "1.新建改扩建公办幼儿园5所，新增学位1200个，学前三年毛入园率达到92%以上，普惠性幼儿园覆盖率达到90%。",
    "2.加强幼儿园教师队伍建设，全年培训幼儿园教师不少于600人次，持证上岗率达到100%。",
    "二、推动义务教育优质均衡发展，缩小城乡之间、校际之间的办学差距，促进教育公平",
    "3.实施薄弱学校改造工程，2025年8月底前完成12所农村学校校舍改造，全面消除大班额。",
    "4.深化集团化办学改革，组建教育集团8个，覆盖全县城乡义务教育学校的比例达到60%以上。",
]


def wrap_chars(paragraphs: list[str], width: int, indent: str = "") -> str:
    out = []
    for p in paragraphs:
        p = indent + p
        out.extend(p[i : i + width] for i in range(0, len(p), width))
    return "\n".join(out)


def wrap_columns(paragraphs: list[str], columns: int) -> str:
    out = []
    for p in paragraphs:
        line = ""
        for ch in p:
            if display_width(line + ch) > columns:
                out.append(line)
                line = ""
            line += ch
        out.append(line)
    return "\n".join(out)


def test_text_wrapped_by_characters_is_joined_back():
    assert unwrap_plain_text(wrap_chars(PARAGRAPHS, 24)).split("\n") == PARAGRAPHS


def test_text_wrapped_by_display_columns_is_joined_back():
    assert unwrap_plain_text(wrap_columns(PARAGRAPHS, 60)).split("\n") == PARAGRAPHS


def test_first_line_indents_mark_paragraphs():
    text = wrap_chars(PARAGRAPHS, 30, indent="\u3000\u3000")
    assert [ln.strip("\u3000") for ln in unwrap_plain_text(text).split("\n")] == PARAGRAPHS


def test_unwrapped_text_is_unchanged():
    text = "\n".join(PARAGRAPHS)
    assert unwrap_plain_text(text) == text
    short = "通知\n各单位：\n现印发。\n"
    assert unwrap_plain_text(short) == short


def test_headings_of_a_wrapped_txt_file_keep_their_whole_title():
    data = wrap_chars(PARAGRAPHS, 22).encode("gb18030")
    plan = parse_text(read_bytes(data, "wrapped.txt").text, "wrapped.txt")
    items = plan.documents[0].items
    assert items[0].title.startswith("深入推进学前教育普惠发展") and items[0].title.endswith("提升保教质量")
    assert [i.number for i in items] == ["一", "1", "2", "二", "3", "4"]
    targets = {q.text for q in plan.documents[0].quantities}
    assert any("1200个" in t for t in targets) and any("60%" in t for t in targets)
