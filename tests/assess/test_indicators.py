"""The registry: default file, linking rule, audited edits (add, alias, merge, grow)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duban.assess.indicators import (
    Entry,
    Registry,
    add_alias,
    add_indicator,
    candidates,
    default_entries,
    grow_registry,
    list_indicators,
    load_registry,
    merge_indicators,
)
from duban.ledger.errors import PermissionDenied, ValidationError
from duban.ledger.models import AuditRecord, Indicator
from duban.ledger.users import Actor

from .helpers import doc, load, q

SUP = Actor("dc1", "supervisor")


def test_default_file_and_linking_rule():
    entries = default_entries()
    names = {e.name for e in entries}
    assert {
        "学前三年毛入园率",
        "普惠性幼儿园覆盖率",
        "义务教育巩固率",
        "高中阶段毛入学率",
        "大班额比例",
        "教育经费投入",
    } <= names
    reg = Registry(entries)
    assert reg.match("全市学前三年毛入园率", "%").indicator == "学前三年毛入园率"
    assert reg.match("确保普惠园覆盖率", "%").indicator == "普惠性幼儿园覆盖率"
    assert reg.match("2019年义务教育阶段大班额比例", "%").method == "alias"
    assert reg.match("农村学校大班额比例", "%").method == "similar"
    assert reg.match("学前三年毛入园率", "所") is None  # a rate is never counted in schools
    assert reg.match("初中毛入学率", "%") is None  # another stage
    assert reg.match("市级名师", "名") is None


def test_registry_read_from_file_until_the_first_edit(session):
    assert session.execute(select(Indicator)).first() is None
    assert load_registry(session).resolve("毛入园率").name == "学前三年毛入园率"
    with pytest.raises(PermissionDenied):
        add_alias(session, actor=Actor("u", "unit_member"), name="学前三年毛入园率", alias="入园率")
    add_alias(session, actor=SUP, name="学前三年毛入园率", alias="三年毛入园率")
    stored = session.execute(select(Indicator.name)).scalars().all()
    assert len(stored) == len(default_entries())
    assert load_registry(session).resolve("三年毛入园率").name == "学前三年毛入园率"
    with pytest.raises(ValidationError) as err:
        add_alias(session, actor=SUP, name="义务教育巩固率", alias="全市三年毛入园率")
    assert "学前三年毛入园率" in str(err.value)
    add_indicator(
        session, actor=SUP, name="市级名师", unit="名", category="教师队伍", aliases=["市级名师培养"]
    )
    with pytest.raises(ValidationError):
        add_indicator(session, actor=SUP, name="市级名师")
    merge_indicators(session, actor=SUP, source="市级名师", into="新招聘补充教师")
    reg = load_registry(session)
    assert reg.resolve("市级名师").name == "新招聘补充教师"
    assert reg.resolve("市级名师培养").name == "新招聘补充教师"
    actions = session.execute(select(AuditRecord.action).order_by(AuditRecord.seq)).scalars().all()
    assert actions == ["indicator.seed", "indicator.alias", "indicator.add", "indicator.merge"]


def test_grown_from_documents(session):
    items = [("一", "学校建设", "")]
    for year in (2023, 2024):
        load(
            session,
            doc(
                "plan",
                year,
                items,
                [
                    q("一", "午餐供应率达到90%", "午餐供应率", 90, "%", "target"),
                    q("一", "学前三年毛入园率达到95%", "学前三年毛入园率", 95, "%", "target"),
                    q("一", "建成食堂5所", "建成食堂", 5, "所", "target"),
                ],
            ),
            name=f"{year}.txt",
        )
    found = {c.phrase: c for c in candidates(session)}
    assert found["午餐供应率"].documents == 2
    assert found["建成食堂"].documents == 2  # seen in two documents
    assert "学前三年毛入园率" not in found  # already linked
    assert grow_registry(session, actor=SUP, min_documents=2) == ["午餐供应率", "建成食堂"]
    rows = {r.name: r for r in list_indicators(session)}
    assert rows["午餐供应率"].targets == 2 and rows["学前三年毛入园率"].targets == 2
    assert candidates(session) == []


def test_merge_into_itself_refused(session):
    with pytest.raises(ValidationError):
        merge_indicators(session, actor=SUP, source="毛入园率", into="学前三年毛入园率")
    assert Registry([Entry("甲指标", aliases=("乙指标",))]).resolve("乙指标").name == "甲指标"
