"""Long fuzz run: generated hostile inputs through the readers and the parser (the error boundary).

    nice -n 19 .venv/bin/python bench/fuzz.py [--n 100000] [--start 0] [--seed 1] [--budget SECONDS]

Prints crashes (any exception other than the file's DocumentError), hangs (> 10 s for one input)
and peak RSS; targets 0, 0, < 1 GB. Inputs come from tests/fuzzgen.py (LibreOffice formats are
left out: each would start a converter). A crash or hang prints its index: regenerate that one input
with `tests.fuzzgen.generated(seed, index)`. --start/--n run one chunk of the same sequence (inputs
start..start+n-1), so a long run can be split; --budget stops early and says how many inputs ran.
"""

from __future__ import annotations

import argparse
import logging
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.fuzzgen

from tests.fuzzgen import inputs  # noqa: E402

from duban.documents import DocumentError  # noqa: E402
from duban.plan.boundary import read_and_parse  # noqa: E402

HANG_SECONDS = 10


class Hang(Exception):
    pass


def _alarm(signum, frame):  # noqa: ANN001, ANN202
    raise Hang


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--start", type=int, default=0, help="index of the first input")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget", type=float, default=0, help="stop after this many seconds (0: no limit)")
    args = ap.parse_args()
    logging.getLogger("duban").addHandler(logging.NullHandler())
    logging.getLogger("duban").propagate = False  # the boundary logs each unexpected trace; we count them
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    signal.signal(signal.SIGALRM, _alarm)
    crashes: list[tuple[int, str, str]] = []
    hangs: list[tuple[int, str, float]] = []
    internal = 0
    start = time.monotonic()
    done = 0
    slowest: list[tuple[float, int, str]] = []
    for k, (name, data) in enumerate(inputs(args.seed, args.n, start=args.start), start=args.start):
        if args.budget and time.monotonic() - start > args.budget:
            break
        t = time.monotonic()
        signal.alarm(HANG_SECONDS * 3)  # interrupt a true hang; > HANG_SECONDS already counts as one
        try:
            read_and_parse(data, name)
        except DocumentError as exc:
            if "内部错误" in exc.user_message:
                internal += 1  # the boundary caught a bug: the user saw one line, still worth fixing
                crashes.append((k, name, str(exc)))
                print(f"  crash #{k} {name}: {exc}", flush=True)
        except Hang:
            pass
        except BaseException as exc:  # noqa: BLE001 - any escape is a crash
            crashes.append((k, name, "".join(traceback.format_exception_only(exc)).strip()))
            print(f"  crash #{k} {name}: {crashes[-1][2][:200]}", flush=True)
        finally:
            signal.alarm(0)
        took = time.monotonic() - t
        if took > HANG_SECONDS:
            hangs.append((k, name, took))
            print(f"  hang #{k} {name}: {took:.1f} s", flush=True)
        slowest = sorted([*slowest, (took, k, name)], reverse=True)[:5]
        done += 1
        if done % 5000 == 0:
            print(
                f"  {done} inputs, {time.monotonic() - start:.0f} s, crashes {len(crashes)}, hangs {len(hangs)}",
                flush=True,
            )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall = time.monotonic() - start
    last = args.start + done - 1
    print(f"inputs: {done} of {args.n} (#{args.start}..#{last}, seed {args.seed}) in {wall:.0f} s")
    print(f"crashes: {len(crashes)} (of which caught by the boundary as internal errors: {internal})")
    for k, name, what in crashes[:20]:
        print(f"  #{k} {name}: {what[:200]}")
    print(f"hangs (> {HANG_SECONDS} s): {len(hangs)}")
    for k, name, took in hangs[:20]:
        print(f"  #{k} {name}: {took:.1f} s")
    print("slowest: " + ", ".join(f"#{k} {name} {took:.2f} s" for took, k, name in slowest))
    print(f"peak RSS: {peak_mb:.0f} MB (target < 1024 MB)")


if __name__ == "__main__":
    main()
