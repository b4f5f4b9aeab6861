"""The one error boundary around reading and parsing a file.

Whatever fails inside (a reader, a library, the parser), the caller gets a DocumentError whose
`user_message` is the file's one Chinese line; the trace goes to the log, never to the user.
`duban parse`, `duban import` and uploads (through plan/worker.py) all read files through here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from duban.documents import DocumentError, SourceText, read_bytes, read_document
from duban.plan.model import Plan
from duban.plan.parser import parse_text

log = logging.getLogger("duban.parse")


def failure(exc: BaseException, name: str) -> DocumentError:
    """The file's one-line error for any exception; unexpected ones are logged with their trace."""
    if isinstance(exc, DocumentError):
        return exc
    if isinstance(exc, MemoryError):
        log.warning("out of memory parsing %s", name)
        return DocumentError(
            f"文件内容过多，解析所需内存超过上限，请拆分文件后重试：{name}", f"{name}: MemoryError"
        )
    if isinstance(exc, RecursionError):
        log.warning("recursion limit parsing %s", name)
        return DocumentError(f"文件结构嵌套过深，无法解析：{name}", f"{name}: RecursionError")
    log.error("parse failed for %s", name, exc_info=exc)
    return DocumentError(
        f"文件解析失败（内部错误：{type(exc).__name__}），请将该文件反馈给维护人员：{name}",
        f"{name}: {type(exc).__name__}: {exc}",
    )


def read_and_parse(data: bytes, name: str) -> tuple[SourceText, Plan]:
    """Read a file's bytes and parse them; any failure is a DocumentError (see `failure`)."""
    try:
        source = read_bytes(data, name)
        return source, parse_text(source.text, source.name)
    except Exception as exc:  # the boundary: nothing else escapes
        raise failure(exc, name) from exc


def parse_path(path: str | Path) -> Plan:
    """Read and parse a file on disk behind the boundary (`duban parse`, `duban import`)."""
    name = Path(path).name
    try:
        source = read_document(path)
        return parse_text(source.text, source.name)
    except Exception as exc:
        raise failure(exc, name) from exc
