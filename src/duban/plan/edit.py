"""Corrections a person makes to a parsed Plan before it is imported: pure functions, no database.

`apply_edit(plan, op)` takes one operation as a dict (`{"op": "set_title", "doc": 0, "item": 3,
"title": "..."}`), returns a corrected copy of the plan and the `Scope` the edit touched (so a
page re-renders only that part). The input plan is never changed. A bad operation raises
`EditError` with one Chinese line for the user.

Items are addressed by their index in `Document.items` (paths can repeat after a numbering
slip), quantities and deadlines by their index in their lists. Structural edits (level, merge,
split, delete, number) recompute every path from levels and numbers, and move each quantity
and deadline along with the item that owns it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from duban.plan.labels import match_label
from duban.plan.model import KIND_NAMES, Deadline, Document, Item, Plan, Quantity
from duban.plan.numbers import clean_float, normalize

KINDS = KIND_NAMES  # the document kinds a reviewer may choose
COMPARATORS = {
    "=": "等于",
    ">=": "不低于",
    "<=": "不超过",
    ">": "超过",
    "<": "低于",
    "range": "区间",
    "delta+": "增加",
    "delta-": "减少",
}
ROLES = {"target": "目标", "actual": "现状/实绩"}
PRECISIONS = {"day": "日", "month": "月", "season": "季/学期", "half": "半年", "year": "年"}
MAX_TITLE = 500
MAX_UNIT = 200


class EditError(ValueError):
    """An operation that cannot be applied; str() is one Chinese line for the user."""


@dataclass(frozen=True)
class Scope:
    """What an edit touched: "meta" (a document's metadata), "item" (one item and its targets and
    deadlines), "document" (the outline of one document), "plan" (the list of documents)."""

    part: str
    doc: int = 0
    item: int | None = None


def apply_edit(plan: Plan, op: dict[str, Any]) -> tuple[Plan, Scope]:
    """A corrected copy of `plan` and the scope the edit touched; EditError when `op` is invalid."""
    if not isinstance(op, dict):
        raise EditError("修改操作格式不正确")
    name = op.get("op")
    fn = OPS.get(name) if isinstance(name, str) else None
    if fn is None:
        raise EditError(f"未知的修改操作：{name}")
    new = copy.deepcopy(plan)
    return new, fn(new, op)


# ------------------------------------------------------------------ reading an operation's fields
def _int(op: dict[str, Any], key: str, what: str, *, default: int | None = None) -> int:
    value = op.get(key, default)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise EditError(f"{what}应为整数")
    return value


def _text(op: dict[str, Any], key: str, what: str, *, required: bool = False, max_len: int = 2000) -> str:
    value = op.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise EditError(f"{what}应为文字")
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not value:
        raise EditError(f"{what}不能为空")
    if len(value) > max_len:
        raise EditError(f"{what}过长（最多 {max_len} 字）")
    return value


def _number(value: Any, what: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise EditError(f"{what}应为数字")
    try:
        number = float(str(value).strip().replace(",", "").replace("，", ""))
    except ValueError:
        raise EditError(f"{what}应为数字：{value}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise EditError(f"{what}应为数字：{value}")
    return clean_float(number)


def _doc(plan: Plan, op: dict[str, Any]) -> tuple[int, Document]:
    k = _int(op, "doc", "文档序号", default=0)
    if not 0 <= k < len(plan.documents):
        raise EditError(f"文档不存在（序号 {k}）")
    return k, plan.documents[k]


def _item_index(doc: Document, op: dict[str, Any], key: str = "item") -> int:
    i = _int(op, key, "条目序号")
    if not 0 <= i < len(doc.items):
        raise EditError(f"条目不存在（序号 {i}）")
    return i


def _date(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EditError(f"{what}不能为空")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise EditError(f"{what}格式应为 YYYY-MM-DD：{value}") from None


def split_names(value: Any) -> list[str]:
    """Unit names from a list or from text separated by 、，,；; or new lines; duplicates dropped."""
    if value is None:
        return []
    parts = value if isinstance(value, list) else re.split(r"[、，,；;\n]+", str(value))
    out: list[str] = []
    for p in parts:
        if not isinstance(p, str):
            raise EditError("单位名称应为文字")
        name = " ".join(p.split())
        if len(name) > MAX_UNIT:
            raise EditError(f"单位名称过长：{name[:20]}…")
        if name and name not in out:
            out.append(name)
    return out


# ------------------------------------------------------------------ ownership and paths
class _Owners:
    """Which item (by identity) owns each quantity and deadline, so structure can change under them."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.quantities = [self._find(q.item, q.text) for q in doc.quantities]
        self.deadlines = [self._find(d.item, d.text) for d in doc.deadlines]

    def _find(self, path: str, text: str) -> Item | None:
        same = [it for it in self.doc.items if it.path == path]
        if not same:
            return None
        return next((it for it in same if text and text in it.body), same[0])

    def move(self, old: Item, new: Item | None) -> None:
        """Give everything `old` owned to `new` (None: drop it)."""
        self.quantities = [new if o is old else o for o in self.quantities]
        self.deadlines = [new if o is old else o for o in self.deadlines]

    def drop_orphans(self, removed: list[Item]) -> None:
        gone = {id(it) for it in removed}
        keep_q = [k for k, o in enumerate(self.quantities) if o is None or id(o) not in gone]
        keep_d = [k for k, o in enumerate(self.deadlines) if o is None or id(o) not in gone]
        self.doc.quantities = [self.doc.quantities[k] for k in keep_q]
        self.quantities = [self.quantities[k] for k in keep_q]
        self.doc.deadlines = [self.doc.deadlines[k] for k in keep_d]
        self.deadlines = [self.deadlines[k] for k in keep_d]

    def apply(self) -> None:
        """Recompute paths, then point every quantity and deadline at its owner's new path."""
        renumber(self.doc)
        for q, o in zip(self.doc.quantities, self.quantities, strict=True):
            q.item = o.path if o is not None else ""
        for d, o in zip(self.doc.deadlines, self.deadlines, strict=True):
            d.item = o.path if o is not None else ""


def renumber(doc: Document) -> None:
    """Paths from levels and numbers ("三/17"); a level deeper than its parent allows is lifted."""
    stack: list[Item] = []
    for it in doc.items:
        it.level = max(1, min(it.level, len(stack) + 1))
        del stack[it.level - 1 :]
        stack.append(it)
        it.path = "/".join(s.number for s in stack)


def _subtree_end(doc: Document, i: int) -> int:
    """Index after the last descendant of item i."""
    level = doc.items[i].level
    j = i + 1
    while j < len(doc.items) and doc.items[j].level > level:
        j += 1
    return j


def _first_sentence(text: str) -> str:
    end = text.find("。")
    return (text[:end] if end >= 0 else text.split("\n", 1)[0]).strip().rstrip("：:；;，,").strip()


def _without_label(item: Item) -> str:
    body = item.body
    return body[len(item.label) :].lstrip() if item.label and body.startswith(item.label) else body


# ------------------------------------------------------------------ metadata
def set_meta(plan: Plan, op: dict[str, Any]) -> Scope:
    """Title, kind, year, issuer, document number, date of one document (only the keys given)."""
    k, doc = _doc(plan, op)
    part = "meta"
    if "title" in op:
        doc.title = _text(op, "title", "标题", required=True, max_len=MAX_TITLE)
    if "kind" in op:
        kind = op["kind"]
        if kind not in KINDS:
            raise EditError(f"文档类型无效：{kind}（可选：{'、'.join(KINDS.values())}）")
        if (kind == "plan") != (doc.kind == "plan"):
            # a plan commits to targets, a summary or report states actuals (SCHEMA.md)
            role = "target" if kind == "plan" else "actual"
            for q in doc.quantities:
                q.role = role  # type: ignore[assignment]
            part = "document"
        doc.kind = kind
    if "year" in op:
        year = op["year"]
        if year is None or (isinstance(year, str) and not year.strip()):
            doc.year = None
        else:
            y = _int(op, "year", "年度")
            if not 1949 <= y <= 2100:
                raise EditError(f"年度不合理：{y}")
            doc.year = y
    if "issuer" in op:
        doc.issuer = _text(op, "issuer", "发文单位", max_len=300) or None
    if "doc_number" in op:
        doc.doc_number = _text(op, "doc_number", "文号", max_len=200) or None
    if "date" in op:
        raw = op["date"]
        doc.date = (
            None if raw is None or (isinstance(raw, str) and not raw.strip()) else _date(raw, "成文日期")
        )
    return Scope(part, k)


def delete_document(plan: Plan, op: dict[str, Any]) -> Scope:
    """Drop one document of a compilation (e.g. a cover notice read as a plan)."""
    k, _ = _doc(plan, op)
    if len(plan.documents) == 1:
        raise EditError("文件中只有这一个文档，不能删除；如不需要导入，请放弃该草稿")
    del plan.documents[k]
    return Scope("plan", 0)


# ------------------------------------------------------------------ items
def set_title(plan: Plan, op: dict[str, Any]) -> Scope:
    """A new title for an item; with "number", also a new number (paths follow)."""
    k, doc = _doc(plan, op)
    i = _item_index(doc, op)
    item = doc.items[i]
    item.title = _text(op, "title", "条目标题", required=True, max_len=MAX_TITLE)
    number = _text(op, "number", "编号", max_len=20) if "number" in op else item.number
    number = number.strip("、.．）)（( ")
    if not number:
        raise EditError("编号不能为空")
    if number == item.number:
        return Scope("item", k, i)
    owners = _Owners(doc)
    item.label = item.label.replace(item.number, number, 1) if item.number in item.label else number
    item.number = number
    owners.apply()
    return Scope("document", k, i)


def set_level(plan: Plan, op: dict[str, Any]) -> Scope:
    """Promote or demote an item ("level": N, or "delta": -1/+1); its children move with it."""
    k, doc = _doc(plan, op)
    i = _item_index(doc, op)
    item = doc.items[i]
    if "level" in op:
        level = _int(op, "level", "层级")
    else:
        delta = _int(op, "delta", "层级变化")
        if delta not in (-1, 1):
            raise EditError("层级每次只能提升或降低一级")
        level = item.level + delta
    if level < 1:
        raise EditError("已是第一级，不能再提升")
    if i == 0 and level != 1:
        raise EditError("第一个条目只能是第一级")
    if i > 0 and level > doc.items[i - 1].level + 1:
        raise EditError("不能降级：层级只能比上一条目深一级")
    if level == item.level:
        return Scope("item", k, i)
    owners = _Owners(doc)
    shift = level - item.level
    for it in doc.items[i : _subtree_end(doc, i)]:
        it.level += shift
    owners.apply()
    return Scope("document", k, i)


def merge_item(plan: Plan, op: dict[str, Any]) -> Scope:
    """Merge an item into the one before it: text, units, fields, targets and deadlines join it."""
    k, doc = _doc(plan, op)
    i = _item_index(doc, op)
    if i == 0:
        raise EditError("第一个条目之前没有可合并的条目")
    item, prev = doc.items[i], doc.items[i - 1]
    owners = _Owners(doc)
    shift = prev.level - item.level  # the merged item's children become the previous item's
    for it in doc.items[i + 1 : _subtree_end(doc, i)]:
        it.level += shift
    prev.body = f"{prev.body}\n{item.body}" if prev.body else item.body
    prev.responsible += [u for u in item.responsible if u not in prev.responsible]
    prev.co_units += [u for u in item.co_units if u not in prev.co_units]
    names = {s.name for s in prev.suggested_units}
    prev.suggested_units += [s for s in item.suggested_units if s.name not in names]
    for name, value in item.fields.items():
        old = prev.fields.get(name)
        prev.fields[name] = f"{old}\n{value}" if old and value else (old or value)
    owners.move(item, prev)
    del doc.items[i]
    owners.apply()
    return Scope("document", k, i - 1)


def split_item(plan: Plan, op: dict[str, Any]) -> Scope:
    """Split an item's text at a point ("at": offset in its body, or "before": the text that starts
    the new item); the new item follows at the same level, with "number" and "title" when given."""
    k, doc = _doc(plan, op)
    i = _item_index(doc, op)
    item = doc.items[i]
    body = item.body
    if op.get("before"):
        marker = _text(op, "before", "拆分位置的文字")
        at = body.find(marker, len(item.label))
        if at < 0:
            raise EditError(f"条目正文中找不到这段文字：{marker[:30]}")
    else:
        at = _int(op, "at", "拆分位置")
    first, second = body[:at].rstrip(), body[at:].strip()
    if not second or not first or first == item.label.strip() or at <= len(item.label):
        raise EditError("拆分位置须在条目正文的中间")
    label = match_label(second)
    number = _text(op, "number", "新条目编号", max_len=20).strip("、.．）)（( ") if op.get("number") else ""
    if number:
        printed = label.text if label and label.number == number else number
    elif label:
        number, printed = label.number, label.text
    else:
        raise EditError("请填写拆分出的新条目的编号")
    rest = second[len(printed) :].lstrip() if second.startswith(printed) else second
    title = _text(op, "title", "新条目标题", max_len=MAX_TITLE) if op.get("title") else _first_sentence(rest)
    if not title:
        raise EditError("新条目的标题不能为空")
    new = Item(
        path="",
        level=item.level,
        number=number,
        title=title,
        label=printed,
        body=second,
        line=item.line + body[:at].count("\n") + (1 if body[at - 1 : at] == "\n" else 0),
    )
    owners = _Owners(doc)
    for name, value in list(item.fields.items()):
        if value and value in second and value not in first:
            new.fields[name] = item.fields.pop(name)
    item.body = first
    if item.title not in _without_label(item):
        item.title = _first_sentence(_without_label(item)) or item.title
    for pos, q in enumerate(doc.quantities):
        if owners.quantities[pos] is item and q.text in second and q.text not in first:
            owners.quantities[pos] = new
    for pos, d in enumerate(doc.deadlines):
        if owners.deadlines[pos] is item and d.text in second and d.text not in first:
            owners.deadlines[pos] = new
    doc.items.insert(i + 1, new)
    owners.apply()
    return Scope("document", k, i)


def delete_item(plan: Plan, op: dict[str, Any]) -> Scope:
    """Delete an item with its targets and deadlines; its children move up one level, or go with
    it when "subtree" is true."""
    k, doc = _doc(plan, op)
    i = _item_index(doc, op)
    end = _subtree_end(doc, i)
    subtree = bool(op.get("subtree"))
    removed = doc.items[i:end] if subtree else [doc.items[i]]
    if len(removed) == len(doc.items):
        raise EditError("文档至少要保留一个条目；如不需要该文档，请删除整个文档")
    owners = _Owners(doc)
    if not subtree:
        for it in doc.items[i + 1 : end]:
            it.level -= 1
    owners.drop_orphans(removed)
    gone = {id(it) for it in removed}
    doc.items = [it for it in doc.items if id(it) not in gone]
    owners.apply()
    return Scope("document", k, min(i, len(doc.items) - 1))


def set_units(plan: Plan, op: dict[str, Any]) -> Scope:
    """The lead unit and co-units of an item (the lead unit is listed first in `responsible`)."""
    k, doc = _doc(plan, op)
    i = _item_index(doc, op)
    item = doc.items[i]
    lead = split_names(op.get("lead"))
    if len(lead) > 1:
        raise EditError("牵头单位只能填一个；其他单位请填为配合单位")
    co = [u for u in split_names(op.get("co")) if u not in lead]
    if co and not lead:
        raise EditError("请先填写牵头单位")
    item.responsible = lead + co
    item.co_units = co
    return Scope("item", k, i)


# ------------------------------------------------------------------ quantities (targets)
def _quantity_from(op: dict[str, Any], base: Quantity | None, path: str) -> Quantity:
    def get(key: str, default: Any) -> Any:
        return op.get(key, default)

    text = _text({"t": get("text", base.text if base else "")}, "t", "原文", required=True, max_len=500)
    indicator = _text(
        {"t": get("indicator", base.indicator if base else "")}, "t", "指标", required=True, max_len=300
    )
    comparator = get("comparator", base.comparator if base else "=")
    if comparator not in COMPARATORS:
        raise EditError(f"比较方式无效：{comparator}")
    role = get("role", base.role if base else "target")
    if role not in ROLES:
        raise EditError(f"类型无效：{role}（可选：目标、现状/实绩）")
    value = _number(get("value", base.value if base else None), "数值")
    high = _number(get("value_high", base.value_high if base else None), "上限值")
    unit = _text({"t": get("unit", base.unit if base else "")}, "t", "单位", max_len=50)
    placeholder = bool(op["placeholder"]) if "placeholder" in op else value is None
    if comparator == "range":
        if value is None or high is None:
            raise EditError("区间需要填写下限和上限")
        if high < value:
            raise EditError("区间上限不能小于下限")
    else:
        high = None
    nv, nu = normalize(value, unit)
    return Quantity(
        item=path,
        text=text,
        indicator=indicator,
        comparator=comparator,
        value=value,
        value_high=high,
        unit=unit,
        role=role,
        placeholder=placeholder,
        normalized_value=clean_float(nv) if nv is not None else None,
        normalized_unit=nu,
    )


# ------------------------------------------------------------------ deadlines
def _deadline_from(op: dict[str, Any], base: Deadline | None, path: str) -> Deadline:
    text = op.get("text", base.text if base else "")
    text = _text({"t": text}, "t", "时限原文", required=True, max_len=300)
    when = _date(op.get("date", base.date if base else ""), "截止日期")
    precision = op.get("precision", base.precision if base else "day")
    if precision not in PRECISIONS:
        raise EditError(f"时限精度无效：{precision}")
    return Deadline(item=path, text=text, date=when, precision=precision)


# ------------------------------------------------------------------ add / set / delete, either list
def _owner_arg(doc: Document, op: dict[str, Any]) -> int | None:
    """The item an added target or deadline belongs to; None/"" means the document's preamble."""
    if op.get("item") in (None, ""):
        return None
    return _item_index(doc, op)


def _insert_at(owners: list[Item | None], doc: Document, owner: int | None) -> int:
    """Keep reading order: after the last entry of an item at or before `owner`."""
    order = {id(it): n for n, it in enumerate(doc.items)}
    limit = -1 if owner is None else owner
    pos = 0
    for n, o in enumerate(owners):
        if (-1 if o is None else order.get(id(o), -1)) <= limit:
            pos = n + 1
    return pos


def _scope_of(k: int, doc: Document, owner: Item | None) -> Scope:
    if owner is None:
        return Scope("document", k)
    return Scope("item", k, next(n for n, it in enumerate(doc.items) if it is owner))


@dataclass(frozen=True)
class _Entries:
    """One of a document's two lists an item owns entries of: its field, its name, its builder."""

    attr: str  # "quantities" or "deadlines" (on Document and on _Owners)
    what: str  # the Chinese name in error messages
    build: Callable[[dict[str, Any], Any, str], Any]  # (op, entry being changed or None, owner path)

    def index(self, doc: Document, op: dict[str, Any]) -> int:
        n = _int(op, "index", f"{self.what}序号")
        if not 0 <= n < len(getattr(doc, self.attr)):
            raise EditError(f"{self.what}不存在（序号 {n}）")
        return n


QUANTITIES = _Entries("quantities", "指标", _quantity_from)
DEADLINES = _Entries("deadlines", "时限", _deadline_from)


def _add(entries: _Entries, plan: Plan, op: dict[str, Any]) -> Scope:
    """Add an entry to an item ("item"), or to the document's preamble (no item)."""
    k, doc = _doc(plan, op)
    owner = _owner_arg(doc, op)
    item = doc.items[owner] if owner is not None else None
    entry = entries.build(op, None, item.path if item else "")
    rows = getattr(doc, entries.attr)
    rows.insert(_insert_at(getattr(_Owners(doc), entries.attr), doc, owner), entry)
    return _scope_of(k, doc, item)


def _set(entries: _Entries, plan: Plan, op: dict[str, Any]) -> Scope:
    """Change an entry's fields (only the keys given); it stays with its item."""
    k, doc = _doc(plan, op)
    n = entries.index(doc, op)
    owner = getattr(_Owners(doc), entries.attr)[n]
    rows = getattr(doc, entries.attr)
    rows[n] = entries.build(op, rows[n], rows[n].item)
    return _scope_of(k, doc, owner)


def _delete(entries: _Entries, plan: Plan, op: dict[str, Any]) -> Scope:
    k, doc = _doc(plan, op)
    n = entries.index(doc, op)
    owner = getattr(_Owners(doc), entries.attr)[n]
    del getattr(doc, entries.attr)[n]
    return _scope_of(k, doc, owner)


def owner_index(doc: Document, path: str, text: str) -> int | None:
    """The index of the item a quantity or deadline (by its path and text) belongs to."""
    same = [n for n, it in enumerate(doc.items) if it.path == path]
    if not same:
        return None
    return next((n for n in same if text and text in doc.items[n].body), same[0])


OPS: dict[str, Callable[[Plan, dict[str, Any]], Scope]] = {
    "set_meta": set_meta,
    "delete_document": delete_document,
    "set_title": set_title,
    "set_level": set_level,
    "merge": merge_item,
    "split": split_item,
    "delete_item": delete_item,
    "set_units": set_units,
    "add_quantity": partial(_add, QUANTITIES),
    "set_quantity": partial(_set, QUANTITIES),
    "delete_quantity": partial(_delete, QUANTITIES),
    "add_deadline": partial(_add, DEADLINES),
    "set_deadline": partial(_set, DEADLINES),
    "delete_deadline": partial(_delete, DEADLINES),
}
OP_NAMES = {
    "set_meta": "修改文档信息",
    "delete_document": "删除文档",
    "set_title": "修改标题",
    "set_level": "调整层级",
    "merge": "并入上一条",
    "split": "拆分条目",
    "delete_item": "删除条目",
    "set_units": "设置责任单位",
    "add_quantity": "添加指标",
    "set_quantity": "修改指标",
    "delete_quantity": "删除指标",
    "add_deadline": "添加时限",
    "set_deadline": "修改时限",
    "delete_deadline": "删除时限",
}
