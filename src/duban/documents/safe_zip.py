"""Open zip-based documents (docx, xlsx, ofd, odt, ...) safely: every reader goes through here.

A zip's central directory declares each member's size; `zipfile` never inflates a member past its
declared size (it stops there and the CRC check fails), so checking the declared sizes up front bounds
what any later read can produce. `read_member` also stream-reads with its own hard cap.

    zf = open_zip(data, name)                    # bytes, a path or a binary file object
    xml = read_member(zf, "word/document.xml")   # bytes, at most MAX_MEMBER_BYTES

Both raise `UnsafeArchive` (a DocumentError with a Chinese `user_message`) on anything refused.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import BinaryIO

from duban.documents.errors import UnsafeArchive

MAX_ENTRIES = 10_000
MAX_MEMBER_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 320 * 1024 * 1024
# Compressions zipfile can inflate; others (Deflate64, PPMd, AES "99", ...) raise NotImplementedError on read.
_SUPPORTED = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_CHUNK = 1024 * 1024
_MB = 1024 * 1024

Source = bytes | bytearray | memoryview | str | Path | BinaryIO


def open_zip(source: Source, name: str = "") -> zipfile.ZipFile:
    """Open and validate a zip: entry count, declared sizes, compression methods, no encryption.

    The caller closes the returned ZipFile (use it as a context manager).
    """
    label = name or (Path(source).name if isinstance(source, (str, Path)) else "")
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    try:
        zf = zipfile.ZipFile(source)
    except NotImplementedError as exc:  # a member needs a newer zip version than Python reads
        raise UnsafeArchive(
            f"文件使用了不支持的压缩方式，请用 Office/WPS 重新保存后再上传{_of(label)}", f"{label}: {exc}"
        ) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeArchive(
            f"文件已损坏，不是有效的压缩格式文档{_of(label)}", f"{label}: {type(exc).__name__}: {exc}"
        ) from exc
    try:
        validate(zf, label)
    except BaseException:
        zf.close()
        raise
    return zf


def validate(zf: zipfile.ZipFile, name: str = "") -> None:
    """Refuse a zip that a reader must not inflate (see the module docstring)."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeArchive(
            f"文件内部条目过多（{len(infos)} 个，上限 {MAX_ENTRIES} 个），可能是恶意构造的文件{_of(name)}",
            f"{name}: {len(infos)} zip entries > {MAX_ENTRIES}",
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnsafeArchive(
                f"文件已加密，请先取消密码保护后再上传{_of(name)}",
                f"{name}: member {info.filename!r} is encrypted",
            )
        if info.compress_type not in _SUPPORTED or info.extract_version > zipfile.MAX_EXTRACT_VERSION:
            raise UnsafeArchive(
                f"文件使用了不支持的压缩方式，请用 Office/WPS 重新保存后再上传{_of(name)}",
                f"{name}: member {info.filename!r} uses compression method {info.compress_type}, "
                f"needs zip version {info.extract_version}",
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise UnsafeArchive(
                f"文件解压后过大（其中一部分 {info.file_size // _MB} MB，"
                f"上限 {MAX_MEMBER_BYTES // _MB} MB），可能是压缩炸弹{_of(name)}",
                f"{name}: member {info.filename!r} declares {info.file_size} bytes > {MAX_MEMBER_BYTES}",
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise UnsafeArchive(
            f"文件解压后过大（共 {total // _MB} MB，上限 {MAX_TOTAL_BYTES // _MB} MB），可能是压缩炸弹{_of(name)}",
            f"{name}: members declare {total} bytes in all > {MAX_TOTAL_BYTES}",
        )


def read_member(zf: zipfile.ZipFile, member: str, *, limit: int = MAX_MEMBER_BYTES, name: str = "") -> bytes:
    """Read one member, stream-wise, refusing it once it passes `limit` bytes.

    KeyError if the member is missing (callers decide whether that is an error); UnsafeArchive if it is
    too large, damaged or unreadable.
    """
    label = name or (zf.filename or "")
    info = zf.getinfo(member)
    if info.file_size > limit:
        raise _too_large(label, member, info.file_size, limit)
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise _too_large(label, member, len(out), limit)
    except UnsafeArchive:
        raise
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError) as exc:
        raise UnsafeArchive(
            f"文件已损坏，无法解压其中的内容{_of(label)}",
            f"{label}: member {member!r}: {type(exc).__name__}: {exc}",
        ) from exc
    return bytes(out)


def _too_large(name: str, member: str, size: int, limit: int) -> UnsafeArchive:
    return UnsafeArchive(
        f"文件解压后过大（上限 {_size(limit)}），可能是压缩炸弹{_of(name)}",
        f"{name}: member {member!r} is {size} bytes > {limit}",
    )


def _of(name: str) -> str:
    return f"：{name}" if name else ""


def _size(n: int) -> str:
    return f"{n // _MB} MB" if n >= _MB else f"{max(1, n // 1024)} KB"
