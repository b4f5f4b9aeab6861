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
