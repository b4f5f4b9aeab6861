"""Year-end summary draft: closed tasks with their latest figures, targets not met."""

from __future__ import annotations

import io

from docx import Document

from duban.exports.summary_draft import summary_draft_docx, summary_results

from .conftest import NOW


def test_results_per_heading(session, world):
    plan, headings = summary_results(session, plan_id=world.plan_id)
    assert plan.title == "某市教育局2024年工作要点"
    first, second = headings
    assert first.heading.title == "推进学前教育普惠发展" and first.tasks == 2
    [closed] = first.closed
    assert closed.task.title == "新建幼儿园10所" and closed.work_done == "10所幼儿园全部竣工"
    [kids] = closed.targets
    assert (kids.actual, kids.state) == (10, "met")  # the later report (10) wins over the earlier (4)
    [(task, rate)] = first.not_met
    assert task.title.startswith("学前三年") and (rate.actual, rate.state) == (93, "not_met")
    assert second.closed == [] and second.not_met == []
    [(_, teachers)] = second.unknown
    assert teachers.actual is None and teachers.state == "unknown"


def test_docx(session, world):
    doc = Document(io.BytesIO(summary_draft_docx(session, plan_id=world.plan_id, now=NOW)))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "某市教育局2024年工作总结"
    assert "一、推进学前教育普惠发展" in paras and "二、加强教师队伍建设" in paras
    assert "1. 新建幼儿园10所。10所幼儿园全部竣工。主要指标：新建幼儿园10所，实际10所（已完成）。" in paras
    assert (
        "1. 学前三年毛入园率达到94.5%以上：实际93%，未完成（任务：学前三年毛入园率达到94.5%以上）。" in paras
    )
    assert any(p.startswith("1. 新招聘补充教师3000人以上：尚未报送实际数据，无法判断") for p in paras)
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["一、推进学前教育普惠发展"] == "一级标题" and styles["（二）未完成的目标"] == "二级标题"
    assert paras[-1] == "2024年7月10日"
