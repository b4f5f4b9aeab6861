"""Zip packages (xlsx, ods, ofd) opened in one place, so the reliability caps apply to all.

TODO(robust): once documents/safe_zip.py lands, `open_package` is `safe_zip.open_zip` and
`read_member` is `safe_zip.read_member`.
"""

from __future__ import annotations

import io
import zipfile

from duban.documents.errors import DocumentError

MAX_MEMBER = 200 * 1024 * 1024


def open_package(data: bytes) -> zipfile.ZipFile:
    """The zip package of a file's bytes."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocumentError("文件已损坏（压缩包无法打开）", f"bad zip: {exc}") from exc


def read_member(zf: zipfile.ZipFile, name: str, *, limit: int = MAX_MEMBER) -> bytes:
    """One member's bytes; KeyError when absent, DocumentError when larger than `limit`."""
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise DocumentError(
            "文件内容过大，无法读取", f"{name}: {info.file_size} bytes uncompressed > {limit}"
        )
    return zf.read(name)
