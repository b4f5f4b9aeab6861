#!/usr/bin/env python3
"""Measure quantity and deadline extraction against the gold files, without the parser.

    .venv/bin/python bench/extract_eval.py [--gold /work/shared/gold] [--seeds /work/shared/seeds] [-v]

For each gold document the seed text is cut roughly to the document's region (from the
heading of its first item to the line of its last gold entry), lines are assigned to items
by their numbered headings (a line that starts with a number label followed by a gold item
title), and extract_quantities / extract_deadlines run on each paragraph. Matching is the
one of shared/eval/score.py (match_quantities / match_deadlines). -v lists misses and
false positives. Once the parser exists, the real measure is
`duban parse ... --format json --out DIR && python3 shared/eval/score.py gold DIR`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from duban.plan.deadlines import extract_deadlines  # noqa: E402
from duban.plan.quantities import extract_quantities  # noqa: E402

LABEL = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十]+[)）、．.]|[(（]?\d+[)）、．.]?|[①-⑳])\s*")


def load_score(path: Path):
    spec = importlib.util.spec_from_file_location("score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


DOC_TITLE = re.compile(r"(?:要点|总结|汇报|报告|计划)(?:材料)?\s*$")


STRICT_LABEL = re.compile(r"\s*[(（]?[一二三四五六七八九十\d]{1,2}[)）、．.]")


def _next_title(lines: list[str], j: int) -> int:
    for k in range(j + 1, len(lines)):
        n = lines[k].strip()
        if len(n) <= 30 and DOC_TITLE.search(n) and not STRICT_LABEL.match(n):
            return k
    return len(lines)


def doc_region(lines: list[str], doc: dict, score) -> tuple[int, int]:
    """(first line, end line) of a gold document in the seed, roughly: the title line followed
    by most of its gold entries, up to the next title-like line."""
    texts = [q["text"] for q in doc["quantities"]] + [d["text"] for d in doc["deadlines"]]
    pos = [i for i, ln in enumerate(lines) for t in texts if t and t in ln]
    title = score.norm(doc["title"])
    cands = [
        j
        for j, ln in enumerate(lines)
        if title and title in score.norm(ln) and len(score.norm(ln)) <= len(title) + 12
    ] or [0]
    best, best_n = (0, len(lines)), -1
    for j in cands:
        e = _next_title(lines, j)
        n = sum(j <= p < e for p in pos)
        if n > best_n:
            best, best_n = (j, e), n
    return best


def assign_items(lines: list[str], start: int, end: int, doc: dict, score) -> list[tuple[str, str]]:
    """(item path, paragraph) for each line of the region."""
    items = [(score.norm(it["title"])[:10], it["path"]) for it in doc["items"] if it["title"]]
    cur, k, out = "", 0, []
    for j in range(start, end):
        ln = lines[j]
        if LABEL.match(ln):
            n = score.norm(LABEL.sub("", ln))
            for t in range(k, min(len(items), k + 12)):
                if items[t][0] and n.startswith(items[t][0]):
                    cur, k = items[t][1], t + 1
                    break
        if ln.strip():
            out.append((cur, ln))
    return out


def run(gold_dir: Path, seeds_dir: Path, verbose: bool) -> dict:
    score = load_score(Path("/work/shared/eval/score.py"))
    tot = {k: 0 for k in ("q_tp", "q_pred", "q_gold", "cmp", "role", "d_tp", "d_pred", "d_gold")}
    rows = []
    nbytes, secs = 0, 0.0
    for gf in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        seed = (seeds_dir / gold["source"]).read_text(encoding="utf-8")
        lines = seed.splitlines()
        c = {k: 0 for k in tot}
        for doc in gold["documents"]:
            start, end = doc_region(lines, doc, score)
            paras = assign_items(lines, start, end, doc, score)
            role = "target" if doc["kind"] == "plan" else "actual"
            t0 = time.perf_counter()
            pq, pd = [], []
            for path, para in paras:
                pq += [q.to_dict() for q in extract_quantities(para, item=path, role=role)]
                pd += [
                    d.to_dict()
                    for d in extract_deadlines(para, item=path, year=doc["year"], kind=doc["kind"])
                ]
            secs += time.perf_counter() - t0
            nbytes += sum(len(p.encode()) for _, p in paras)
            gq, gd = doc["quantities"], doc["deadlines"]
            qp = score.match_quantities(gq, pq)
            dp = score.match_deadlines(gd, pd)
            c["q_tp"] += len(qp)
            c["q_pred"] += len(pq)
            c["q_gold"] += len(gq)
            c["cmp"] += sum(a["comparator"] == b["comparator"] for a, b in qp)
            c["role"] += sum(a["role"] == b["role"] for a, b in qp)
            c["d_tp"] += len(dp)
            c["d_pred"] += len(pd)
            c["d_gold"] += len(gd)
            if verbose:
                print(f"\n=== {gf.name} / {doc['title']} lines {start}-{end}")
                mg = {id(a) for a, _ in qp}
                mp = {id(b) for _, b in qp}
                for a, b in qp:
                    if a["comparator"] != b["comparator"] or a["role"] != b["role"]:
                        print(
                            f"  DIFF  {a['text']} | gold {a['comparator']} {a['role']} | pred {b['comparator']} {b['role']}"
                        )
                for a in gq:
                    if id(a) not in mg:
                        print(f"  MISS  [{a['item']}] {a['text']} = {a['value']} {a['unit']}")
                for b in pq:
                    if id(b) not in mp:
                        print(
                            f"  FP    [{b['item']}] {b['text']} = {b['value']} {b['unit']}  ({b['indicator']})"
                        )
                mg = {id(a) for a, _ in dp}
                mp = {id(b) for _, b in dp}
                for a in gd:
                    if id(a) not in mg:
                        print(f"  DMISS [{a['item']}] {a['text']} {a['date']}")
                for b in pd:
                    if id(b) not in mp:
                        print(f"  DFP   [{b['item']}] {b['text']} {b['date']}")
        rows.append((gf.name[:24], c))
        for k in tot:
            tot[k] += c[k]
    rows.append(("TOTAL", tot))
    print(f"\n{'file':26}{'q P':>7}{'q R':>7}{'q F1':>7}{'cmp':>7}{'role':>7}{'d P':>7}{'d R':>7}{'d F1':>7}")
    for name, c in rows:
        q = score.prf(c["q_tp"], c["q_pred"], c["q_gold"])
        d = score.prf(c["d_tp"], c["d_pred"], c["d_gold"])
        cmp_ = c["cmp"] / c["q_tp"] if c["q_tp"] else 1.0
        role = c["role"] / c["q_tp"] if c["q_tp"] else 1.0
        print(
            f"{name:26}{q['p']:7.3f}{q['r']:7.3f}{q['f1']:7.3f}{cmp_:7.3f}{role:7.3f}"
            f"{d['p']:7.3f}{d['r']:7.3f}{d['f1']:7.3f}"
        )
    print(f"\nextraction speed: {nbytes / secs / 1e6:.2f} MB/s ({nbytes} bytes in {secs * 1000:.1f} ms)")
    return tot


def run_parser(seeds_dir: Path, out_dir: Path) -> None:
    """Parse the seeds with duban.plan.parser (which calls the extractors per item) and write
    <source>.json for score.py."""
    from duban.plan.parser import parse_file

    out_dir.mkdir(parents=True, exist_ok=True)
    for f in sorted(seeds_dir.iterdir()):
        plan = parse_file(f)
        (out_dir / f"{plan.source}.json").write_text(
            json.dumps(plan.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )


def run_units(seeds_dir: Path) -> None:
    """How often the suggested lead unit agrees with the unit a document names (field lines),
    on items that have one: top-1 and any-overlap, with the directory's canonical names."""
    from duban.plan.parser import parse_file
    from duban.plan.units import load_directory

    d = load_directory()
    field = re.compile(r"(?:责任科室|责任单位|牵头单位|配合单位|责任处室)[:：].*")
    n = top1 = anyhit = 0
    for f in sorted(seeds_dir.iterdir()):
        for doc in parse_file(f).documents:
            for it in doc.items:
                named = [c for c in (d.canonical(r) for r in it.responsible) if c]
                if not named:
                    continue
                names = [s.name for s in d.suggest(field.sub("", it.body))]
                n += 1
                top1 += bool(names) and names[0] == named[0]
                anyhit += bool(set(names) & set(named))
    if n:
        print(f"unit suggestions on {n} items with named units: lead {top1 / n:.2f}, any {anyhit / n:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", type=Path, default=Path("/work/shared/gold"))
    ap.add_argument("--seeds", type=Path, default=Path("/work/shared/seeds"))
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument(
        "--parser", type=Path, metavar="OUT_DIR", help="parse with duban.plan.parser into OUT_DIR"
    )
    ap.add_argument("--units", action="store_true", help="measure unit suggestions against named units")
    a = ap.parse_args()
    if a.units:
        run_units(a.seeds)
        return 0
    if a.parser:
        run_parser(a.seeds, a.parser)
        return 0
    run(a.gold, a.seeds, a.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
