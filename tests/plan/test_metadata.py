import pytest

from duban.plan.metadata import clean_title, date_line, doc_number_in, issuer_from_title, kind_of, year_of
from duban.plan.parser import parse_text


@pytest.mark.parametrize(
    ("title", "kind"),
    [("XX市教育局2024年工作要点", "plan"), ("2020年工作总结", "summary"), ("教育局2018年工作汇报材料", "report"),
     ("XX县教育局2023年工作报告", "report"), ("2025年教育工作计划", "plan"), ("关于印发2020年工作总结的通知", "notice")],
)  # fmt: skip
def test_kind_from_title(title: str, kind: str) -> None:
    assert kind_of(title) == kind


def test_title_without_notice_wrapper_and_guillemets() -> None:
    assert clean_title("关于印发《青岛市教育局2018年工作要点》的通知") == "青岛市教育局2018年工作要点"
    assert clean_title("《XX县2024年教育工作要点》") == "XX县2024年教育工作要点"


def test_year_issuer_number_and_date_forms() -> None:
    assert year_of("二〇二一年工作要点") == 2021
    assert year_of("XX市教育局2019年工作要点") == 2019
    assert issuer_from_title("XX市教育局2019年工作要点") == "XX市教育局"
    assert issuer_from_title("XX市教育局（市委教育工委）2019年工作要点") == "XX市教育局"
    assert issuer_from_title("2021年工作要点") is None
    assert doc_number_in(["冀教办〔2023〕15号"]) == "冀教办〔2023〕15号"
    assert doc_number_in(["• 发文字号 青教发[2018]8号"]) == "青教发[2018]8号"
    assert date_line("2021年4月6日") == "2021-04-06"
    assert date_line("二〇二一年四月十六日") == "2021-04-16"
    assert date_line("于2021年4月6日召开") is None


def test_notice_summary_and_plan_in_one_file() -> None:
    text = """XX教发〔2021〕3号
关于印发2020年工作总结及2021年
工作要点的通知
各县教育局：
现将《2020年工作总结》和《2021年工作要点》印发给你们，请认真贯彻落实。
中共XX市委教育工委    XX市教育局
2021年3月8日
2020年工作总结
一、党的建设成效显著
全年开展学习12次。
二、教育质量稳步提升
2021年工作要点
一、加强党的建设
1.深入学习。全面学习。
责任科室：机关党委
二、提高教育质量
2.深化改革
"""
    docs = parse_text(text, "t.txt").documents
    assert [(d.title, d.kind, d.year) for d in docs] == [
        ("2020年工作总结", "summary", 2020),
        ("2021年工作要点", "plan", 2021),
    ]
    for d in docs:  # the cover notice's metadata is copied to each part
        assert d.doc_number == "XX教发〔2021〕3号"
        assert d.date == "2021-03-08"
        assert d.issuer == "中共XX市委教育工委、XX市教育局"
    assert [i.path for i in docs[1].items] == ["一", "一/1", "二", "二/2"]
    assert docs[1].items[1].responsible == ["机关党委"]


def test_web_page_fields_name_issuer_and_signed_date_wins() -> None:
    text = """关于印发《XX市教育局2018年工作要点》的通知
• 成文日期 2018-02-09
• 发文字号 XX教发〔2018〕8号
• 发文单位 XX市教育局
现将《XX市教育局2018年工作要点》印发给你们。
中共XX市教育局委员会    XX市教育局
2018年2月7日
XX市教育局（市委高校工委）2018年工作要点
一、党的建设
1.提升质量。内容。
"""
    (doc,) = parse_text(text, "t.txt").documents
    assert (doc.title, doc.year, doc.issuer, doc.doc_number, doc.date) == (
        "XX市教育局（市委高校工委）2018年工作要点", 2018, "XX市教育局", "XX教发〔2018〕8号", "2018-02-07",
    )  # fmt: skip


def test_compilation_gives_one_document_per_plan() -> None:
    text = """教育局2024年工作要点汇编（3篇）
目录
1.甲县教育局2024年工作要点 2
2.乙县教育局2024年工作要点 5
甲县教育局2024年工作要点
一、党建
1.加强领导。内容。
乙县教育局2024年工作要点
1.加强党建。内容。
2.提升质量。内容。
"""
    docs = parse_text(text, "t.txt").documents
    assert [(d.title, d.issuer, len(d.items)) for d in docs] == [
        ("甲县教育局2024年工作要点", "甲县教育局", 2),
        ("乙县教育局2024年工作要点", "乙县教育局", 2),
    ]


def test_issuer_from_the_cover_notice_title() -> None:
    text = """XX县教育局关于印发2024年教育工作要点的通知
各学校：现将《2024年教育工作要点》印发给你们，请认真贯彻落实。
2024年教育工作要点
一、党的建设
1.加强领导。内容。
"""
    (doc,) = parse_text(text, "t.txt").documents
    assert (doc.title, doc.issuer, doc.year) == ("2024年教育工作要点", "XX县教育局", 2024)
    assert clean_title("XX县教育局关于印发《2024年教育工作要点》的通知") == "2024年教育工作要点"


def test_an_attached_task_table_is_its_own_document() -> None:
    text = """XX县教育局2024年工作要点
一、党的建设
1.加强领导。内容。
附件
2024年重点工作任务分解表
序号 | 工作任务 | 牵头单位 | 完成时限
1 | 加强领导 | 机关党委 | 6月底前
"""
    plan, table = parse_text(text, "t.txt").documents
    assert [i.path for i in plan.items] == ["一", "一/1"]
    assert table.title == "2024年重点工作任务分解表"
    assert [(i.path, i.responsible) for i in table.items] == [("1", ["机关党委"])]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("关于2023年高校学生资助工作完成情况的通报", "report"),
        ("2024年教育民生实事项目完成情况公示", "report"),
    ],
)
def test_completion_notices_and_public_notices_are_reports(title: str, kind: str) -> None:
    assert kind_of(title) == kind


def test_issuer_and_year_from_the_title_a_ministry_department_too() -> None:
    assert issuer_from_title("某某县教育体育局2022年工作总结") == "某某县教育体育局"
    assert issuer_from_title("教育部某某工作司2025年工作要点") == "教育部某某工作司"


@pytest.mark.parametrize(
    ("line", "date"),
    [("2023415", "2023-04-15"), ("20221205", "2022-12-05"), ("2023121", None), ("2023135", None)],
)
def test_signature_date_without_separators(line: str, date: str | None) -> None:
    assert date_line(line) == date  # "2023121" reads as 1-21 or 12-1: no date


def test_speech_subtitle_under_a_headline() -> None:
    text = "奋进开新局 聚力谱新篇\n——在2024年全县教育工作会议上的报告\n一、回顾\n新建学校3所。\n二、安排\n招聘教师150名。"
    doc = parse_text(text, "t.txt").documents[0]
    assert (doc.title, doc.kind, doc.year) == ("奋进开新局聚力谱新篇", "report", 2024)


def test_web_cruft_before_the_title() -> None:
    text = (
        "本文由网友整理发布，仅供参考。\n安全无小事，这份要点请收好！\n第1页 共3页\n"
        "20220315：某某县教育局2022年学校安全工作要点\n一、总体要求\n坚持安全第一。\n二、重点任务\n加强安全教育。"
    )
    doc = parse_text(text, "t.txt").documents[0]
    assert (doc.title, doc.issuer, doc.year) == ("某某县教育局2022年学校安全工作要点", "某某县教育局", 2022)


def test_no_title_is_null_not_a_body_sentence() -> None:
    text = "为落实双减政策，现就做好2024年秋季学期作业管理工作安排如下：\n一、严控总量\n不超过60分钟。\n二、提高质量\n评比1次。"
    doc = parse_text(text, "t.txt").documents[0]
    assert doc.title == "" and doc.to_dict()["title"] is None
    assert doc.year == 2024  # the opening sentence names the year


def test_text_without_an_outline_is_one_document() -> None:
    text = "关于做好2025年暑期学生安全工作的通知\n各学校：\n各校要在7月10日前完成安全教育，家长签收率达到100%。\n某某区教育局\n2025年6月28日"
    plan = parse_text(text, "t.txt")
    assert len(plan.documents) == 1
    doc = plan.documents[0]
    assert (doc.kind, doc.year, doc.issuer, doc.date, doc.items) == (
        "notice",
        2025,
        "某某区教育局",
        "2025-06-28",
        [],
    )
    assert [(q.value, q.role) for q in doc.quantities] == [(100, "target")]
    assert [d.date for d in doc.deadlines] == ["2025-07-10"]
