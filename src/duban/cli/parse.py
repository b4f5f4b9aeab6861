"""`duban parse`: read files, print their outline (tree) or write Plan JSON."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from duban.cli.common import LazyConsole, escape, log_to_file

if TYPE_CHECKING:  # the parser and rich are imported by the command, not by `duban --help`
    from rich.tree import Tree

    from duban.plan.model import Document, Item, Plan

log = logging.getLogger("duban.parse")
out = LazyConsole(highlight=False)
err = LazyConsole(stderr=True, highlight=False, soft_wrap=True)


class Format(StrEnum):
    tree = "tree"
    json = "json"


def parse_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="要解析的文件（txt、html、docx、pdf、doc、wps、xlsx、xls、et、ods、ofd）", show_default=False
        ),
    ],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="tree：终端树形提纲；json：Plan JSON")
    ] = Format.tree,
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="把每个文件的 Plan JSON 写到该目录")
    ] = None,
) -> None:
    """解析工作要点文件：编号提纲、元数据、量化指标、完成时限与责任单位。"""
    from rich.progress import Progress

    log_to_file()
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    plans: list[Plan] = []
    failures = 0
    with Progress(console=err.console, transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("解析中", total=len(files))
        for path in files:
            progress.update(task, description=f"解析 {path.name}")
            plan = _parse_one(path)
            progress.advance(task)
            if plan is None:
                failures += 1
                continue
            _say_if_no_outline(plan)
            if out_dir is not None and fmt is Format.json:
                _write_atomically(out_dir / f"{path.name}.json", _dumps(plan.to_dict()))
            plans.append(plan)
    if fmt is Format.tree:
        for plan in plans:
            out.print(plan_tree(plan))
    elif out_dir is None and plans:
        data = plans[0].to_dict() if len(files) == 1 else [p.to_dict() for p in plans]
        typer.echo(_dumps(data))
    elif out_dir is not None:
        err.print(f"已写入 {len(plans)} 个文件到 {escape(str(out_dir))}")
    if failures:
        raise typer.Exit(code=1)


def _say_if_no_outline(plan: Plan) -> None:
    """A file with text but no numbered outline is read as one document: say so, never a silent 0 items."""
    if plan.documents and all(not d.items for d in plan.documents):
        err.print(
            f"[yellow]注意[/yellow]：{escape(plan.source)}：未找到编号提纲（一、（一）、1. 等），"
            "已按一篇文档读取标题、元数据、指标和时限"
        )
    elif not plan.documents:
        err.print(f"[yellow]注意[/yellow]：{escape(plan.source)}：未找到文档内容")


def _parse_one(path: Path) -> Plan | None:
    """Parse one file; on failure print its one Chinese line and return None."""
    from duban.documents import DocumentError
    from duban.plan.boundary import parse_path

    try:
        return parse_path(path)
    except DocumentError as e:  # the boundary logged the trace of an unexpected failure
        log.info("cannot read %s: %s", path, e)
        err.print(f"[red]错误[/red]：{escape(e.user_message)}")  # the message names the file
    return None


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _write_atomically(target: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def plan_tree(plan: Plan) -> Tree:
    from rich.tree import Tree

    root = Tree(f"[bold]{escape(plan.source)}[/bold]  共 {len(plan.documents)} 篇文档")
    for doc in plan.documents:
        node = root.add(_doc_label(doc))
        parents: dict[str, Tree] = {}
        by_item_q: dict[str, list] = {}
        for q in doc.quantities:
            by_item_q.setdefault(q.item, []).append(q)
        by_item_d: dict[str, list] = {}
        for d in doc.deadlines:
            by_item_d.setdefault(d.item, []).append(d)
        _add_extractions(node, by_item_q.get("", []), by_item_d.get("", []))
        for item in doc.items:
            parent_path = item.path.rsplit("/", 1)[0] if "/" in item.path else ""
            branch = parents.get(parent_path, node).add(_item_label(item))
            parents[item.path] = branch
            _add_extractions(branch, by_item_q.get(item.path, []), by_item_d.get(item.path, []))
    return root


def _doc_label(doc: Document) -> str:
    from duban.plan.model import KIND_NAMES

    facts = [KIND_NAMES.get(doc.kind, doc.kind)]
    if doc.year:
        facts.append(f"{doc.year}年")
    for v in (doc.issuer, doc.doc_number, doc.date):
        if v:
            facts.append(str(v))
    counts = f"{len(doc.items)} 项"
    if doc.quantities or doc.deadlines:
        counts += f"，指标 {len(doc.quantities)}，时限 {len(doc.deadlines)}"
    return f"[bold cyan]{escape(doc.title or '（无标题）')}[/bold cyan]  [dim]{escape(' · '.join(facts))} · {counts}[/dim]"


def _item_label(item: Item) -> str:
    text = f"[bold]{escape(item.label)}[/bold] {escape(item.title)}"
    if item.responsible:
        text += f"  [green]【{escape('、'.join(item.responsible))}】[/green]"
    elif item.suggested_units:
        text += f"  [dim green]【建议：{escape(item.suggested_units[0].name)}】[/dim green]"
    return text


def _add_extractions(branch: Tree, quantities: list, deadlines: list) -> None:
    for q in quantities:
        value = "x" if q.placeholder else _fmt(q.value)
        if q.value_high is not None:
            value += f"–{_fmt(q.value_high)}"
        role = "目标" if q.role == "target" else "实际"
        branch.add(
            f"[yellow]◆ {role}[/yellow] {escape(q.indicator)} [bold yellow]{escape(q.comparator)} {value}{escape(q.unit)}[/bold yellow]"
            f"  [dim]「{escape(q.text)}」[/dim]"
        )
    for d in deadlines:
        branch.add(
            f"[magenta]⏰ 时限[/magenta] [bold magenta]{d.date}[/bold magenta]  [dim]「{escape(d.text)}」[/dim]"
        )


def _fmt(v: float | None) -> str:
    if v is None:
        return "?"
    return str(int(v)) if float(v).is_integer() else str(v)
