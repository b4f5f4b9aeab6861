"""A task decomposition table pasted as text: pipes, tabs, one cell per line."""

import pytest

from duban.plan.parser import parse_text

HEAD = "XX县教育局2024年重点工作任务分解表\n"
PIPES = (
    HEAD
    + """序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限
一、党的建设
1 | 加强基层党建。推进标准化建设 | 组织人事科 | 机关党委、办公室 | 2024年6月底前
2 | 开展党纪学习教育 | 机关党委 |  | 2024年12月
"""
)
TABS = (
    HEAD
    + "序号\t工作任务\t牵头单位\t配合单位\t完成时限\n一、党的建设\n1\t加强基层党建。推进标准化建设\t组织人事科\t机关党委、办公室\t2024年6月底前\n2\t开展党纪学习教育\t机关党委\t\t2024年12月\n"
)
CELLS = (
    HEAD
    + """序号
工作任务
牵头单位
配合单位
完成时限
一、党的建设
1
加强基层党建。推进标准化建设
组织人事科
机关党委、办公室
2024年6月底前
2
开展党纪学习教育
机关党委
2024年12月
"""
)


@pytest.mark.parametrize("text", [PIPES, TABS], ids=["pipes", "tabs"])
def test_rows_become_tasks_with_fields(text: str) -> None:
    (doc,) = parse_text(text, "t.txt").documents
    heading, first, second = doc.items
    assert (heading.path, heading.title) == ("一", "党的建设")
    assert (first.path, first.level, first.title) == ("一/1", 2, "加强基层党建")
    assert first.responsible == ["组织人事科", "机关党委", "办公室"]
    assert first.co_units == ["机关党委", "办公室"]
    assert first.fields["完成时限"] == "2024年6月底前"
    assert second.responsible == ["机关党委"]
    assert second.fields["完成时限"] == "2024年12月"


def test_one_cell_per_line() -> None:
    (doc,) = parse_text(CELLS, "t.txt").documents
    assert [(i.path, i.title) for i in doc.items] == [
        ("一", "党的建设"),
        ("一/1", "加强基层党建"),
        ("一/2", "开展党纪学习教育"),
    ]
    assert doc.items[1].responsible == ["组织人事科", "机关党委", "办公室"]
    assert doc.items[1].fields["完成时限"] == "2024年6月底前"


TWO_ROW = """2025年重点任务分解表
序号 | 类别 | 工作任务 | 责任单位 |  | 完成时限 | 联系人
序号 | 类别 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 | 联系人
1 | 学前教育 | 新建幼儿园5所 | 基教科 | 财务科 | 2025.06 | 张老师
2 | 学前教育 | 推进普惠发展 | 基教科 |  | 45838 |
3 | 教师队伍 | 招聘教师300人 | 人事科 |  | 长期 |
"""


def test_two_row_header_and_a_category_column() -> None:
    (doc,) = parse_text(TWO_ROW, "t.xlsx").documents
    assert [(i.path, i.title) for i in doc.items] == [
        ("一", "学前教育"),
        ("一/1", "新建幼儿园5所"),
        ("一/2", "推进普惠发展"),
        ("二", "教师队伍"),
        ("二/3", "招聘教师300人"),
    ]
    first = doc.items[1]
    assert (first.responsible, first.co_units) == (["基教科", "财务科"], ["财务科"])
    assert first.fields["联系人"] == "张老师"  # an unknown column is kept as a field, not a unit
    assert {(d.item, d.date) for d in doc.deadlines} == {("一/1", "2025-06-30"), ("一/2", "2025-06-30")}
    assert doc.items[4].fields["完成时限"] == "长期"


@pytest.mark.parametrize(
    ("cell", "phrase"),
    [
        ("2025.06", "2025年6月"),
        ("2025-06-30", "2025年6月30日"),
        ("2025/9/1前", "2025年9月1日前"),
        ("45838", "2025年6月30日"),
        ("长期", "长期"),
        ("持续推进", "持续推进"),
        ("2025年6月底前", "2025年6月底前"),
    ],
)
def test_deadline_cells(cell: str, phrase: str) -> None:
    from duban.plan.tables import deadline_value

    assert deadline_value(cell) == phrase


def test_sheet_names_are_headings_or_nothing() -> None:
    def sheet(name: str, task: str) -> list[str]:
        return [
            f"工作表：{name}",
            "序号 | 工作任务 | 责任单位 | 完成时限",
            f"1 | {task} | 办公室 | 2025年12月",
        ]

    named = parse_text(
        "\n".join(sheet("党建工作", "加强意识形态工作") + sheet("教育教学", "开展质量监测")), "两表.xlsx"
    )
    assert [(i.path, i.title) for i in named.documents[0].items] == [
        ("一", "党建工作"),
        ("一/1", "加强意识形态工作"),
        ("二", "教育教学"),
        ("二/1", "开展质量监测"),
    ]
    assert named.documents[0].title == ""  # no line can be its title
    (doc,) = parse_text("\n".join(sheet("Sheet1", "加强意识形态工作")), "一表.xlsx").documents
    assert [(i.path, i.title) for i in doc.items] == [("1", "加强意识形态工作")]


def test_sheets_named_as_plans_are_documents_of_their_own() -> None:
    text = "\n".join(
        [
            "工作表：某县教育局2025年工作要点任务分解表",
            "序号 | 工作任务 | 责任单位 | 完成时限",
            "1 | 加强意识形态工作 | 办公室 | 2025年12月",
            "工作表：某县教育局2024年工作要点任务分解表",
            "序号 | 工作任务 | 责任单位 | 完成时限",
            "1 | 开展质量监测 | 教研室 | 2024年7月",
        ]
    )
    docs = parse_text(text, "两年.xlsx").documents
    assert [(d.title, d.year, len(d.items)) for d in docs] == [
        ("某县教育局2025年工作要点任务分解表", 2025, 1),
        ("某县教育局2024年工作要点任务分解表", 2024, 1),
    ]


def test_a_docx_holding_only_a_table_is_a_task_table(tmp_path) -> None:
    from duban.plan.parser import parse_file
    from tests.documents.sheet_files import table_only_docx

    (tmp_path / "表.docx").write_bytes(table_only_docx())
    (doc,) = parse_file(tmp_path / "表.docx").documents
    assert [(i.path, i.title, i.responsible) for i in doc.items] == [
        ("1", "新建幼儿园5所", ["基教科", "规划科"]),
        ("2", "推进课后服务", ["体卫艺科"]),
    ]
    assert [d.date for d in doc.deadlines] == ["2025-06-30"]


def _rows(text: str) -> list[tuple[str, str, list[str]]]:
    doc = parse_text(text, "t.txt").documents[0]
    return [(i.path, i.title, i.responsible) for i in doc.items]


def test_row_number_alone_with_its_cells_on_the_next_line() -> None:
    text = (
        HEAD
        + "序号 | 工作任务 | 牵头单位 | 完成时限\n一、党的建设\n1 |\n开展党课活动12场次 | 组织科 | 6月底前\n2 |\n建成示范点5个 | 机关党委 | 11月\n"
    )
    doc = parse_text(text, "t.txt").documents[0]
    assert [(i.path, i.title, i.responsible) for i in doc.items] == [
        ("一", "党的建设", []), ("一/1", "开展党课活动12场次", ["组织科"]), ("一/2", "建成示范点5个", ["机关党委"]),
    ]  # fmt: skip
    # the other cells are the task's own text: its figures and time limits count
    assert [q.value for q in doc.quantities] == [12, 5]
    assert [d.date for d in doc.deadlines] == ["2024-06-30", "2024-11-30"]


def test_progress_table_whose_header_is_the_first_line() -> None:
    text = "序号|项目名称|年度目标|牵头单位|1-6月进展\n1|学校扩容工程|新增学位300个|规划科|已开工项目6个\n2|教师培训|培训500人次|教师科|已培训260人次\n"
    doc = parse_text(text, "t.txt").documents[0]
    assert not doc.title  # the header is columns, not a title
    assert doc.kind == "report"
    assert [(i.path, i.title) for i in doc.items] == [("1", "学校扩容工程"), ("2", "教师培训")]
    assert doc.items[0].fields["进展情况"] == "已开工项目6个"
    assert {q.role for q in doc.quantities} == {"actual"}
    assert not doc.deadlines  # "1-6月进展" is a column header, not a time limit


def test_category_cells_a_heading_on_the_row_and_a_merged_cell() -> None:
    text = (
        HEAD
        + "类别 | 序号 | 工作任务 | 责任单位 | 完成时限\n"
        + "一、学位扩容 | 1 | 新建幼儿园 | 基建科 | 8月底\n"
        + "| 2 | 扩建中学 | 基建科 | 秋季开学前\n"
        + "二、健康促进 | 3 | 体质监测 | 体卫艺科 | 第四季度\n"
    )
    assert _rows(text) == [
        ("一", "学位扩容", []), ("一/1", "新建幼儿园", ["基建科"]), ("一/2", "扩建中学", ["基建科"]),
        ("二", "健康促进", []), ("二/3", "体质监测", ["体卫艺科"]),
    ]  # fmt: skip


@pytest.mark.parametrize("ext", ["xlsx", "xls"])
@pytest.mark.parametrize("start", [1, 2], ids=["from-the-serial-column", "from-the-task-column"])
def test_a_category_row_merged_across_is_the_parent_of_the_rows_below(start: int, ext: str, tmp_path) -> None:
    """A real .xlsx (and its .xls by LibreOffice, whose merges calamine reads from the MERGEDCELLS
    records): a row whose only cell is a category merged across the columns, no 序号."""
    import io

    import openpyxl

    from duban.documents import read_bytes
    from tests.documents.sheet_files import convert

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某县教育局2025年重点任务分解表"])
    ws.append(["序号", "重点任务", "牵头单位", "完成时限"])
    serial = 0
    for category, tasks in (
        ("学前教育", ["新建幼儿园3所"]),
        ("教师队伍建设", ["招聘教师120名", "培训校长40名"]),
    ):
        ws.append([None] * (start - 1) + [category])
        ws.merge_cells(start_row=ws.max_row, start_column=start, end_row=ws.max_row, end_column=4)
        for task in tasks:
            serial += 1
            ws.append([serial, task, "人事科", "2025年12月"])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue() if ext == "xlsx" else convert(buf.getvalue(), ext, tmp_path)
    src = read_bytes(data, f"分解表.{ext}")
    doc = parse_text(src.text, src.name).documents[0]
    assert [(i.path, i.title) for i in doc.items] == [
        ("一", "学前教育"), ("一/1", "新建幼儿园3所"),
        ("二", "教师队伍建设"), ("二/2", "招聘教师120名"), ("二/3", "培训校长40名"),
    ]  # fmt: skip
    assert len(doc.deadlines) == 3


def test_an_unnumbered_sentence_row_is_a_task_not_a_category() -> None:
    text = (
        HEAD
        + "序号 | 工作任务 | 牵头单位\n| 1 | 新建幼儿园 | 基建科 |\n|  | 开展师德师风专项整治，覆盖全体教师。 |  |\n"
    )
    assert [t for _, t, _ in _rows(text)] == ["新建幼儿园", "开展师德师风专项整治，覆盖全体教师"]
