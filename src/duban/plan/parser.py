"""Text -> Plan: split into documents, build each outline, read metadata. Pure, no database."""

from __future__ import annotations

from pathlib import Path

from duban.plan.deadlines import extract_deadlines
from duban.plan.lines import Line, split_lines
from duban.plan.metadata import read_metadata
from duban.plan.model import Document, Item, Plan
from duban.plan.outline import Outline, build_outline
from duban.plan.quantities import extract_quantities
from duban.plan.segment import TitleLine, find_titles
from duban.plan.tables import expand_tables
from duban.plan.toc import toc_lines
from duban.plan.units import load_directory


def parse_text(text: str, source: str) -> Plan:
    """Parse the cleaned text of one file into a Plan (one Document per part with its own outline)."""
    lines = expand_tables(split_lines(text))
    skip = toc_lines(lines)
    body = [ln for ln in lines if ln.index not in skip]
    titles = find_titles(body)
    plan = Plan(source=source)

    # Regions: each title owns the lines up to the next title. Titles without items are covers.
    regions: list[tuple[TitleLine | None, list[Line]]] = []
    if not titles or titles[0].start > 0:
        regions.append((None, body[: titles[0].start] if titles else body))
    for k, t in enumerate(titles):
        end = titles[k + 1].start if k + 1 < len(titles) else len(body)
        regions.append((t, body[t.end + 1 : end]))

    cover: list[str] = []
    for title, region in regions:
        outline = build_outline(region)
        if not outline.items:
            if title is not None:
                cover.append(title.text)
            cover.extend(ln.text for ln in region if ln.text)
            continue
        title_text = title.text if title else (_first_text(region) or Path(source).stem)
        own = outline.preamble + _tail(region)
        meta = read_metadata(title_text, own, cover)
        doc = Document(
            title=meta.title,
            kind=meta.kind if meta.kind != "notice" else "plan",
            year=meta.year,
            issuer=meta.issuer,
            doc_number=meta.doc_number,
            date=meta.date,
            items=outline.items,
            line=(body[title.start].index + 1) if title else 0,
        )
        _extract(doc, outline)
        plan.documents.append(doc)
    return plan


def _extract(doc: Document, outline: Outline) -> None:
    """Quantities and deadlines of each item's own text; suggested units for tasks without any."""
    role = "target" if doc.kind == "plan" else "actual"
    # the label is not part of the text ("1.新建幼儿园5所": the 1 is no amount)
    parts = [("", "\n".join(outline.preamble))] + [(it.path, _without_label(it)) for it in doc.items]
    for path, text in parts:
        if text:
            doc.quantities += extract_quantities(text, item=path, role=role)
            doc.deadlines += extract_deadlines(text, item=path, year=doc.year, kind=doc.kind)
    if doc.kind != "plan":
        return
    parents = {it.path.rsplit("/", 1)[0] for it in doc.items if "/" in it.path}
    directory = load_directory()
    for it in doc.items:
        if not it.responsible and it.path not in parents:
            it.suggested_units = directory.suggest(it.body)


def _without_label(item: Item) -> str:
    return item.body[len(item.label) :].lstrip() if item.body.startswith(item.label) else item.body


def _first_text(region: list[Line]) -> str:
    for ln in region:
        if ln.text and not ln.label and not ln.field:
            return ln.text
    return ""


def _tail(region: list[Line], n: int = 8) -> list[str]:
    """The last lines of a region, where a signature and date would be."""
    texts = [ln.text for ln in region if ln.text]
    return texts[-n:]


def parse_file(path: str | Path) -> Plan:
    """Read a file of any supported format and parse it."""
    from duban.documents import read_document

    source = read_document(path)
    return parse_text(source.text, source.name)
