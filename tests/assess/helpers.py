"""Small made-up plans and summaries imported through the ledger's real import."""

from __future__ import annotations

from duban.ledger.plans import import_plan
from duban.plan import model as pm

# Units and their scale to the base unit, as the parser's unit table gives them.
_SCALE = {"万人": (1e4, "人"), "亿元": (1e8, "元"), "万元": (1e4, "元")}


def q(item: str, text: str, indicator: str, value: float | None, unit: str, role: str, cmp: str = "=", **kw):
    scale, base = _SCALE.get(unit, (1.0, unit))
    return pm.Quantity(
        item,
        text,
        indicator,
        cmp,
        value,
        kw.get("high"),
        unit,
        role,
        placeholder=value is None,
        normalized_value=None if value is None else value * scale,
        normalized_unit=base,
    )


def doc(kind: str, year: int, items: list[tuple[str, str, str]], quantities, issuer: str = "某市教育局"):
    """items: (path, title, body); level from the path depth."""
    title = f"{issuer}{year}年工作{'要点' if kind == 'plan' else '总结'}"
    its = [
        pm.Item(path=p, level=p.count("/") + 1, number=p.rsplit("/", 1)[-1], title=t, body=b)
        for p, t, b in items
    ]
    return pm.Document(title=title, kind=kind, year=year, issuer=issuer, items=its, quantities=quantities)


def load(session, *docs: pm.Document, name: str = "made-up.txt") -> list[int]:
    """Import documents as one file; their plan ids in order."""
    result = import_plan(
        session,
        plan=pm.Plan(source=name, documents=list(docs)),
        content=name.encode() + repr(docs).encode(),
        name=name,
    )
    return [c.plan_id for c in result.plans]
