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
