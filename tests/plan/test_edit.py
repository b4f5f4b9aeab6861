"""Corrections on small made-up plans: each operation, its effect on paths, targets and deadlines,
and the Chinese error of an invalid operation."""

from __future__ import annotations

import pytest

from duban.plan import model as pm
from duban.plan.edit import OPS, EditError, Scope, apply_edit, renumber
from duban.plan.parser import parse_file, parse_text
from tests.conftest import SEEDS, small_plan

TEXT = """某县教育局2024年工作要点
一、推进学前教育普惠发展
1.新建幼儿园10所，2024年8月底前竣工。2.学前三年毛入园率达到94.5%以上。
二、加强教师队伍建设
1.新招聘补充教师3000人以上。
（1）年内完成招聘。
2.培训校长200人次。
"""


def paths(plan: pm.Plan, k: int = 0) -> list[str]:
    return [it.path for it in plan.documents[k].items]


def levels(plan: pm.Plan, k: int = 0) -> list[int]:
    return [it.level for it in plan.documents[k].items]


def edit(plan: pm.Plan, **op) -> tuple[pm.Plan, Scope]:
    return apply_edit(plan, op)


def test_the_input_plan_is_never_changed():
    plan = small_plan()
    before = plan.to_dict()
    new, scope = edit(plan, op="set_title", item=1, title="新建幼儿园12所")
    assert plan.to_dict() == before
    assert new.documents[0].items[1].title == "新建幼儿园12所"
    assert scope == Scope("item", 0, 1)


def test_set_meta_changes_only_the_keys_given():
    new, scope = edit(
        small_plan(), op="set_meta", title="某市教育局2025年工作要点", year="2025", date="2025-03-01"
    )
    doc = new.documents[0]
    assert (doc.title, doc.year, doc.date, doc.issuer) == (
        "某市教育局2025年工作要点",
        2025,
        "2025-03-01",
        "某市教育局",
    )
    assert scope.part == "meta"
    new, _ = edit(new, op="set_meta", date="", issuer="", doc_number="某教发〔2025〕1号")
    assert (new.documents[0].date, new.documents[0].issuer) == (None, None)
    assert new.documents[0].doc_number == "某教发〔2025〕1号"


def test_kind_plan_to_summary_turns_targets_into_actuals():
    new, scope = edit(small_plan(), op="set_meta", kind="summary")
    assert {q.role for q in new.documents[0].quantities} == {"actual"}
    assert scope.part == "document"
    back, _ = edit(new, op="set_meta", kind="plan")
    assert {q.role for q in back.documents[0].quantities} == {"target"}


def test_set_title_with_a_new_number_moves_paths_and_targets():
    new, scope = edit(small_plan(), op="set_title", item=4, title="新招聘教师", number="3")
    doc = new.documents[0]
    assert paths(new) == ["一", "一/1", "一/2", "二", "二/3"]
    assert doc.items[4].label == "3"
    assert [q.item for q in doc.quantities][2] == "二/3"
    assert [d.item for d in doc.deadlines] == ["一/1", "二/3"]
    assert scope.part == "document"


def test_demote_takes_children_along_and_promote_back():
    plan = small_plan()
    new, _ = edit(plan, op="set_level", item=3, delta=1)  # 二 under 一
    assert levels(new) == [1, 2, 2, 2, 3]
    assert paths(new) == ["一", "一/1", "一/2", "一/二", "一/二/1"]
    assert new.documents[0].quantities[2].item == "一/二/1"
    assert new.documents[0].quantities[3].item == "一/二"  # the heading's own figure
    back, _ = edit(new, op="set_level", item=3, delta=-1)
    assert paths(back) == paths(plan)
    assert back.documents[0].quantities[2].item == "二/1"


def test_promote_makes_following_siblings_its_children():
    new, _ = edit(small_plan(), op="set_level", item=1, level=1)
    assert paths(new) == ["一", "1", "1/2", "二", "二/1"]
    assert new.documents[0].deadlines[0].item == "1"


@pytest.mark.parametrize(
    ("op", "message"),
    [
        ({"item": 0, "delta": -1}, "已是第一级"),
        ({"item": 0, "delta": 1}, "第一个条目只能是第一级"),
        ({"item": 1, "delta": 1}, "只能比上一条目深一级"),
        ({"item": 1, "delta": 2}, "只能提升或降低一级"),
        ({"item": 9, "delta": 1}, "条目不存在"),
        ({"item": "x", "delta": 1}, "条目序号应为整数"),
    ],
)
def test_invalid_level_changes(op, message):
    with pytest.raises(EditError, match=message):
        apply_edit(small_plan(), {"op": "set_level", **op})


def test_merge_into_previous_joins_text_units_and_targets():
    plan = small_plan()
    new, scope = edit(plan, op="merge", item=2)
    doc = new.documents[0]
    assert paths(new) == ["一", "一/1", "二", "二/1"]
    assert doc.items[1].responsible == ["基础教育科", "财务科"]
    assert doc.items[1].title == "新建幼儿园10所"
    assert [q.item for q in doc.quantities[:2]] == ["一/1", "一/1"]
    assert scope == Scope("document", 0, 1)


def test_merge_a_heading_into_a_task_keeps_its_children_under_that_task():
    new, _ = edit(small_plan(), op="merge", item=3)  # 二 into 一/2
    assert paths(new) == ["一", "一/1", "一/2", "一/2/1"]
    assert levels(new) == [1, 2, 2, 3]
    assert new.documents[0].quantities[3].item == "一/2"


def test_merge_first_item_is_refused():
    with pytest.raises(EditError, match="第一个条目之前没有可合并的条目"):
        edit(small_plan(), op="merge", item=0)


def test_split_a_paragraph_that_held_two_numbered_tasks():
    plan = parse_text(TEXT, "t.txt")
    doc = plan.documents[0]
    i = next(n for n, it in enumerate(doc.items) if it.body.startswith("1.新建幼儿园"))
    assert "2.学前三年" in doc.items[i].body  # the parser kept the inline 2. in one item
    new, scope = edit(plan, op="split", item=i, before="2.学前三年")
    nd = new.documents[0]
    assert nd.items[i].body == "1.新建幼儿园10所，2024年8月底前竣工。"
    assert (nd.items[i + 1].number, nd.items[i + 1].label, nd.items[i + 1].title) == (
        "2",
        "2.",
        "学前三年毛入园率达到94.5%以上",
    )
    assert nd.items[i + 1].path == "一/2"
    owner = {q.text[-12:]: q.item for q in nd.quantities}
    assert owner["学前三年毛入园率达到94.5%以上"[-12:]] == "一/2"
    assert owner["新建幼儿园10所"[-12:]] == "一/1"
    assert all(d.item == "一/1" for d in nd.deadlines if "8月" in d.text)
    assert scope.part == "document"


def test_split_without_a_label_needs_a_number_and_takes_the_title_given():
    plan = small_plan()
    plan.documents[0].items[4].body = "1.新招聘补充教师3000人以上。培训校长200人次。"
    with pytest.raises(EditError, match="请填写拆分出的新条目的编号"):
        edit(plan, op="split", item=4, before="培训校长")
    new, _ = edit(plan, op="split", item=4, before="培训校长", number="2", title="校长培训")
    assert paths(new)[-2:] == ["二/1", "二/2"]
    assert new.documents[0].items[-1].title == "校长培训"
    with pytest.raises(EditError, match="找不到这段文字"):
        edit(plan, op="split", item=4, before="不存在的文字")
    with pytest.raises(EditError, match="中间"):
        edit(plan, op="split", item=4, at=0, number="2")


def test_split_children_follow_the_new_item():
    plan = parse_text(TEXT, "t.txt")
    doc = plan.documents[0]
    i = next(n for n, it in enumerate(doc.items) if it.title.startswith("新招聘"))
    plan.documents[0].items[i].body += "。另行组织考核"
    new, _ = edit(plan, op="split", item=i, before="另行组织考核", number="1a")
    assert "二/1a/1" in paths(new)


def test_delete_item_lifts_children_and_drops_its_targets():
    new, scope = edit(small_plan(), op="delete_item", item=3)
    doc = new.documents[0]
    assert paths(new) == ["一", "一/1", "一/2", "1"]
    assert [q.text for q in doc.quantities] == [
        "新建幼儿园10所",
        "学前三年毛入园率达到94.5%以上",
        "新招聘补充教师3000人以上",
    ]
    assert doc.quantities[2].item == "1"
    assert scope.part == "document"


def test_delete_subtree():
    new, _ = edit(small_plan(), op="delete_item", item=3, subtree=True)
    assert paths(new) == ["一", "一/1", "一/2"]
    assert len(new.documents[0].quantities) == 2 and len(new.documents[0].deadlines) == 1


def test_the_last_item_cannot_be_deleted():
    plan = small_plan()
    plan.documents[0].items = plan.documents[0].items[:3]
    with pytest.raises(EditError, match="至少要保留一个条目"):
        edit(plan, op="delete_item", item=0, subtree=True)


def test_set_units_lead_first_then_co_units():
    new, scope = edit(small_plan(), op="set_units", item=4, lead="人事科", co="财务科、 基础教育科，人事科")
    it = new.documents[0].items[4]
    assert it.responsible == ["人事科", "财务科", "基础教育科"]
    assert it.co_units == ["财务科", "基础教育科"]
    assert scope == Scope("item", 0, 4)
    cleared, _ = edit(new, op="set_units", item=4, lead="", co=[])
    assert cleared.documents[0].items[4].responsible == []
    with pytest.raises(EditError, match="请先填写牵头单位"):
        edit(small_plan(), op="set_units", item=4, lead="", co="财务科")
    with pytest.raises(EditError, match="牵头单位只能填一个"):
        edit(small_plan(), op="set_units", item=4, lead="人事科、财务科")


def test_add_set_delete_quantity():
    plan = small_plan()
    new, scope = edit(
        plan,
        op="add_quantity",
        item=1,
        text="新增学位3000个",
        indicator="新增学位",
        comparator=">=",
        value="3000",
        unit="个",
    )
    doc = new.documents[0]
    assert doc.quantities[1].text == "新增学位3000个"  # right after the item's other target
    assert (doc.quantities[1].item, doc.quantities[1].value, doc.quantities[1].role) == (
        "一/1",
        3000,
        "target",
    )
    assert scope == Scope("item", 0, 1)
    new, _ = edit(new, op="set_quantity", index=1, value="1.5", unit="万个")
    q = new.documents[0].quantities[1]
    assert (q.value, q.unit, q.normalized_value, q.normalized_unit) == (1.5, "万个", 15000, "个")
    new, _ = edit(new, op="set_quantity", index=1, comparator="range", value=1, value_high=2)
    assert new.documents[0].quantities[1].value_high == 2
    new, scope = edit(new, op="delete_quantity", index=1)
    assert len(new.documents[0].quantities) == 4
    assert scope == Scope("item", 0, 1)


def test_add_quantity_to_the_preamble():
    new, scope = edit(
        small_plan(),
        op="add_quantity",
        item=None,
        text="全市学校500所",
        indicator="学校",
        value=500,
        unit="所",
        role="actual",
    )
    assert new.documents[0].quantities[0].item == ""
    assert scope == Scope("document", 0)


@pytest.mark.parametrize(
    ("op", "message"),
    [
        ({"op": "add_quantity", "item": 1, "text": "", "indicator": "x"}, "原文不能为空"),
        (
            {"op": "add_quantity", "item": 1, "text": "x", "indicator": "x", "comparator": "约"},
            "比较方式无效",
        ),
        ({"op": "add_quantity", "item": 1, "text": "x", "indicator": "x", "role": "goal"}, "类型无效"),
        ({"op": "add_quantity", "item": 1, "text": "x", "indicator": "x", "value": "三千"}, "数值应为数字"),
        (
            {
                "op": "add_quantity",
                "item": 1,
                "text": "x",
                "indicator": "x",
                "comparator": "range",
                "value": 5,
            },
            "区间需要",
        ),
        (
            {
                "op": "add_quantity",
                "item": 1,
                "text": "x",
                "indicator": "x",
                "comparator": "range",
                "value": 5,
                "value_high": 1,
            },
            "上限不能小于下限",
        ),
        ({"op": "set_quantity", "index": 7, "value": 1}, "指标不存在"),
        ({"op": "delete_quantity", "index": -1}, "指标不存在"),
        ({"op": "add_deadline", "item": 1, "text": "8月底前", "date": "2024-02-30"}, "YYYY-MM-DD"),
        (
            {"op": "add_deadline", "item": 1, "text": "8月底前", "date": "2024-08-31", "precision": "week"},
            "精度无效",
        ),
        ({"op": "add_deadline", "item": 1, "text": " ", "date": "2024-08-31"}, "时限原文不能为空"),
        ({"op": "set_deadline", "index": 5, "date": "2024-08-31"}, "时限不存在"),
        ({"op": "set_meta", "kind": "memo"}, "文档类型无效"),
        ({"op": "set_meta", "year": 1800}, "年度不合理"),
        ({"op": "set_meta", "title": " "}, "标题不能为空"),
        ({"op": "set_meta", "doc": 3, "title": "x"}, "文档不存在"),
        ({"op": "set_title", "item": 1, "title": ""}, "条目标题不能为空"),
        ({"op": "set_title", "item": 1, "title": "x" * 501}, "过长"),
        ({"op": "delete_document"}, "只有这一个文档"),
        ({"op": "rename"}, "未知的修改操作"),
        ({}, "未知的修改操作"),
    ],
)
def test_invalid_operations_give_a_chinese_error(op, message):
    with pytest.raises(EditError, match=message):
        apply_edit(small_plan(), op)


def test_non_dict_operation():
    with pytest.raises(EditError, match="格式不正确"):
        apply_edit(small_plan(), ["set_title"])  # type: ignore[arg-type]


def test_add_set_delete_deadline():
    new, scope = edit(
        small_plan(), op="add_deadline", item=2, text="6月底前", date="2024-06-30", precision="month"
    )
    doc = new.documents[0]
    assert [d.item for d in doc.deadlines] == ["一/1", "一/2", "二/1"]
    assert scope == Scope("item", 0, 2)
    new, _ = edit(new, op="set_deadline", index=1, date="2024-07-31")
    assert new.documents[0].deadlines[1].date == "2024-07-31"
    assert new.documents[0].deadlines[1].precision == "month"
    new, scope = edit(new, op="delete_deadline", index=1)
    assert [d.item for d in new.documents[0].deadlines] == ["一/1", "二/1"]
    assert scope == Scope("item", 0, 2)


ENTRY_EDITS = [
    {
        "op": "add_quantity",
        "item": 4,
        "text": "培训教师500人",
        "indicator": "培训教师",
        "value": 500,
        "unit": "人",
    },
    {"op": "set_quantity", "index": 2, "value": 3500},
    {"op": "delete_quantity", "index": 2},
    {"op": "add_deadline", "item": 4, "text": "9月底前", "date": "2024-09-30", "precision": "month"},
    {"op": "set_deadline", "index": 1, "date": "2024-11-30"},
    {"op": "delete_deadline", "index": 1},
]


@pytest.mark.parametrize("op", ENTRY_EDITS, ids=[o["op"] for o in ENTRY_EDITS])
def test_each_entry_edit_returns_a_copy_and_scopes_the_owning_item(op):
    plan = small_plan()
    before = plan.to_dict()
    new, scope = apply_edit(plan, op)
    assert plan.to_dict() == before  # the input is never changed
    assert new.to_dict() != before
    assert scope == Scope("item", 0, 4)  # every entry edited here belongs to 二/1
    listed = "quantities" if op["op"].endswith("quantity") else "deadlines"
    grown = len(getattr(new.documents[0], listed)) - len(getattr(plan.documents[0], listed))
    assert grown == {"add": 1, "set": 0, "delete": -1}[op["op"].split("_")[0]]


def test_add_deadline_to_the_preamble_goes_first():
    new, scope = edit(
        small_plan(), op="add_deadline", item="", text="全年", date="2024-12-31", precision="year"
    )
    assert [d.item for d in new.documents[0].deadlines] == ["", "一/1", "二/1"]
    assert scope == Scope("document", 0)


@pytest.mark.parametrize(
    ("op", "message"),
    [
        ({"op": "delete_deadline", "index": 2}, "时限不存在（序号 2）"),
        ({"op": "set_deadline", "index": "x"}, "时限序号应为整数"),
        ({"op": "set_quantity", "index": None}, "指标序号应为整数"),
        ({"op": "delete_quantity", "index": 4}, "指标不存在（序号 4）"),
    ],
)
def test_entry_index_errors_name_the_list(op, message):
    with pytest.raises(EditError, match=message):
        apply_edit(small_plan(), op)


def test_delete_document_of_a_compilation():
    plan = small_plan()
    plan.documents.append(small_plan(title="某市教育局2024年工作总结").documents[0])
    new, scope = edit(plan, op="delete_document", doc=0)
    assert [d.title for d in new.documents] == ["某市教育局2024年工作总结"]
    assert scope.part == "plan"


def test_every_op_has_a_chinese_name():
    from duban.plan.edit import OP_NAMES

    assert set(OP_NAMES) == set(OPS)


def test_paths_from_levels_are_the_parsers_paths_on_the_seeds():
    for f in sorted(SEEDS.iterdir()):
        for doc in parse_file(f).documents:
            before = [(it.path, it.level) for it in doc.items]
            renumber(doc)
            assert [(it.path, it.level) for it in doc.items] == before, f.name
