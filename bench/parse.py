"""Parse throughput of the whole parse stage (read, clean, outline, metadata, extraction) on one core.

    .venv/bin/python bench/parse.py [SEED_DIR] [--repeat N]

Prints MB of text per second over the seed files (text size = UTF-8 bytes of the cleaned text).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from duban.documents import read_document
from duban.plan.parser import parse_file, parse_text


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("seeds", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "seeds"))
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    files = sorted(p for p in Path(args.seeds).iterdir() if p.is_file())
    texts = [read_document(f) for f in files]
    size = sum(len(t.text.encode("utf-8")) for t in texts)
    for f in files:  # warm up caches (regexes, tables) outside the timing
        parse_file(f)

    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        for f in files:
            parse_file(f)
    whole, whole_cpu = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        for t in texts:
            parse_text(t.text, t.name)
    parse_only, parse_cpu = time.perf_counter() - t0, time.process_time() - c0

    mb = size * args.repeat / 1e6
    print(f"files: {len(files)}, text: {size / 1e3:.1f} kB, repeat: {args.repeat}")
    # wall clock, and per second of this process's CPU time (what one core does on a shared machine)
    print(
        f"whole parse stage (read + clean + parse + extract): {mb / whole:.2f} MB/s ({mb / whole_cpu:.2f} per CPU s)"
    )
    print(
        f"parse only (text -> Plan):                         {mb / parse_only:.2f} MB/s ({mb / parse_cpu:.2f} per CPU s)"
    )


if __name__ == "__main__":
    main()
