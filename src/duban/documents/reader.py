"""The entry point: read any supported file into clean text (`read_document`, `read_bytes`)."""

from __future__ import annotations

from pathlib import Path

from duban.documents import sniff as _sniff
from duban.documents.encoding import decode_bytes
from duban.documents.errors import DocumentError, EmptyDocument, UnsupportedFormat
from duban.documents.source import SourceText

MAX_BYTES = 200 * 1024 * 1024
SUPPORTED = "txt、html、docx、pdf、doc、wps、xlsx、xls、et、ods、ofd"


def read_document(path: str | Path) -> SourceText:
    """Read a file (txt/html/docx/pdf/doc/wps/xlsx/xls/et/ods/ofd) into cleaned text; raise DocumentError on bad input."""
    p = Path(path)
    name = p.name
    try:
        if not p.exists():
            raise DocumentError(f"文件不存在：{path}", f"{path}: no such file")
        if p.is_dir():
            raise DocumentError(f"这是一个文件夹，不是文件：{path}", f"{path}: is a directory")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(
                f"文件过大（{size // (1024 * 1024)} MB），无法读取：{name}",
                f"{path}: {size} bytes > {MAX_BYTES}",
            )
        data = p.read_bytes()
    except PermissionError as exc:
        raise DocumentError(f"没有权限读取文件：{path}", f"{path}: {exc}") from exc
    except OSError as exc:
        raise DocumentError(f"无法读取文件：{path}", f"{path}: {exc}") from exc
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> SourceText:
    """Read a document from its bytes; `name` is the file name (its extension is only a hint).

    Every DocumentError's user message names the file, once: readers end it with "：name",
    and a message from deeper down (a size cap, a library) gets the name added here.
    """
    try:
        return _read(data, name)
    except DocumentError as exc:
        if name and name not in exc.user_message:
            exc.user_message = f"{exc.user_message.rstrip('。')}：{name}"
        raise


def _read(data: bytes, name: str) -> SourceText:
    ext = Path(name).suffix.lower()
    if not data:
        raise EmptyDocument(f"文件是空的：{name}", f"{name}: 0 bytes")
    kind, desc = _sniff.sniff(data, ext, name)
    try:
        if kind == _sniff.PDF:
            from duban.documents.pdf_reader import read_pdf

            return read_pdf(data, name)
        if kind == _sniff.DOCX:
            from duban.documents.docx_reader import read_docx

            return read_docx(data, name)
        if kind == _sniff.SHEET:
            from duban.documents.sheet_reader import read_sheets

            return read_sheets(data, name, desc)
        if kind == _sniff.OFD:
            from duban.documents.ofd_reader import read_ofd

            return read_ofd(data, name)
        if kind == _sniff.LEGACY:
            from duban.documents.legacy_reader import read_legacy

            return read_legacy(data, name, desc)
        if kind == _sniff.MHTML:
            from duban.documents.html_reader import read_mhtml

            return read_mhtml(data, name)
        if kind == _sniff.TEXT:
            decoded = decode_bytes(data, name)
            if _sniff.looks_like_html(decoded.text, ext):
                from duban.documents.html_reader import read_html

                return read_html(data, decoded, name)
            from duban.documents.text_reader import read_text

            return read_text(decoded, name)
    except (DocumentError, MemoryError, RecursionError):
        raise  # limits, not damage: plan/boundary.py names them
    except Exception as exc:  # a library failed on a damaged file: no traceback for the user
        raise DocumentError(
            f"文件已损坏或格式异常，无法读取：{name}", f"{name}: {type(exc).__name__}: {exc}"
        ) from exc
    raise UnsupportedFormat(
        f"不支持的文件类型（{desc}）：{name}。支持的格式：{SUPPORTED}",
        f"{name}: detected {desc}, extension {ext or '(none)'}",
    )
