"""The registry of canonical indicators: default file, database copy, linking quantities, edits.

Reading never writes: until someone edits the registry, it is read from the default file
(`data/indicators.toml`, or `DUBAN_INDICATORS_FILE`). The first edit copies it into the
database (audited as one `indicator.seed` record) and applies the edit in the same
transaction; from then on the database copy is the registry.
"""

from __future__ import annotations

import os
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from duban.assess.indicator_text import normalize, similarity, units_compatible
from duban.ledger import audit
from duban.ledger.errors import NotFoundError, ValidationError
from duban.ledger.models import Indicator, IndicatorAlias, Plan, Quantity
from duban.ledger.rights import require
from duban.ledger.uow import use_case
from duban.ledger.users import Actor

DEFAULT_FILE = Path(__file__).parent / "data" / "indicators.toml"
LINK_THRESHOLD = 80.0  # similarity at or above which a phrase is linked to an indicator
RATE_HEADS = ("率", "比例", "占比", "比")  # phrases that are indicators by their grammar alone


@dataclass(frozen=True)
class Entry:
    """One canonical indicator with its normalised aliases (its own name included)."""

    name: str
    unit: str = ""
    category: str = ""
    aliases: tuple[str, ...] = ()
    id: int | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        return (normalize(self.name), *self.aliases)


@dataclass(frozen=True)
class Link:
    indicator: str
    score: float
    method: str  # alias / similar


class Registry:
    """Canonical indicators and the rule linking a phrase to one of them."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_name = {e.name: e for e in entries}
        self._forms: dict[str, Entry] = {}
        for e in entries:
            for form in e.forms:
                self._forms.setdefault(form, e)
        self._cache: dict[tuple[str, str], Link | None] = {}

    def resolve(self, name: str) -> Entry | None:
        """An indicator by its name or one of its aliases (exact after normalisation)."""
        return self.by_name.get(name) or self._forms.get(normalize(name))

    def match(self, phrase: str, unit: str = "") -> Link | None:
        """The indicator a document's phrase names, or None; the unit must be of the indicator's family."""
        key = (phrase, unit)
        if key not in self._cache:
            self._cache[key] = self._match(normalize(phrase), unit)
        return self._cache[key]

    def _match(self, norm: str, unit: str) -> Link | None:
        if not norm:
            return None
        exact = self._forms.get(norm)
        if exact is not None and units_compatible(exact.unit, unit):
            return Link(exact.name, 100.0, "alias")
        best: tuple[float, Entry] | None = None
        for form, entry in self._forms.items():
            if not units_compatible(entry.unit, unit):
                continue
            score = similarity(norm, form)
            if score >= LINK_THRESHOLD and (best is None or score > best[0]):
                best = (score, entry)
        return Link(best[1].name, best[0], "similar") if best else None


def default_entries(path: str | Path | None = None) -> list[Entry]:
    """Entries of the default registry file."""
    path = Path(path or os.environ.get("DUBAN_INDICATORS_FILE") or DEFAULT_FILE)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    for d in data.get("indicator", []):
        aliases = tuple(dict.fromkeys(normalize(a) for a in d.get("aliases", []) if normalize(a)))
        entries.append(Entry(d["name"], d.get("unit", ""), d.get("category", ""), aliases))
    return entries


def _stored(session: Session) -> list[Indicator]:
    stmt = select(Indicator).options(selectinload(Indicator.aliases)).order_by(Indicator.id)
    return list(session.execute(stmt).scalars())


def stored_ids(session: Session) -> dict[str, int]:
    """name -> id of the indicators stored in the registry table (a default entry has no id yet)."""
    return dict(session.execute(select(Indicator.name, Indicator.id)).all())


def load_registry(session: Session) -> Registry:
    """The database registry once edited, else the default file."""
    rows = _stored(session)
    if not rows:
        return Registry(default_entries())
    return Registry(
        [Entry(r.name, r.unit, r.category, tuple(a.alias for a in r.aliases), r.id) for r in rows]
    )


# ---------------------------------------------------------------- linking quantities
@dataclass
class LinkedQuantity:
    quantity: Quantity
    plan: Plan
    link: Link | None


def link_quantities(
    session: Session, *, registry: Registry | None = None, plan_ids: list[int] | None = None
) -> list[LinkedQuantity]:
    """Every current quantity (optionally of some plans) with the indicator it is linked to, if any."""
    registry = registry or load_registry(session)
    stmt = (
        select(Quantity, Plan)
        .join(Plan, Plan.id == Quantity.plan_id)
        .where(Quantity.removed_at.is_(None))
        .order_by(Plan.year, Plan.id, Quantity.position)
    )
    if plan_ids is not None:
        stmt = stmt.where(Quantity.plan_id.in_(plan_ids))
    return [
        LinkedQuantity(q, p, registry.match(q.indicator, q.normalized_unit)) for q, p in session.execute(stmt)
    ]


@dataclass
class IndicatorSummary:
    name: str
    unit: str
    category: str
    aliases: list[str]
    targets: int = 0
    actuals: int = 0
    stored: bool = False


def list_indicators(session: Session) -> list[IndicatorSummary]:
    """The registry with how many targets and actuals of the imported documents link to each."""
    registry = load_registry(session)
    rows = {
        e.name: IndicatorSummary(e.name, e.unit, e.category, list(e.aliases), stored=e.id is not None)
        for e in registry.entries
    }
    for lq in link_quantities(session, registry=registry):
        if lq.link:
            row = rows[lq.link.indicator]
            if lq.quantity.role == "target":
                row.targets += 1
            else:
                row.actuals += 1
    return list(rows.values())


@dataclass
class Candidate:
    """A phrase no indicator claims, seen in imported documents: a proposal for a new indicator."""

    phrase: str
    unit: str
    documents: int
    quantities: int
    examples: list[str] = field(default_factory=list)


def candidates(session: Session, *, min_documents: int = 1) -> list[Candidate]:
    """Unlinked phrases that read as indicators (a rate or share, or seen in several documents)."""
    groups: dict[tuple[str, str], list[LinkedQuantity]] = defaultdict(list)
    for lq in link_quantities(session):
        q = lq.quantity
        if lq.link or q.placeholder and not q.normalized_unit:
            continue
        norm = normalize(q.indicator)
        if len(norm) < 3:
            continue
        groups[(norm, q.normalized_unit)].append(lq)
    out = []
    for (phrase, unit), members in groups.items():
        docs = len({m.plan.id for m in members})
        if docs < min_documents:
            continue
        if not (phrase.endswith(RATE_HEADS) or docs >= 2):
            continue
        out.append(Candidate(phrase, unit, docs, len(members), [m.quantity.text for m in members[:3]]))
    out.sort(key=lambda c: (-c.documents, -c.quantities, c.phrase))
    return out


# ---------------------------------------------------------------- edits (audited)
def _materialize(session: Session, actor: Actor) -> None:
    """Copy the default registry into the database before its first edit."""
    if session.execute(select(func.count()).select_from(Indicator)).scalar_one():
        return
    entries = default_entries()
    for e in entries:
        row = Indicator(name=e.name, unit=e.unit, category=e.category, created_by=actor.name)
        row.aliases = [
            IndicatorAlias(alias=a, created_by=actor.name) for a in e.aliases if a != normalize(e.name)
        ]
        session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor.name,
        action="indicator.seed",
        entity="indicator",
        entity_id="registry",
        after={"indicators": [e.name for e in entries]},
    )


def _get(session: Session, name: str) -> Indicator:
    row = session.execute(select(Indicator).where(Indicator.name == name)).scalar_one_or_none()
    if row is None:
        alias = session.execute(
            select(IndicatorAlias).where(IndicatorAlias.alias == normalize(name))
        ).scalar_one_or_none()
        row = session.get(Indicator, alias.indicator_id) if alias else None
    if row is None:
        raise NotFoundError(f"指标不存在：{name}")
    return row


def _owner_of_form(session: Session, form: str) -> str | None:
    """The indicator that already claims a normalised form (as name or alias)."""
    for row in session.execute(select(Indicator)).scalars():
        if normalize(row.name) == form:
            return row.name
    alias = session.execute(select(IndicatorAlias).where(IndicatorAlias.alias == form)).scalar_one_or_none()
    return session.get(Indicator, alias.indicator_id).name if alias else None


def add_indicator(
    session: Session,
    *,
    actor: Actor,
    name: str,
    unit: str = "",
    category: str = "",
    aliases: list[str] | None = None,
) -> Indicator:
    """A new canonical indicator, optionally with aliases."""
    require(actor, "indicator.edit")
    name = name.strip()
    if not normalize(name):
        raise ValidationError("指标名称不能为空")
    with use_case(session):
        _materialize(session, actor)
        owner = _owner_of_form(session, normalize(name))
        if owner:
            raise ValidationError(f"指标已存在：{name}（属于“{owner}”）")
        row = Indicator(name=name, unit=unit.strip(), category=category.strip(), created_by=actor.name)
        session.add(row)
        session.flush()
        for a in aliases or []:
            _add_alias_row(session, actor, row, a)
        audit.record(
            session,
            actor=actor.name,
            action="indicator.add",
            entity="indicator",
            entity_id=row.id,
            after={"name": row.name, "unit": row.unit, "category": row.category, "aliases": aliases or []},
        )
    return row


def _add_alias_row(session: Session, actor: Actor, row: Indicator, alias: str) -> IndicatorAlias:
    form = normalize(alias)
    if not form:
        raise ValidationError("别名不能为空")
    owner = _owner_of_form(session, form)
    if owner:
        raise ValidationError(f"别名“{alias}”已属于指标“{owner}”")
    rec = IndicatorAlias(indicator_id=row.id, alias=form, created_by=actor.name)
    session.add(rec)
    session.flush()
    return rec


def add_alias(session: Session, *, actor: Actor, name: str, alias: str) -> IndicatorAlias:
    """Another way documents write an indicator."""
    require(actor, "indicator.edit")
    with use_case(session):
        _materialize(session, actor)
        row = _get(session, name)
        rec = _add_alias_row(session, actor, row, alias)
        audit.record(
            session,
            actor=actor.name,
            action="indicator.alias",
            entity="indicator",
            entity_id=row.id,
            after={"name": row.name, "alias": rec.alias},
        )
    return rec


def merge_indicators(session: Session, *, actor: Actor, source: str, into: str) -> Indicator:
    """Fold one indicator into another: its name and aliases become aliases of the other."""
    require(actor, "indicator.edit")
    with use_case(session):
        _materialize(session, actor)
        src, dst = _get(session, source), _get(session, into)
        if src.id == dst.id:
            raise ValidationError("不能把指标合并到它自己")
        moved = [a.alias for a in src.aliases]
        for a in list(src.aliases):
            a.indicator_id = dst.id
        session.flush()
        session.expire(src, ["aliases"])  # or deleting src would cascade to the moved aliases
        session.expire(dst, ["aliases"])
        form = normalize(src.name)
        session.delete(src)
        session.flush()
        if form and _owner_of_form(session, form) is None:
            session.add(IndicatorAlias(indicator_id=dst.id, alias=form, created_by=actor.name))
        session.flush()
        audit.record(
            session,
            actor=actor.name,
            action="indicator.merge",
            entity="indicator",
            entity_id=dst.id,
            before={"name": source},
            after={"into": dst.name, "aliases": [form, *moved]},
        )
    return dst


def grow_registry(session: Session, *, actor: Actor, min_documents: int = 2) -> list[str]:
    """Add as new indicators the candidate phrases seen in at least `min_documents` documents."""
    require(actor, "indicator.edit")
    found = [c for c in candidates(session, min_documents=min_documents)]
    added: list[str] = []
    with use_case(session):
        _materialize(session, actor)
        for c in found:
            if _owner_of_form(session, c.phrase):
                continue
            row = Indicator(name=c.phrase, unit=c.unit, category="", created_by=actor.name)
            session.add(row)
            session.flush()
            added.append(c.phrase)
        if added:
            audit.record(
                session,
                actor=actor.name,
                action="indicator.grow",
                entity="indicator",
                entity_id="registry",
                after={"added": added, "min_documents": min_documents},
            )
    return added
