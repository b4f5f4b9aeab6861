import pytest

from duban.plan.numbers import (
    cn_to_number,
    normalize,
    parse_number,
    percent_words,
    ratio_value,
    to_halfwidth,
)
from duban.plan.parser import parse_text


@pytest.mark.parametrize(
    ("s", "v"),
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("九十九", 99),
        ("一百二十", 120),
        ("三千", 3000),
    ],
)
def test_chinese_numerals(s, v):
    assert cn_to_number(s) == v


def test_not_a_numeral():
    assert cn_to_number("") is None
    assert cn_to_number("十十") is None


@pytest.mark.parametrize(("s", "v"), [("94.5", 94.5), ("3000", 3000), ("０.８", 0.8), ("两", 2)])
def test_parse_number(s, v):
    assert parse_number(s) == v


def test_percent_words():
    assert percent_words("百分之九十") == 90
    assert percent_words("百分之5") == 5
    assert percent_words("百分之九十五点五") == 95.5
    assert percent_words("九十") is None


def test_ratio():
    assert ratio_value(4, 6) == 0.6667
    assert ratio_value(1, 0) is None


@pytest.mark.parametrize(
    ("v", "u", "nv", "nu"),
    [
        (1.5, "万人次", 15000, "人次"),
        (294.4, "亿元", 29440000000, "元"),
        (33120, "万元", 331200000, "元"),
        (70, "万", 700000, ""),
        (94.5, "%", 94.5, "%"),
        (None, "亿元", None, "元"),
    ],
)
def test_normalize(v, u, nv, nu):
    assert normalize(v, u) == (nv, nu)


def test_halfwidth_keeps_length():
    s = "达到９５％以上"
    assert to_halfwidth(s) == "达到95%以上"


def test_numeral_beyond_float_range_is_no_number():
    # cn2an reads 400 九 as a 400-digit int; float() of it raised OverflowError out of the parser
    assert cn_to_number("九" * 400) is None
    assert percent_words("百分之" + "九" * 400) is None
    assert cn_to_number("九" * 300) == float("9" * 300)  # still a (huge) number within float range


def test_sentence_with_a_huge_percent_numeral_parses():
    # the fuzz input's shape: 百分之 + a numeral too large for a float, inside an item
    plan = parse_text("一、总体要求\n1.达到百分之" + "九" * 400 + "。", "a.txt")
    assert [i.path for d in plan.documents for i in d.items] == ["一", "一/1"]
