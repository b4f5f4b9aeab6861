from __future__ import annotations

import io
import struct
import zipfile

import docx
import pytest

from duban.documents import read_bytes
from duban.documents.errors import UnsafeArchive
from duban.documents.safe_zip import MAX_ENTRIES, MAX_MEMBER_BYTES, MAX_TOTAL_BYTES, open_zip, read_member


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _docx(text: str = "一、总体要求") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _patch_headers(
    data: bytes, *, flags: int = 0, method: int | None = None, size: int | None = None
) -> bytes:
    """Rewrite every local and central header: what a hand-made or hostile zip can declare."""
    out = bytearray(data)
    for sig, flag_at, method_at, size_at in ((b"PK\x03\x04", 6, 8, 22), (b"PK\x01\x02", 8, 10, 24)):
        at = out.find(sig)
        while at != -1:
            old_flags = struct.unpack_from("<H", out, at + flag_at)[0]
            struct.pack_into("<H", out, at + flag_at, old_flags | flags)
            if method is not None:
                struct.pack_into("<H", out, at + method_at, method)
            if size is not None:
                struct.pack_into("<I", out, at + size_at, size)
            at = out.find(sig, at + 4)
    return bytes(out)


def test_valid_zip_opens_and_members_read():
    with open_zip(_zip({"a.xml": b"<a/>" * 10})) as zf:
        assert read_member(zf, "a.xml") == b"<a/>" * 10
        with pytest.raises(KeyError):
            read_member(zf, "missing.xml")


def test_damaged_zip_is_refused_in_chinese():
    with pytest.raises(UnsafeArchive) as err:
        open_zip(b"PK\x03\x04" + b"\x00" * 40, "坏.docx")
    assert err.value.user_message == "文件已损坏，不是有效的压缩格式文档：坏.docx"


def test_too_many_entries_refused():
    data = _zip({f"m/{i}.xml": b"" for i in range(MAX_ENTRIES + 1)})
    with pytest.raises(UnsafeArchive) as err:
        open_zip(data, "多.docx")
    assert "条目过多" in err.value.user_message and "多.docx" in err.value.user_message


def test_member_declaring_more_than_the_cap_refused():
    data = _patch_headers(_zip({"word/document.xml": b"x"}), size=MAX_MEMBER_BYTES + 1)
    with pytest.raises(UnsafeArchive) as err:
        open_zip(data, "炸弹.docx")
    assert "压缩炸弹" in err.value.user_message


def test_members_declaring_more_than_the_total_cap_refused():
    each = MAX_MEMBER_BYTES - 1
    count = MAX_TOTAL_BYTES // each + 1
    data = _patch_headers(_zip({f"m{i}.bin": b"x" for i in range(count)}), size=each)
    with pytest.raises(UnsafeArchive) as err:
        open_zip(data)
    assert "共" in err.value.user_message and "压缩炸弹" in err.value.user_message


def test_unsupported_compression_refused_not_notimplemented():
    data = _patch_headers(_docx(), method=9)  # Deflate64: zipfile cannot inflate it
    with pytest.raises(UnsafeArchive) as err:
        read_bytes(data, "计划.docx")
    assert "不支持的压缩方式" in err.value.user_message


def test_encrypted_zip_refused():
    with pytest.raises(UnsafeArchive) as err:
        open_zip(_patch_headers(_zip({"a.xml": b"<a/>"}), flags=0x1), "密.docx")
    assert "加密" in err.value.user_message


def test_read_member_stops_at_its_limit():
    with open_zip(_zip({"big.xml": b"a" * 5000})) as zf, pytest.raises(UnsafeArchive) as err:
        read_member(zf, "big.xml", limit=4096, name="f.zip")
    assert "4 KB" in err.value.user_message


def test_real_deflate_bomb_docx_refused_before_inflating():
    """Under 1 MB on disk, 130 MB inflated: refused from the declared sizes, not read whole."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_docx())) as src,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
    ):
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info))
        with out.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(130):
                fh.write(chunk)
    assert len(buf.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(UnsafeArchive) as err:
        read_bytes(buf.getvalue(), "炸弹.docx")
    assert err.value.user_message.endswith("可能是压缩炸弹：炸弹.docx")


def test_docx_still_reads_through_the_safe_path():
    assert read_bytes(_docx("一、总体要求"), "计划.docx").text.strip() == "一、总体要求"


def test_zip_needing_a_newer_zip_version_refused():
    data = bytearray(_zip({"word/document.xml": b"<a/>"}))
    at = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, at + 6, 136)  # "version needed to extract" 13.6
    with pytest.raises(UnsafeArchive) as err:
        open_zip(bytes(data), "新.docm")
    assert "不支持的压缩方式" in err.value.user_message
