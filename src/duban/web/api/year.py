"""Year-end API: reconciliation of targets, the indicator registry, comparisons, unit assessment.

Thin: every route calls one function of `duban.assess`. Leaders read everything; supervisors and
system administrators may also change (corrections, the registry). Unit members get 403 here:
these views show every unit's figures and scores; security and audit administrators see no
business data at all.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from duban.assess import compare, indicators, reconcile, scoring
from duban.ledger.db import utcnow
from duban.ledger.errors import NotFoundError, ValidationError
from duban.ledger.models import Indicator, Quantity
from duban.ledger.read.common import Page
from duban.ledger.read.plans import PlanBrief, get_plan, plan_brief
from duban.web.api.units import PagingDep, page_of
from duban.web.deps import Allowed, Db

Reader = Allowed("year.read")
Editor = Allowed("year.edit")

router = APIRouter(tags=["年终考核"])


# ---------------------------------------------------------------- shapes
class ReconcileOut(BaseModel):
    plan_id: int
    plan_title: str
    source: str = Field(description="summary:<总结编号> 或 reports（进展报送）")
    source_title: str
    counts: dict[str, int] = Field(description="各状态的目标数（筛选前）")
    rows: list[reconcile.ReconcileRow]


class IndicatorOut(BaseModel):
    id: int | None = Field(description="指标库中的编号；内置、尚未修改过的指标为空")
    name: str
    unit: str
    category: str
    aliases: list[str]
    targets: int = Field(description="关联的计划目标数")
    actuals: int = Field(description="关联的实际数值数")
    stored: bool

    @classmethod
    def of(cls, r: indicators.IndicatorSummary, ids: dict[str, int]) -> IndicatorOut:
        return cls(id=ids.get(r.name), **asdict(r))


class IndicatorRef(BaseModel):
    id: int
    name: str
    unit: str
    category: str


class Grown(BaseModel):
    added: list[str] = Field(description="新加入指标库的指标名称")


class Merged(BaseModel):
    id: int
    name: str
    aliases: list[str]


class AliasOut(BaseModel):
    indicator_id: int
    indicator: str
    alias: str


class IndicatorComparison(BaseModel):
    indicator: str
    figures: list[compare.IndicatorFigure]
    chart: compare.IndicatorChart


class PlanComparisonOut(BaseModel):
    a: PlanBrief
    b: PlanBrief
    counts: dict[str, dict[str, int]] = Field(
        description="headings / tasks → continued / new / dropped 的数目"
    )
    headings: list[compare.ItemMatch]
    tasks: list[compare.ItemMatch]


class Assessment(BaseModel):
    period: str
    rules: dict[str, str] = Field(description="计分规则及其名称")
    items: list[scoring.UnitScore]  # ranked
    total: int


def indicator_id(db: Session, key: str) -> str:
    """An indicator's name from its id (stored registry) or its name/alias (either registry)."""
    if key.isdigit():
        row = db.get(Indicator, int(key))
        if row is None:
            raise NotFoundError(f"指标不存在：{key}")
        return row.name
    entry = indicators.load_registry(db).resolve(key)
    if entry is None:
        raise NotFoundError(f"指标不存在：{key}")
    return entry.name


# ---------------------------------------------------------------- reconciliation
class CorrectionIn(BaseModel):
    target_id: int = Field(description="计划目标（量化指标）编号")
    summary_id: int | None = Field(None, description="总结编号；不填表示按进展报送对照")
    actual_id: int | None = Field(None, description="选定的实际数值编号；不填表示“未提及”")
    note: str = Field("", max_length=500, description="更正说明")


@router.get("/reconcile", summary="目标对照：计划的每个目标与总结（或进展报送）的实际数值及判断")
def get_reconcile(
    db: Db,
    actor: Reader,
    plan_id: Annotated[int, Query(description="计划编号")],
    summary_id: Annotated[int | None, Query(description="总结编号；不填则按进展报送的实际数值对照")] = None,
    state: Annotated[
        str | None, Query(description="按状态筛选：met / not_met / not_mentioned / unknown")
    ] = None,
) -> ReconcileOut:
    result = reconcile.reconcile(db, plan_id=plan_id, summary_id=summary_id)
    if state and state not in reconcile.STATE_NAMES:
        raise ValidationError(f"状态无效：{state}")
    return ReconcileOut(
        plan_id=result.plan_id,
        plan_title=result.plan_title,
        source=result.source,
        source_title=result.source_title,
        counts=result.counts(),
        rows=[r for r in result.rows if not state or r.state == state],
    )


@router.post("/reconcile/corrections", status_code=201, summary="更正一个目标的对照结果（督查、系统管理员）")
def post_correction(body: CorrectionIn, db: Db, actor: Editor) -> reconcile.ReconcileRow:
    reconcile.correct(
        db,
        actor=actor,
        target_id=body.target_id,
        summary_id=body.summary_id,
        actual_id=body.actual_id,
        note=body.note,
    )
    return corrected_row(db, body.target_id, body.summary_id)


def corrected_row(db: Session, target_id: int, summary_id: int | None) -> reconcile.ReconcileRow:
    """The target's row after a correction (the whole plan is reconciled again: corrections win)."""
    target = db.get(Quantity, target_id)
    result = reconcile.reconcile(db, plan_id=target.plan_id, summary_id=summary_id)
    return next(r for r in result.rows if r.target_id == target_id)


# ---------------------------------------------------------------- indicator registry
class IndicatorIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field("", max_length=20)
    category: str = Field("", max_length=50)
    aliases: list[str] = Field(default_factory=list)


class AliasIn(BaseModel):
    alias: str = Field(min_length=1, max_length=200)


class MergeIn(BaseModel):
    source: str = Field(min_length=1, description="被合并的指标（名称或别名）")
    into: str = Field(min_length=1, description="合并到的指标")


class GrowIn(BaseModel):
    min_documents: int = Field(2, ge=1, le=100)


@router.get("/indicators", summary="指标库：规范指标、别名，及已导入文件中关联的目标数和实际数")
def get_indicators(
    db: Db,
    actor: Reader,
    paging: PagingDep,
    q: Annotated[str | None, Query(max_length=100, description="名称或别名包含")] = None,
    category: Annotated[str | None, Query(max_length=50)] = None,
) -> Page[IndicatorOut]:
    rows = [
        r
        for r in indicators.list_indicators(db)
        if (not q or q in r.name or any(q in a for a in r.aliases))
        and (not category or r.category == category)
    ]
    ids = indicators.stored_ids(db)
    return page_of(rows, paging, lambda r: IndicatorOut.of(r, ids))


@router.post("/indicators", status_code=201, summary="新增规范指标（督查、系统管理员）")
def post_indicator(body: IndicatorIn, db: Db, actor: Editor) -> IndicatorRef:
    row = indicators.add_indicator(
        db, actor=actor, name=body.name, unit=body.unit, category=body.category, aliases=body.aliases
    )
    return IndicatorRef(id=row.id, name=row.name, unit=row.unit, category=row.category)


@router.get("/indicators/candidates", summary="候选指标：已导入文件中尚未关联任何指标的指标性短语")
def get_candidates(
    db: Db,
    actor: Reader,
    paging: PagingDep,
    min_documents: Annotated[int, Query(ge=1, le=100, description="至少出现在几个文件中")] = 1,
) -> Page[indicators.Candidate]:
    return page_of(indicators.candidates(db, min_documents=min_documents), paging, lambda c: c)


@router.post("/indicators/grow", summary="把出现在多个文件中的候选短语加入指标库（督查、系统管理员）")
def post_grow(body: GrowIn, db: Db, actor: Editor) -> Grown:
    return Grown(added=indicators.grow_registry(db, actor=actor, min_documents=body.min_documents))


@router.post("/indicators/merge", summary="合并指标：source 的名称和别名成为 into 的别名（督查、系统管理员）")
def post_merge(body: MergeIn, db: Db, actor: Editor) -> Merged:
    row = indicators.merge_indicators(db, actor=actor, source=body.source, into=body.into)
    return Merged(id=row.id, name=row.name, aliases=[a.alias for a in row.aliases])


@router.post(
    "/indicators/{key}/aliases",
    status_code=201,
    summary="为指标新增别名；key 为指标编号或名称（督查、系统管理员）",
)
def post_alias(key: str, body: AliasIn, db: Db, actor: Editor) -> AliasOut:
    name = indicator_id(db, key)
    rec = indicators.add_alias(db, actor=actor, name=name, alias=body.alias)
    return AliasOut(indicator_id=rec.indicator_id, indicator=name, alias=rec.alias)


# ---------------------------------------------------------------- comparisons
@router.get(
    "/compare/indicator", summary="某一规范指标在全部已导入文件中的目标与实际（按年份、地区），及图表数据"
)
def get_compare_indicator(
    db: Db,
    actor: Reader,
    name: Annotated[str, Query(min_length=1, max_length=200, description="指标名称或别名")],
) -> IndicatorComparison:
    figures = compare.indicator_figures(db, name=name)
    chart = compare.indicator_chart(db, name=name, figures=figures)
    return IndicatorComparison(indicator=chart.indicator, figures=figures, chart=chart)


@router.get("/compare/plans", summary="计划对比：A 的标题和任务在 B 中延续、新增、未再列入")
def get_compare_plans(
    db: Db,
    actor: Reader,
    a: Annotated[int, Query(description="计划 A 编号（较早）")],
    b: Annotated[int, Query(description="计划 B 编号（较晚）")],
) -> PlanComparisonOut:
    result = compare.compare_plans(db, plan_a=a, plan_b=b)
    return PlanComparisonOut(
        a=plan_brief(get_plan(db, a)),
        b=plan_brief(get_plan(db, b)),
        counts=result.counts(),
        headings=result.headings,
        tasks=result.tasks,
    )


# ---------------------------------------------------------------- assessment
@router.get("/assessment", summary="单位考核：按配置的考核细则计分、排名，每一分的明细")
def get_assessment(
    db: Db,
    actor: Reader,
    period: Annotated[str, Query(min_length=1, max_length=50, description="报送周期名称")],
) -> Assessment:
    scores = scoring.assess_period(db, period_name=period, now=utcnow())
    return Assessment(period=period, rules=scoring.RULE_NAMES, items=scores, total=len(scores))
