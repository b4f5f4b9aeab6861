"""Start-up time of the command line: `duban --help` (target < 0.2 s) against bare Python.

    .venv/bin/python bench/cli.py [runs]

Prints min and median wall time of each, and the ten slowest imports of `duban --help`
(from `python -X importtime`).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def wall(cmd: list[str], runs: int) -> list[float]:
    env = os.environ.copy()
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure as installed: compiled bytecode cached
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return times


def slowest_imports(n: int = 10) -> list[tuple[int, str]]:
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "duban", "--help"], capture_output=True, text=True
    )
    rows = []
    for line in r.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:n]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    duban = shutil.which("duban", path=str(Path(sys.executable).parent)) or "duban"
    print(f"{'command':<22} {'min s':>7} {'median s':>9}  ({runs} runs; load {os.getloadavg()[0]:.1f})")
    for name, cmd in (
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("duban --help", [duban, "--help"]),
    ):
        t = wall(cmd, runs)
        print(f"{name:<22} {min(t):7.3f} {statistics.median(t):9.3f}")
    print("\nslowest imports of `duban --help` (cumulative µs):")
    for us, name in slowest_imports():
        print(f"{us:>9}  {name}")


if __name__ == "__main__":
    main()
