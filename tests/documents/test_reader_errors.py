from __future__ import annotations

import io
import zipfile

import pytest

from duban.documents import (
    BinaryContent,
    DocumentError,
    EmptyDocument,
    Undecodable,
    UnsupportedFormat,
    read_bytes,
    read_document,
)


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError) as err:
        read_document(tmp_path / "没有这个文件.txt")
    assert err.value.user_message.startswith("文件不存在：")
    assert "没有这个文件.txt" in err.value.user_message


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(DocumentError) as err:
        read_document(tmp_path)
    assert "文件夹" in err.value.user_message


def test_png_is_unsupported_even_with_txt_extension(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64))
    with pytest.raises(UnsupportedFormat) as err:
        read_document(path)
    assert "PNG" in err.value.user_message and "支持的格式" in err.value.user_message


def test_zip_that_is_not_docx_is_unsupported(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("notes.txt", "hello")
    path = tmp_path / "plan.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(UnsupportedFormat) as err:
        read_document(path)
    assert "zip" in err.value.user_message


def test_broken_xlsx_gets_one_message_naming_the_file_once():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocumentError) as err:
        read_bytes(buf.getvalue(), "tasks.xlsx")
    assert err.value.user_message.count("tasks.xlsx") == 1
    assert "损坏" in err.value.user_message


def test_binary_file(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(BinaryContent) as err:
        read_document(path)
    assert "二进制" in err.value.user_message


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t  ", "\u3000\u3000\n".encode()])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyDocument) as err:
        read_document(path)
    assert "空" in err.value.user_message or "没有文字" in err.value.user_message


def test_undecodable_file(tmp_path):
    path = tmp_path / "weird.txt"
    path.write_bytes(bytes([0x80, 0xFF, 0x81, 0x7F, 0xFE, 0x30, 0x9F, 0xFF]) * 50)
    with pytest.raises(Undecodable) as err:
        read_document(path)
    assert "编码" in err.value.user_message


def test_damaged_docx_gives_a_chinese_message_not_a_traceback():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<not-xml")
    with pytest.raises(DocumentError) as err:
        read_bytes(buf.getvalue(), "broken.docx")
    assert "broken.docx" in err.value.user_message
    assert "损坏" in err.value.user_message


def test_errors_carry_precise_detail_for_logs(tmp_path):
    with pytest.raises(DocumentError) as err:
        read_document(tmp_path / "x.txt")
    assert "no such file" in str(err.value)
