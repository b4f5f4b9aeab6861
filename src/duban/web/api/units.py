"""Units (单位) API; also the list pagination shared by this helper's list routes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, computed_field

from duban.ledger.models import Unit
from duban.ledger.read.common import Page
from duban.ledger.users import (
    UNIT_KIND_NAMES,
    create_unit,
    get_unit_by_id,
    list_units,
    update_unit,
)
from duban.web.deps import Allowed, Db

router = APIRouter(prefix="/units", tags=["单位"])
T = TypeVar("T")

# Unit names are needed by every business role, and by the security administrator to place users.


class Paging(BaseModel):
    page: int = 1
    per_page: int = 50


def paging(
    page: Annotated[int, Query(ge=1, description="页码，从 1 开始")] = 1,
    per_page: Annotated[int, Query(ge=1, le=200, description="每页条数，最多 200")] = 50,
) -> Paging:
    return Paging(page=page, per_page=per_page)


PagingDep = Annotated[Paging, Depends(paging)]


def page_of(items: Sequence[T], paging: Paging, shape: Callable[[T], Any]) -> Page[Any]:
    """The list envelope of every list route (`Page`: items, total, page, per_page)."""
    start = (paging.page - 1) * paging.per_page
    return Page(
        items=[shape(x) for x in items[start : start + paging.per_page]],
        total=len(items),
        page=paging.page,
        per_page=paging.per_page,
    )


class Ok(BaseModel):
    """The answer of a change that has nothing else to tell."""

    ok: bool = True


class UnitOut(BaseModel):
    id: int
    name: str
    kind: str
    parent_id: int | None
    email: str

    @computed_field
    @property
    def kind_name(self) -> str:
        return UNIT_KIND_NAMES.get(self.kind, self.kind)

    @classmethod
    def of(cls, u: Unit) -> UnitOut:
        return cls(id=u.id, name=u.name, kind=u.kind, parent_id=u.parent_id, email=u.email)


class UnitIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field("office", description="office 科室 / county 县区教育局 / school 学校 / other 其他")
    parent_id: int | None = None
    email: str = Field("", max_length=200)


class UnitPatch(BaseModel):
    name: str | None = Field(None, max_length=200)
    kind: str | None = None
    parent_id: int | None = Field(None, description="新的上级单位；与 clear_parent 二选一")
    clear_parent: bool = False
    email: str | None = Field(None, max_length=200)


@router.get("", summary="单位列表（按树的顺序，上级在前）")
def get_units(
    db: Db,
    paging: PagingDep,
    actor: Allowed("unit.read"),
    kind: Annotated[str | None, Query(description="按类型筛选")] = None,
    q: Annotated[str | None, Query(max_length=100, description="名称包含")] = None,
) -> Page[UnitOut]:
    units = [u for u in list_units(db) if (not kind or u.kind == kind) and (not q or q in u.name)]
    return page_of(units, paging, UnitOut.of)


@router.post("", status_code=201, summary="新建单位（系统管理员）")
def post_unit(body: UnitIn, db: Db, actor: Allowed("unit.manage")) -> UnitOut:
    parent = get_unit_by_id(db, unit_id=body.parent_id).name if body.parent_id else None
    unit = create_unit(db, actor=actor, name=body.name, kind=body.kind, parent=parent, email=body.email)
    return UnitOut.of(unit)


@router.patch("/{unit_id}", summary="修改单位（系统管理员）")
def patch_unit(unit_id: int, body: UnitPatch, db: Db, actor: Allowed("unit.manage")) -> UnitOut:
    unit = update_unit(
        db,
        actor=actor,
        unit_id=unit_id,
        name=body.name,
        kind=body.kind,
        parent_id=body.parent_id,
        clear_parent=body.clear_parent,
        email=body.email,
    )
    return UnitOut.of(unit)
