"""Number format codes applied as a spreadsheet shows them (the real-file tests are in test_sheet_reader)."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.documents.number_format import builtin_code, shown


@pytest.mark.parametrize(
    ("value", "code", "text"),
    [
        (0.95, "0%", "95%"),
        (1234.567, "#,##0", "1,235"),
        (2.5, "0", "3"),  # half away from zero, as Excel rounds
        (-2.5, "0", "-3"),
        (-5, "#,##0_);[Red](#,##0)", "(5)"),  # the negative section writes its own sign
        (0, '0;-0;"—"', "—"),  # the zero section
        (12000, '#,##0,"千人"', "12千人"),  # a comma after the digits divides by 1000
        (1.5, "0.0#", "1.5"),
        (3, "000", "003"),
        (12, 'General"人"', "12人"),  # G/通用格式"人" as Excel stores it
        (3, '[Blue][>=0]0"项"', "3项"),
        ("市直学校", '@"等"', "市直学校等"),
        (dt.datetime(2025, 6, 30, 14, 5), '上午/下午h"时"mm"分"', "下午2时05分"),
        (dt.date(2025, 6, 30), "yyyy/m/d aaaa", "2025年6月30日"),  # digits and separators: by precision
        (dt.date(2025, 6, 30), "yyyy-mm", "2025年6月"),
        (dt.date(2025, 6, 30), "m/d", "6月30日"),
    ],
)
def test_shown(value: object, code: str, text: str) -> None:
    assert shown(value, code) == text


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0.125, "# ?/?"),
        (31000, "0.00E+00"),
        (123, "[DBNum1][$-804]General"),
        (5, "General"),
        (5, "0." + "0" * 100_000),  # a crafted code: refused, not rendered with 100,000 decimals
    ],
)
def test_forms_not_rendered_keep_the_plain_text(value: object, code: str) -> None:
    assert shown(value, code) is None


def test_builtin_ids_follow_the_chinese_locale() -> None:
    # Excel and WPS in zh-CN write these ids with no code of their own in styles.xml
    assert shown(dt.date(2025, 6, 1), builtin_code(57)) == "2025年6月"
    assert shown(dt.date(2025, 6, 1), builtin_code(31)) == "2025年6月1日"
    assert shown(dt.date(2025, 6, 1), builtin_code(14)) == "2025年6月1日"  # the short date, any locale
    assert shown(0.5, builtin_code(9)) == "50%"
    assert builtin_code(0) is None
