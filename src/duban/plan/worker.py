"""Read and parse an upload in a separate process, with a time limit and a memory limit.

The web server must stay responsive while a file is parsed and must survive a file that
would take minutes or gigabytes: the work runs in a child process (started from a
forkserver, so the server's threads and database connections are not copied), its address
space capped with RLIMIT_AS, and it is killed when it overruns its time. Either overrun is
a DocumentError with a Chinese message, like any unreadable file.

    source, plan = read_and_parse_isolated(data, name, ParseLimits(seconds=240, memory_mb=1536))
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection

from duban.documents import DocumentError, SourceText
from duban.plan.model import Plan

log = logging.getLogger("duban.parse")
# imported once by the forkserver, so each upload's worker starts with them loaded
_PRELOAD = [
    "duban.plan.boundary",
    "duban.documents.docx_reader",
    "duban.documents.html_reader",
    "duban.documents.pdf_reader",
    "trafilatura",
]


@dataclass(frozen=True)
class ParseLimits:
    seconds: float = 240.0  # wall time for reading and parsing one file (LibreOffice alone may take 180 s)
    memory_mb: int = 1536  # address space the parse may add to the worker's own


def _context() -> multiprocessing.context.BaseContext:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def read_and_parse_isolated(data: bytes, name: str, limits: ParseLimits) -> tuple[SourceText, Plan]:
    """`boundary.read_and_parse` in a child process within `limits`; DocumentError on any failure."""
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, data, name, limits.memory_mb), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(limits.seconds):
            log.warning("parse of %s over %.0f s: killed", name, limits.seconds)
            raise DocumentError(
                f"文件解析超时（超过 {limits.seconds:.0f} 秒），可能内容过多或格式异常，"
                f"请拆分文件或另存为 docx/txt 后重试：{name}",
                f"{name}: parse exceeded {limits.seconds} s",
            )
        try:
            status, payload = receive.recv()
        except (EOFError, OSError) as exc:  # died without an answer: the memory cap or a crash
            proc.join(5)
            log.warning("parse worker for %s died (exit code %s)", name, proc.exitcode)
            raise DocumentError(
                f"文件解析所需内存超过上限（{limits.memory_mb} MB），请拆分文件后重试：{name}",
                f"{name}: worker died with exit code {proc.exitcode}",
            ) from exc
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if status == "ok":
        return payload
    cls, user_message, detail = payload
    raise cls(user_message, detail)


def _child(send: Connection, data: bytes, name: str, memory_mb: int) -> None:
    from duban.plan.boundary import failure, read_and_parse

    _cap_memory(memory_mb)
    try:
        result: tuple = ("ok", read_and_parse(data, name))
    except DocumentError as exc:
        result = ("error", (type(exc), exc.user_message, str(exc)))
    try:
        send.send(result)
    except Exception as exc:  # the result itself too large to send within the cap
        exc = failure(exc, name)
        send.send(("error", (type(exc), exc.user_message, str(exc))))
    finally:
        send.close()


def _cap_memory(memory_mb: int) -> None:
    """Cap the soft RLIMIT_AS at what the worker already maps plus `memory_mb`.

    Only the soft limit: a converter this process starts (LibreOffice) lifts it for itself.
    """
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    base = pages * resource.getpagesize()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = base + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
