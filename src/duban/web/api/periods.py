"""Reporting periods (报送周期) API: list, create, who has not reported, 催办 the missing units."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from duban.ledger import reports
from duban.ledger.clock import local_iso, to_utc
from duban.ledger.db import utcnow
from duban.ledger.models import Period, Report
from duban.ledger.read.common import Page
from duban.ledger.rights import can
from duban.web.api.units import PagingDep, UnitOut, page_of
from duban.web.deps import Allowed, Cfg, Db

router = APIRouter(prefix="/periods", tags=["报送周期"])
Reader = Allowed("period.read")
Overseer = Allowed("period.oversee")


class PeriodOut(BaseModel):
    id: int
    name: str
    start: date
    end: date
    cutoff: str = Field(description="报送截止时间（本地时间，带时区）")
    my_state: str | None = Field(None, description="本单位本期的报送状态（单位用户）")
    my_state_name: str | None = None
    reports: int | None = Field(None, description="本期已报送的份数（督查、领导）")

    @classmethod
    def of(cls, p: Period, **more: Any) -> PeriodOut:
        return cls(id=p.id, name=p.name, start=p.start, end=p.end, cutoff=local_iso(p.cutoff), **more)


class Reminded(BaseModel):
    reminders: list[int]
    count: int


class PeriodIn(BaseModel):
    name: str = Field(min_length=1, max_length=50, description="如 2024年3月、2024年第一季度")
    start: date
    end: date
    cutoff: datetime = Field(
        description="报送截止时间，不早于结束日期；不带时区时按本地时间（DUBAN_TIMEZONE，默认北京时间）"
    )


class RemindIn(BaseModel):
    unit_id: int | None = Field(None, description="只催办这一个单位；不填则催办全部未报送单位")


# my_state or reports, whichever the reader has: the other is left out (unset), not null
@router.get(
    "", summary="报送周期列表（最近的在前）；单位用户另见本单位的报送状态", response_model_exclude_unset=True
)
def get_periods(db: Db, paging: PagingDep, actor: Reader) -> Page[PeriodOut]:
    now = utcnow()
    counts = dict(
        db.execute(select(Report.period_id, func.count(Report.id)).group_by(Report.period_id)).all()
    )
    mine: dict[int, Report] = {}
    reporter = can(actor, "report.submit")
    if reporter and actor.unit_id is not None:
        mine = {r.period_id: r for r in reports.list_reports(db, actor=actor)}

    def row(p: Period) -> PeriodOut:
        if reporter:
            state = reports.period_state(p, mine.get(p.id), now=now)
            return PeriodOut.of(p, my_state=state, my_state_name=reports.PERIOD_STATE_NAMES[state])
        return PeriodOut.of(p, reports=counts.get(p.id, 0))

    return page_of(reports.list_periods(db), paging, row)


@router.post("", status_code=201, summary="新建报送周期（督查）", response_model_exclude_unset=True)
def post_period(body: PeriodIn, db: Db, actor: Allowed("period.create")) -> PeriodOut:
    period = reports.create_period(
        db, actor=actor, name=body.name.strip(), start=body.start, end=body.end, cutoff=to_utc(body.cutoff)
    )
    return PeriodOut.of(period)


@router.get("/{period_id}/missing", summary="本期尚未报送的单位")
def get_missing(period_id: int, db: Db, cfg: Cfg, paging: PagingDep, actor: Overseer) -> Page[UnitOut]:
    reports.get_period_by_id(db, period_id=period_id)
    co_direct = cfg.reports.co_units_report_directly
    return page_of(reports.missing_units(db, period_id=period_id, co_direct=co_direct), paging, UnitOut.of)


@router.post("/{period_id}/remind", summary="催办本期未报送的单位（督查；每个单位一条）")
def post_remind(
    period_id: int,
    db: Db,
    actor: Allowed("remind"),
    cfg: Cfg,
    body: RemindIn | None = None,
) -> Reminded:
    ids = reports.remind_missing(
        db,
        actor=actor,
        period_id=period_id,
        unit_id=body.unit_id if body else None,
        co_direct=cfg.reports.co_units_report_directly,
    )
    return Reminded(reminders=ids, count=len(ids))
