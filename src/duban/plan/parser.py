"""Text -> Plan: split into documents, build each outline, read metadata. Pure, no database."""

from __future__ import annotations

import re
from pathlib import Path

from duban.plan.deadlines import extract_deadlines
from duban.plan.lines import Line, split_lines
from duban.plan.metadata import read_metadata
from duban.plan.model import Document, Item, Plan
from duban.plan.outline import Outline, build_outline
from duban.plan.quantities import extract_quantities
from duban.plan.segment import TitleLine, fallback_title, find_titles
from duban.plan.tables import PROGRESS_FIELD, expand_tables
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
        plan.documents.append(_document(title, region, outline, cover, body))
    if not plan.documents and any(ln.text for ln in body):
        # text without an outline (a notice, a letter) is still one document, with no items
        title = titles[0] if titles else None
        region = body[title.end + 1 :] if title else body
        plan.documents.append(_document(title, region, build_outline(region), [], body))
    return plan


def _document(
    title: TitleLine | None, region: list[Line], outline: Outline, cover: list[str], body: list[Line]
) -> Document:
    title_text = title.text if title else fallback_title(region)
    own = outline.preamble + _tail(region)
    meta = read_metadata(title_text, own, cover, title.subtitle if title else "")
    doc = Document(
        title=meta.title,
        kind=_kind(meta.kind, outline),
        year=meta.year,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        date=meta.date,
        items=outline.items,
        line=(body[title.start].index + 1) if title else 0,
    )
    _extract(doc, outline)
    return doc


def _extract(doc: Document, outline: Outline) -> None:
    """Quantities and deadlines of each item's own text; suggested units for tasks without any."""
    commits = doc.kind in ("plan", "notice")  # a plan's or notice's figures are what it asks for
    role = "target" if commits else "actual"
    years = section_years(doc.items)
    # the label is not part of the text ("1.新建幼儿园5所": the 1 is no amount)
    parts = [("", "\n".join(outline.preamble))] + [(it.path, _without_label(it)) for it in doc.items]
    for path, text in parts:
        if text:
            doc.quantities += extract_quantities(text, item=path, role=role)
            year, kind = doc.year, "plan" if commits else doc.kind
            if (y := years.get(path)) is not None:
                # "二、2024年重点任务" in a report on 2023: its tasks are a plan for 2024
                kind = "plan" if doc.year is None or y > doc.year else kind
                year = y
            doc.deadlines += extract_deadlines(text, item=path, year=year, kind=kind)
    if doc.kind != "plan":
        return
    parents = {it.path.rsplit("/", 1)[0] for it in doc.items if "/" in it.path}
    directory = load_directory()
    for it in doc.items:
        if not it.responsible and it.path not in parents:
            it.suggested_units = directory.suggest(it.body)


_HEADING_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年(?!\d|\s*\d{1,2}\s*月)")


def section_years(items: list[Item]) -> dict[str, int]:
    """Path -> year for the items under a heading whose title starts with a year
    ("二、2024年重点任务"): their relative dates (年底前, 9月底) are of that year."""
    years: dict[str, int] = {}
    for it in items:
        parent = it.path.rsplit("/", 1)[0] if "/" in it.path else None
        m = _HEADING_YEAR.match(it.title)
        if m:
            years[it.path] = int(m.group(1))
        elif parent in years:
            years[it.path] = years[parent]
    return years


def _without_label(item: Item) -> str:
    return item.body[len(item.label) :].lstrip() if item.body.startswith(item.label) else item.body


def _kind(kind: str, outline: Outline) -> str:
    """A notice that wraps its plan is the plan; a table with a progress column is a report."""
    if kind == "notice" and outline.items:
        return "plan"
    if kind == "plan" and any(PROGRESS_FIELD in it.fields for it in outline.items):
        return "report"
    return kind


def _tail(region: list[Line], n: int = 8) -> list[str]:
    """The last lines of a region, where a signature and date would be."""
    texts = [ln.text for ln in region if ln.text]
    return texts[-n:]


def parse_file(path: str | Path) -> Plan:
    """Read a file of any supported format and parse it."""
    from duban.documents import read_document

    source = read_document(path)
    return parse_text(source.text, source.name)
