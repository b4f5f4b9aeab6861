"""督办单: the form's fields from the ledger, and the .docx that prints them."""

from __future__ import annotations

import io

from docx import Document

from duban.exports.duban_form import form_data, form_docx
from duban.ledger import instructions
from duban.ledger.users import Actor

SUP = Actor("dc1", "supervisor")


def test_form_fields(session, world):
    tid = world.tasks["一/1"]
    instructions.instruct(session, actor=Actor("ld", "leader"), task_id=tid, text="总结经验，推广做法")
    rows = dict(form_data(session, task_id=tid).rows())
    assert rows["编号"] == "督〔2024〕一/1号"
    assert rows["督办事项"] == "1. 新建幼儿园10所"
    assert rows["来源"] == "《某市教育局2024年工作要点》"
    assert (rows["牵头单位"], rows["配合单位"]) == ("基础教育科", "财务科")
    assert rows["完成时限"] == "2024年8月31日"
    assert rows["督办要求"] == "1. 新建幼儿园10所\n2. 2024年8月底前完成"
    assert rows["办理情况"].startswith(
        "已销号（2024年7月1日销号）。基础教育科2024-06报送，进度100%：10所幼儿园全部竣工"
    )
    assert rows["领导批示"].startswith("总结经验，推广做法（ld，")
    other = dict(form_data(session, task_id=world.tasks["一/2"]).rows())
    assert other["签收人/签收时间"].startswith("基础教育科（牵头）：jj1，2024-")  # signed by its first report
    assert dict(form_data(session, task_id=world.tasks["二/1"]).rows())["领导批示"] == "—"


def test_form_docx_prints_every_field(session, world):
    name, content = form_docx(session, task_id=world.tasks["一/2"])
    assert name.startswith("督办单督〔2024〕一") and name.endswith("2号.docx")
    doc = Document(io.BytesIO(content))
    assert doc.paragraphs[0].text == "督办单"
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    labels = [r[0] for r in cells]
    assert labels == [
        "编号",
        "督办事项",
        "来源",
        "牵头单位",
        "配合单位",
        "完成时限",
        "督办要求",
        "办理情况",
        "领导批示",
        "签收人/签收时间",
    ]
    assert dict(cells)["督办事项"] == "2. 学前三年毛入园率达到94.5%以上"
    assert all(v for _, v in cells)  # no empty field on the printed form
