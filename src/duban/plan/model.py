"""The parsed plan: dataclasses whose `to_dict()` is the Plan JSON of shared/gold/SCHEMA.md.

Keys required by SCHEMA.md come first and keep their names; extra keys (field texts,
body, source line) follow them and are welcome downstream.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["plan", "summary", "report", "notice"]
# how people call each kind of document: one spelling for the CLI, the pages, the API and the exports
KIND_NAMES: dict[str, str] = {"plan": "计划", "summary": "总结", "report": "汇报", "notice": "通知"}
Comparator = Literal["=", ">=", "<=", ">", "<", "range", "delta+", "delta-"]
Role = Literal["target", "actual"]
Precision = Literal["day", "month", "season", "half", "year"]


@dataclass
class SuggestedUnit:
    """A unit proposed from the unit directory, never mixed with units the text names."""

    name: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "reason": self.reason}


@dataclass
class Item:
    path: str
    level: int
    number: str
    title: str
    responsible: list[str] = field(default_factory=list)
    # extras
    label: str = ""  # the number as printed, with its punctuation: "（一）", "27"
    fields: dict[str, str] = field(default_factory=dict)  # 目标任务 / 工作措施 / 责任科室 ... -> text
    co_units: list[str] = field(default_factory=list)  # 配合单位, also included in `responsible`
    body: str = ""  # the item's own text (its line and the unnumbered paragraphs below it)
    line: int = 0  # 1-based line of the source text where the item starts
    suggested_units: list[SuggestedUnit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "level": self.level,
            "number": self.number,
            "title": self.title,
            "responsible": list(self.responsible),
            "label": self.label,
            "fields": dict(self.fields),
            "co_units": list(self.co_units),
            "suggested_units": [s.to_dict() for s in self.suggested_units],
            "line": self.line,
            "body": self.body,
        }


@dataclass
class Quantity:
    item: str
    text: str
    indicator: str
    comparator: Comparator
    value: float | None
    value_high: float | None
    unit: str
    role: Role
    placeholder: bool = False
    # extras: the value scaled to its base unit (1.5万人次 -> 15000 人次) for comparison
    normalized_value: float | None = None
    normalized_unit: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "text": self.text,
            "indicator": self.indicator,
            "comparator": self.comparator,
            "value": _num(self.value),
            "value_high": _num(self.value_high),
            "unit": self.unit,
            "role": self.role,
            "placeholder": self.placeholder,
            "normalized_value": _num(self.normalized_value),
            "normalized_unit": self.normalized_unit,
        }


@dataclass
class Deadline:
    item: str
    text: str
    date: str  # ISO date, end of the period
    precision: Precision

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "text": self.text, "date": self.date, "precision": self.precision}


@dataclass
class Document:
    title: str
    kind: Kind
    year: int | None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None
    items: list[Item] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    line: int = 0  # extra: 1-based line of the document's title

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title or None,  # SCHEMA.md: null when the document has no title
            "kind": self.kind,
            "year": self.year,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "date": self.date,
            "items": [i.to_dict() for i in self.items],
            "quantities": [q.to_dict() for q in self.quantities],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "line": self.line,
        }


@dataclass
class Plan:
    source: str
    documents: list[Document] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "documents": [d.to_dict() for d in self.documents]}


def _num(v: float | None) -> float | int | None:
    """Whole numbers print as ints (36, not 36.0), as in the gold files."""
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v
