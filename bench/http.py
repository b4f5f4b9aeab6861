# ruff: noqa: E402  (the standard library first: this file is named like its `http` package)
"""HTTP benchmark: `duban serve` under concurrent clients, on SQLite and on a real PostgreSQL server.

Builds a bureau (plans through the import service, 60 units with one user each, a supervisor,
assignments, past reports), starts `duban serve` as a child process on 127.0.0.1, signs every user
in through the API, then for each endpoint and each client count runs a bounded load and prints
req/s, p50, p95, errors (non-2xx other than timeouts), timeouts. The load generator is a separate
process (raw asyncio HTTP/1.1 keep-alive connections), so it does not share the server's GIL.

    .venv/bin/python bench/http.py                                 # both databases, 1 worker
    .venv/bin/python bench/http.py --workers 2 --backends postgresql
    .venv/bin/python bench/http.py --clients 50 --seconds 5 --endpoints api_tasks,inbox

Each read level is measured after a warm-up of --warmup requests at the same concurrency, not
counted: the first requests fill the connection pool and the kept read models. Reads cycle through
the signed-in users; each write is a different unit's report for a different period (最多报一次: a
unit reports once a period), so writes are bounded by units x periods and get no warm-up.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's `http` package: look there first, here last.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bureau import N_UNITS, add_periods, add_reports, add_units, assign_all, import_plans
from sqlalchemy.orm import Session

from duban.ledger import db
from duban.ledger.clock import local_date
from duban.ledger.pgserver import PgServer, free_port
from duban.ledger.users import SYSTEM, create_user

PASSWORD = "Bench-Passw0rd!"
WRITE_PERIODS = 30  # open periods for the write benchmark: 60 units x 30 = 1,800 distinct reports


# ------------------------------------------------------------------ load generator (own process)
def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, keep-alive) of one HTTP/1.1 response; the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection") != "close"


async def _load(
    port: int, requests: list[bytes], clients: int, max_requests: int, seconds: float, timeout: float
) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    timeouts = 0
    issued = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal issued, timeouts
        conn = None
        while issued < max_requests and time.perf_counter() < deadline:
            req = requests[issued % len(requests)]
            issued += 1
            try:
                if conn is None:
                    conn = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
                reader, writer = conn
                t0 = time.perf_counter()
                writer.write(req)
                status, keep = await asyncio.wait_for(_read_response(reader), timeout)
                latencies.append((time.perf_counter() - t0) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
                if not keep:
                    writer.close()
                    conn = None
            except TimeoutError:
                timeouts += 1
                if conn:
                    conn[1].close()
                conn = None
            except (OSError, asyncio.IncompleteReadError):
                statuses[0] = statuses.get(0, 0) + 1  # connection refused or dropped
                conn = None
        if conn:
            conn[1].close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    ok = sum(n for s, n in statuses.items() if 200 <= s < 400)
    return {
        "n": len(latencies),
        "rps": ok / wall if wall else 0.0,
        "p50": _percentile(latencies, 0.5),
        "p95": _percentile(latencies, 0.95),
        "errors": sum(n for s, n in statuses.items() if not 200 <= s < 400),
        "e500": sum(n for s, n in statuses.items() if s >= 500),
        "timeouts": timeouts,
        "statuses": statuses,
    }


def _load_process(q: mp.Queue, *args: object) -> None:
    q.put(asyncio.run(_load(*args)))  # type: ignore[arg-type]


def run_load(
    port: int, requests: list[bytes], clients: int, max_requests: int, seconds: float, timeout: float
) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_load_process, args=(q, port, requests, clients, max_requests, seconds, timeout))
    p.start()
    result = q.get(timeout=seconds + timeout + 60)
    p.join()
    return result


# ------------------------------------------------------------------ the bureau and the server
@dataclass
class Bureau:
    supervisor: str
    units: dict[int, str]  # unit id -> username
    tasks_of: dict[int, list[int]]  # unit id -> its task ids
    write_periods: list[int]


def build(url: str, *, n_plans: int, tasks_per_plan: int, past_reports: int) -> Bureau:
    engine = db.make_engine(url)
    db.downgrade(engine, "base")
    db.upgrade(engine)
    today = local_date(db.utcnow())
    with Session(engine) as s:
        import_plans(s, n_plans=n_plans, tasks_per_plan=tasks_per_plan, year=today.year)
        add_units(s)
        by_unit = assign_all(s, today=today)
        past = add_periods(s, first=today - timedelta(days=14 * 12), n=10)
        add_reports(s, by_unit=by_unit, period_ids=past, limit=past_reports)
        # open periods for the writes (one day each, cut off two months ahead)
        writes = add_periods(
            s, first=today - timedelta(days=WRITE_PERIODS), n=WRITE_PERIODS, days=1, cutoff_after=60
        )
        create_user(s, actor=SYSTEM, username="bench_sup", password=PASSWORD, role="supervisor")
        units = {}
        for u in range(1, N_UNITS + 1):
            name = f"bench_u{u}"
            create_user(
                s, actor=SYSTEM, username=name, password=PASSWORD, role="unit_member", unit=f"单位{u}"
            )
            units[u] = name
    engine.dispose()
    return Bureau("bench_sup", units, by_unit, writes)


class Server:
    """`duban serve` in a child process; its log goes to a file (printed when it fails to start)."""

    def __init__(self, url: str, data_dir: Path, workers: int, access_log: bool) -> None:
        self.port = free_port()
        self.log = data_dir / f"serve-{self.port}.log"
        env = {
            **os.environ,
            "DUBAN_DATABASE_URL": url,
            "DUBAN_DATA_DIR": str(data_dir),
            "PYTHONPATH": os.pathsep.join(
                [str(Path(__file__).parents[1] / "src"), os.environ.get("PYTHONPATH", "")]
            ),
        }
        if not access_log:
            env["DUBAN_ACCESS_LOG"] = "0"
        cmd = [sys.executable, "-m", "duban", "serve", "--port", str(self.port), "--workers", str(workers)]
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login", timeout=2) as r:
                    # the first tick runs at start-up: sign in after it (see the note in the report)
                    if r.status == 200 and "tick (pid" in self.log.read_text(errors="replace"):
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("server did not start in time")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def login(port: int, username: str) -> tuple[str, str]:
    """(session token, CSRF token) through POST /api/v1/auth/login."""
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            data = json.loads(r.read())
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"sign-in of {username} refused: {exc.code} {exc.read()[:300]!r}") from exc
    return data["token"], data["csrf_token"]


def raw_request(method: str, path: str, token: str, csrf: str = "", body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Cookie: duban_session={token}", "Accept: */*"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}", f"X-CSRF-Token: {csrf}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def request_sets(port: int, b: Bureau) -> dict[str, list[bytes]]:
    sup_token, _ = login(port, b.supervisor)
    unit_tokens = {u: login(port, name) for u, name in b.units.items()}
    writes = []
    for pid in b.write_periods:
        for u, (token, csrf) in unit_tokens.items():
            entries = [
                {"task_id": t, "percent": 60.0, "work_done": "已按计划推进"} for t in b.tasks_of[u][:3]
            ]
            body = json.dumps({"period_id": pid, "entries": entries}).encode()
            writes.append(raw_request("POST", "/api/v1/reports", token, csrf, body))
    return {
        "api_tasks": [raw_request("GET", "/api/v1/tasks", sup_token)],
        "api_dashboard": [raw_request("GET", "/api/v1/dashboard", sup_token)],
        "dashboard": [raw_request("GET", "/dashboard", sup_token)],
        "inbox": [raw_request("GET", "/inbox", t) for t, _ in unit_tokens.values()],
        "api_inbox": [raw_request("GET", "/api/v1/inbox", t) for t, _ in unit_tokens.values()],
        "report": writes,
    }


# ------------------------------------------------------------------ main
def bench(backend: str, url: str, data_dir: Path, args: argparse.Namespace) -> list[str]:
    t0 = time.perf_counter()
    bureau = build(
        url, n_plans=args.plans, tasks_per_plan=args.tasks_per_plan, past_reports=args.past_reports
    )
    n_tasks = sum(len(v) for v in bureau.tasks_of.values())
    out = [
        f"== {backend}, --workers {args.workers}: {args.plans} plans, {n_tasks} assigned tasks, "
        f"{N_UNITS} units (built in {time.perf_counter() - t0:.0f} s)",
        f"{'endpoint':<14}{'clients':>8}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'errors':>7}{'500s':>6}{'timeouts':>9}",
    ]
    server = Server(url, data_dir, args.workers, args.access_log)
    try:
        server.wait_ready()
        sets = request_sets(server.port, bureau)
        used_writes = 0
        for name in args.endpoints.split(","):
            for clients in [int(c) for c in args.clients.split(",")]:
                reqs = sets[name]
                limit = args.requests
                if name == "report":  # each write once
                    reqs = reqs[used_writes:]
                    limit = min(limit, len(reqs))
                if name != "report" and args.warmup:  # steady state: pools filled, read models kept
                    run_load(server.port, reqs, clients, args.warmup, args.seconds, args.timeout)
                r = run_load(server.port, reqs, clients, limit, args.seconds, args.timeout)
                if name == "report":
                    used_writes += r["n"] + r["timeouts"]
                out.append(
                    f"{name:<14}{clients:>8}{r['n']:>9}{r['rps']:>8.0f}{r['p50']:>8.0f}{r['p95']:>8.0f}"
                    f"{r['errors']:>7}{r['e500']:>6}{r['timeouts']:>9}"
                    + (f"  statuses {r['statuses']}" if r["errors"] else "")
                )
                print(out[-1], flush=True)
    finally:
        server.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--clients", default="1,10,50")
    ap.add_argument("--endpoints", default="api_tasks,api_dashboard,dashboard,inbox,api_inbox,report")
    ap.add_argument(
        "--requests", type=int, default=4000, help="at most this many requests per endpoint and level"
    )
    ap.add_argument(
        "--warmup",
        type=int,
        default=300,
        help="requests sent before each read level and not counted (writes are each sent once: none)",
    )
    ap.add_argument("--seconds", type=float, default=8.0, help="and at most this long per endpoint and level")
    ap.add_argument(
        "--timeout", type=float, default=10.0, help="a request slower than this counts as a timeout"
    )
    ap.add_argument("--plans", type=int, default=5)
    ap.add_argument("--tasks-per-plan", type=int, default=60)
    ap.add_argument("--past-reports", type=int, default=2000, help="report entries of past periods")
    ap.add_argument("--access-log", action="store_true", help="keep uvicorn's access log on")
    args = ap.parse_args()
    lines: list[str] = []
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as d:
            if backend == "sqlite":
                lines += bench(backend, f"sqlite:///{Path(d) / 'bench.sqlite3'}", Path(d), args)
            else:
                with PgServer() as server:
                    lines += bench(backend, server.url, Path(d), args)
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
