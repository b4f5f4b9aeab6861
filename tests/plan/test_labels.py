import random

import pytest

from duban.plan.labels import match_label, match_label_at


@pytest.mark.parametrize(
    ("line", "family", "number", "value"),
    [
        ("一、加强党的建设", "cn", "一", 1),
        ("十二、其他工作", "cn", "十二", 12),
        ("（三）推进改革", "cn_paren", "三", 3),
        ("(三)推进改革", "cn_paren", "三", 3),
        ("1.压实责任", "arabic", "1", 1),
        ("17、促进发展", "arabic", "17", 17),
        ("5．强化质量", "arabic", "5", 5),
        ("（2）完善机制", "arabic_paren", "2", 2),
        ("(12)完善机制", "arabic_paren", "12", 12),
        ("③ 做好保障", "circled", "③", 3),
        ("⑵做好保障", "arabic_paren", "2", 2),
        ("第二部分 重点任务", "di", "二", 2),
        ("27构建优质均衡体系", "nodot", "27", 27),
    ],
)
def test_each_numbering_form(line: str, family: str, number: str, value: int) -> None:
    label = match_label(line)
    assert label is not None
    assert (label.family, label.number, label.value) == (family, number, value)


@pytest.mark.parametrize(
    "line",
    [
        "一是加强领导",  # inline enumeration
        "第一，坚持党的领导",
        "2019年全市教育工作的总体要求是",  # a year
        "3所学校完成改造",  # an amount, not a label
        "1.5万人次参加培训",  # a decimal
        "加强党的建设",
    ],
)
def test_not_labels(line: str) -> None:
    assert match_label(line) is None


@pytest.mark.parametrize(
    ("line", "family", "number"), [("1.1启动创建", "dotted2", "1.1"), ("2.3.1 加强教研", "dotted3", "2.3.1")]
)
def test_dotted_multi_level_labels(line: str, family: str, number: str) -> None:
    label = match_label(line)
    assert label is not None
    assert (label.family, label.number) == (family, number)


@pytest.mark.parametrize("line", ["1.5万人次参加", "3.5%的学校", "12.30前完成"])
def test_decimals_and_dates_are_not_dotted_labels(line: str) -> None:
    assert match_label(line) is None


@pytest.mark.parametrize(
    ("line", "family", "number"),
    [
        ("二、2024年重点任务", "cn", "二"),  # a title starting with a year
        ("一、3项民生实事", "cn", "一"),
        ("1、2023年工作回顾", "arabic", "1"),
        ("1.2024年工作计划", "arabic", "1"),
    ],
)
def test_a_title_may_start_with_a_year_or_figure(line: str, family: str, number: str) -> None:
    label = match_label(line)
    assert label is not None
    assert (label.family, label.number, line[label.end :][:4]) == (
        family,
        number,
        line[len(label.text) :][:4],
    )


@pytest.mark.parametrize(
    "line", ["2.6 万名学生受益于营养改善计划", "13.5万名随迁子女", "1、27.4万元用于改造"]
)
def test_a_wrapped_line_starting_with_an_amount_is_not_a_label(line: str) -> None:
    assert match_label(line) is None


def test_chapter_number_with_a_full_width_space() -> None:
    label = match_label("5 策划和准备")  # cleaning turned the U+3000 into a space
    assert label is not None and (label.family, label.number, label.value) == ("chapter", "5", 5)
    assert match_label("2 万名学生受益") is None  # an amount
    assert match_label("3 学校要在开学前完成排查。") is None  # a sentence, not a chapter title


def test_appendix_heading() -> None:
    label = match_label("附录A（资料性）安全检查表")
    assert label is not None and (label.family, label.number) == ("appendix", "A")
    assert "附录A（资料性）安全检查表"[label.end :] == "安全检查表"


@pytest.mark.parametrize("line", ["57", "57 |", "3｜"])
def test_a_row_number_alone_on_its_line(line: str) -> None:
    label = match_label(line)
    assert label is not None and label.family == "lone"


def test_label_at_a_position_reads_as_the_rest_of_the_line_would():
    # match_label_at reads a window; every family but a chapter's must come out as from the whole rest
    r = random.Random(7)
    pieces = [
        "一、",
        "（二）",
        "第三部分",
        "1.2.3",
        "12、",
        "4）",
        "（5）",
        "③",
        "⑷",
        "27构建",
        "5　策划",
        "57 |",
    ]
    pieces += ["2024年", "1.5万", " ", "\u3000" * 30, "。", "，", "学校", "1", "2", ".", "）", "、"]
    for _ in range(300):
        text = "".join(r.choice(pieces) for _ in range(r.randint(1, 30)))
        for pos in range(len(text)):
            whole, window = match_label(text[pos:]), match_label_at(text, pos)
            if "chapter" not in (getattr(whole, "family", ""), getattr(window, "family", "")):
                assert window == whole, (text, pos)
