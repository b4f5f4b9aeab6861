"""Deadlines on small made-up sentences: one form per test, the school calendar, exclusions."""

import pytest

from duban.plan.deadlines import extract_deadlines


def dl(text, year=2024, kind="plan", item="1"):
    return [(d.date, d.precision) for d in extract_deadlines(text, item=item, year=year, kind=kind)]


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("5月底前完成", "2024-05-31", "month"),
        ("2月底前完成", "2024-02-29", "month"),
        ("2024年8月底前竣工投用", "2024-08-31", "month"),
        ("2025年3月底前完成验收", "2025-03-31", "month"),
        ("9月前开工建设", "2024-08-31", "month"),
        ("1月前完成", "2024-12-31", "month"),
        ("2025年1月前完成", "2024-12-31", "month"),
        ("6月30日前上报材料", "2024-06-30", "day"),
        ("12月中旬完成", "2024-12-20", "day"),
        ("3月份启动评估", "2024-03-31", "month"),
        ("3月召开全市教育工作会议", "2024-03-31", "month"),
        ("3—5月开展专项检查", "2024-05-31", "month"),
        ("9月1日至10月31日开展安全隐患排查", "2024-10-31", "day"),
        ("今年底前完成", "2024-12-31", "year"),
        ("明年底前建成", "2025-12-31", "year"),
        ("2024年年底前完成", "2024-12-31", "year"),
        ("力争于2025年建成投用", "2025-12-31", "year"),
        ("十月底前完成验收", "2024-10-31", "month"),
        ("年底前完成验收", "2024-12-31", "year"),
        ("力争年底开工", "2024-12-31", "year"),
        ("年内建成投用", "2024-12-31", "year"),
        ("全年召开专题会议2次以上", "2024-12-31", "year"),
        ("上半年出台实施方案", "2024-06-30", "half"),
        ("下半年开展评估", "2024-12-31", "half"),
        ("第三季度启动制定方案", "2024-09-30", "season"),
        ("一季度完成", "2024-03-31", "season"),
        ("春季完成招生", "2024-05-31", "season"),
        ("夏季完成维修", "2024-08-31", "season"),
        ("于秋季投用", "2024-12-31", "season"),
        ("2024年秋季学期全市大中小学全部开设劳动教育课程", "2024-12-31", "season"),
        ("冬季完成供暖改造", "2024-12-31", "season"),
        ("秋季开学前完成改造", "2024-09-01", "day"),
        ("秋季学期开学前完成作业管理专项检查", "2024-09-01", "day"),  # the term's start, not its end
        ("春季学期开学前完成校舍安全排查", "2024-03-01", "day"),
        ("暑假期间完成校舍维修", "2024-08-31", "season"),
        ("暑期完成维修", "2024-08-31", "season"),
        ("寒假完成", "2025-02-28", "season"),
        ("2024—2025学年完成试点", "2025-08-31", "year"),
        ("到2025年大班额比例控制在10%以内", "2025-12-31", "year"),
        ("到2024年底，确保普惠性资源覆盖率达到84%", "2024-12-31", "year"),
        ("2025年前完成", "2025-12-31", "year"),
        ("完成2024年480套农村教师周转宿舍建设任务", "2024-12-31", "year"),
    ],
)
def test_forms(text, date, precision):
    assert dl(text) == [(date, precision)]


def test_time_column_of_a_task_table():
    assert dl("完成时限：2024年6月") == [("2024-06-30", "month")]
    assert dl("完成时限：12月") == [("2024-12-31", "month")]
    assert dl("时间节点：2024年9月30日") == [("2024-09-30", "day")]
    assert dl("完成时限：2024年") == [("2024-12-31", "year")]
    ds = extract_deadlines("责任科室：基教科\n完成时限：2024年6月", item="1", year=2024, kind="plan")
    assert ds[0].text == "完成时限：2024年6月"


def test_leap_february_of_next_year():
    assert dl("寒假完成", year=2023) == [("2024-02-29", "season")]


def test_text_holds_phrase_and_action():
    s = "按照部分未开工项目3月底前开工、在建项目6月底前主体完工并于秋季投用的要求"
    ds = extract_deadlines(s, item="四/23", year=2019, kind="plan")
    assert [d.text for d in ds] == ["3月底前开工", "6月底前主体完工", "于秋季投用的要求"]
    assert [d.date for d in ds] == ["2019-03-31", "2019-06-30", "2019-12-31"]
    assert all(d.text in s and d.item == "四/23" for d in ds)


def test_phrase_closing_its_clause_takes_the_sentence():
    ds = extract_deadlines("到2019年底，确保覆盖率达到84%。其他", item="1", year=2019, kind="plan")
    assert ds[0].text == "到2019年底，确保覆盖率达到84%"


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月5日印发",  # a date, not a limit
        "10个工作日内办结",  # no anchor
        "学前三年毛入园率达到90%",  # 学前三年 is not a time
        "打赢三年攻坚战",
        "每年秋季开展新生入学教育",  # recurring
        "做好春、秋季学校开学督导",
        "全面开展2024年度教师招聘工作",  # a batch label
        "组织2020年第14届全国学生运动会",
        "落实2024—2025年学位建设用地",
        "贯彻《2024年秋季学期工作方案》",  # inside a title
        "组织“安全年、安全月”活动",
        "做好全年级的课程安排",
        "截至2023年底，全市共有幼儿园120所",  # a baseline before the plan's year
        "2024年3月印发",
        "截至去年年底，全市共有幼儿园100所",
        "2024年春季学期起实施新课程方案",  # a start, not a limit
        "研究部署全年工作",  # 全年 without a yearly amount
    ],
)
def test_not_deadlines(text):
    assert dl(text) == []


def test_relative_phrases_need_a_year():
    assert dl("年底前完成", year=None) == []
    assert dl("2024年8月底前完成", year=None) == [("2024-08-31", "month")]


def test_clause_initial_year_in_an_item_but_not_in_the_preamble():
    s = "落实改革方案，2019年，全市初二年级进行学业水平考试"
    assert dl(s, year=2019, item="三/16") == [("2019-12-31", "year")]
    assert dl("2019年，全市教育系统坚持以人民为中心", year=2019, item="") == []
    assert dl("2021年计划落实学生资助资金4亿元", year=2021) == [("2021-12-31", "year")]


def test_summary_past_dates_are_not_deadlines():
    s = "2023年3月底前完成了验收，秋季学期全部开学，全年完成培训"
    assert dl(s, year=2023, kind="summary") == []
    assert dl(s, year=2023, kind="report") == []


def test_summary_future_commitment_is_a_deadline():
    assert dl("2024年将建成新校区", year=2023, kind="summary") == [("2024-12-31", "year")]


def test_phase_ends_with_its_period_and_lends_its_year() -> None:
    assert dl("第二阶段（2024年2月至7月）：全面推广", year=2023) == [("2024-07-31", "month")]
    assert dl("第一阶段（2023年9月—2024年1月）：启动宣传", year=2023) == [("2024-01-31", "month")]
    assert dl("第三阶段（2024年8月）：总结表彰", year=2023) == [("2024-08-31", "month")]
    # a season on the phase's line is of the phase's (first) year
    assert dl("第二阶段（2025年2月至7月）：全面推广，春季学期完成课程开设", year=2024) == [
        ("2025-07-31", "month"), ("2025-05-31", "season"),
    ]  # fmt: skip


def test_summary_forward_limits_count_past_dates_do_not() -> None:
    assert dl("其余项目力争11月份通过省级验收", year=2024, kind="summary") == [("2024-11-30", "month")]
    assert dl("综合楼已完成主体，年底前完成室外工程", year=2024, kind="summary") == [("2024-12-31", "year")]
    assert dl("截至2024年11月底，已完成教学楼加固", year=2024, kind="summary") == []
    assert dl("现将上半年工作总结如下：", year=2024, kind="summary") == []


def test_not_limits_columns_routines_horizons_periods() -> None:
    assert dl("1-6月完成情况", year=2024) == []
    assert dl("各校于每月底报送进展，每年6月开展评估", year=2024) == []
    assert dl("为2035年建成教育强市奠定基础", year=2024) == []
    assert dl("暑期将至，暑期期间，各校要安排专人值班", year=2024) == []
    assert dl("现就做好2024年秋季学期作业管理工作安排如下：", year=2024) == []
    assert dl("到2027年建成10所新校", year=2024) == [("2027-12-31", "year")]  # within the horizon


def test_month_range_and_school_calendar_in_a_cell() -> None:
    assert dl("3-4月开展安全教育月活动") == [("2024-04-30", "month")]
    assert dl("完成时限：秋季开学") == [("2024-09-01", "day")]


def test_a_heading_naming_a_period_is_no_limit() -> None:
    assert dl("下半年工作计划", year=2025, kind="summary") == []
    assert dl("2025年工作打算\n", year=2024, kind="summary") == []
    assert dl("下半年完成校舍改造", year=2025) == [("2025-12-31", "half")]
