"""督办通报: the figures of a period and the .docx that states them."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from docx import Document

from duban.exports.bulletin import bulletin_docx, bulletin_figures
from duban.ledger.errors import NotFoundError

from .conftest import NOW


def test_figures(session, world):
    fig = bulletin_figures(session, period_name="2024-06", now=NOW)
    assert (fig.tasks, fig.closed, fig.closed_on_time, fig.overdue) == (3, 1, 1, 1)
    assert fig.lights["red"] == 1 and fig.lights["green"] >= 1
    assert list(fig.overdue_by_unit) == ["基础教育科"]
    assert [r.title for r in fig.overdue_by_unit["基础教育科"]] == ["学前三年毛入园率达到94.5%以上"]
    assert fig.missing == ["人事科"]
    assert fig.late == ["基础教育科"] and fig.reported == 1
    assert bulletin_figures(session, period_name="2024-03", now=NOW).late == []


def test_docx_content(session, world):
    doc = Document(
        io.BytesIO(bulletin_docx(session, period_name="2024-06", now=NOW, issuer="某市教育局督查室"))
    )
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "关于2024-06重点任务督办情况的通报"
    text = "\n".join(paras)
    assert "共3项任务，已交办督办任务3项；已销号1项，销号率33.3%。" in text
    assert "已到期或已销号任务2项，其中按期销号1项，按期办结率50.0%。逾期未销号1项。" in text
    assert "本期应报送单位2个，已报送1个，报送率50.0%。" in text
    assert "红灯1项" in text
    assert "（一）基础教育科（1项）" in paras
    assert "以下1个单位未报送本期进展：人事科。" in text
    assert "以下单位在截止时间后报送：基础教育科。" in text
    assert paras[-2:] == ["某市教育局督查室", "2024年7月10日"]
    units = doc.tables[0]
    # average progress as on the dashboard: closed counts 100%, a task never reported 0%
    assert [c.text for c in units.rows[1].cells] == ["1", "基础教育科", "2", "1", "50.0%", "95%"]
    assert [c.text for c in units.rows[2].cells] == ["2", "人事科", "1", "0", "0.0%", "0%"]
    assert [p.style.name for p in doc.paragraphs if p.text.startswith("一、")] == ["一级标题"]


def _sections(content: bytes) -> dict[str, list[str]]:
    """Each level-1 heading -> the text of the paragraphs and table rows after it."""
    doc = Document(io.BytesIO(content))
    out: dict[str, list[str]] = {}
    current = None
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = next(p for p in doc.paragraphs if p._p is block)
            if para.style.name == "一级标题":
                current = para.text
                out[current] = []
            elif current and para.text.strip():
                out[current].append(para.text)
        elif tag == "tbl" and current:
            out[current].append("表格")
    return out


@pytest.mark.parametrize("state", ["world", "plan_only"])
def test_no_section_is_empty(session, state, request):
    request.getfixturevalue(state)
    from duban.ledger import reports
    from duban.ledger.users import Actor

    if state == "plan_only":  # nothing assigned: every section still says so in words
        reports.create_period(
            session,
            actor=Actor("dc1", "supervisor"),
            name="2024-06",
            start=date(2024, 6, 1),
            end=date(2024, 6, 30),
            cutoff=datetime(2024, 7, 5),
        )
    sections = _sections(bulletin_docx(session, period_name="2024-06", now=NOW))
    assert list(sections) == [
        "一、总体情况",
        "二、逾期未销号任务",
        "三、各单位任务完成情况",
        "四、进展报送情况",
        "五、工作要求",
    ]
    assert all(sections.values()), sections
    if state == "world":
        assert sections["三、各单位任务完成情况"] == [
            "共2个牵头单位承担已交办任务，各单位完成情况如下表。",
            "表格",
        ]


def test_unknown_period(session, world):
    with pytest.raises(NotFoundError, match="报送周期不存在：2099-01"):
        bulletin_docx(session, period_name="2099-01", now=NOW)
