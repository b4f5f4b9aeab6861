from __future__ import annotations

import pytest

from duban.documents import BinaryContent, EmptyDocument, Undecodable, read_document
from duban.documents.encoding import decode_bytes

PLAN = (
    "许昌市教育局2019年工作要点\n一、加强党的建设\n1.压实从严治党政治责任。学前三年毛入园率达到94.5%以上。\n"
)


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
        ("utf-16-le", b"\xff\xfe", "utf-16-le"),
        ("utf-16-be", b"\xfe\xff", "utf-16-be"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
    ],
)
def test_txt_in_each_encoding(tmp_path, encoding, prefix, expected):
    path = tmp_path / "plan.txt"
    path.write_bytes(prefix + PLAN.replace("\n", "\r\n").encode(encoding))
    src = read_document(path)
    assert src.encoding == expected
    assert src.format == "txt"
    assert src.text.split("\n") == [
        "许昌市教育局2019年工作要点",
        "一、加强党的建设",
        "1.压实从严治党政治责任。学前三年毛入园率达到94.5%以上。",
    ]
    assert src.name == "plan.txt"


def test_gb18030_only_characters(tmp_path):
    # 〔 and the rare character 䶮 exist in GB18030 but not in GB2312.
    text = "青教发〔2018〕8号 䶮"
    (tmp_path / "a.txt").write_bytes(text.encode("gb18030"))
    assert read_document(tmp_path / "a.txt").text == text


def test_utf8_with_a_few_broken_bytes_is_read_as_utf8_with_warning():
    body = ("加强教育质量监测与发展研究。" * 20).encode("utf-8")
    decoded = decode_bytes(body[:-1] + b"\n", "x.txt")  # cut inside the last character
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("加强教育质量监测")
    assert decoded.warnings


def test_binary_content_is_refused():
    with pytest.raises(BinaryContent) as err:
        decode_bytes(b"abc\x00\x01\x02\x03\xff\x00\x10\x00\x00\x00binary" * 10, "x.txt")
    assert "二进制" in err.value.user_message


def test_control_bytes_without_nul_are_binary():
    with pytest.raises(BinaryContent):
        decode_bytes(bytes(range(1, 32)) * 20 + b"text", "x.txt")


def test_whitespace_only_is_empty():
    with pytest.raises(EmptyDocument) as err:
        decode_bytes(b" \r\n\t \n", "x.txt")
    assert "空" in err.value.user_message


def test_undecodable_bytes():
    data = bytes([0x80, 0xFF, 0x81, 0x7F, 0xFE, 0x30, 0x9F, 0xFF]) * 50
    with pytest.raises(Undecodable) as err:
        decode_bytes(data, "x.txt")
    assert "编码" in err.value.user_message
    assert "x.txt" in str(err.value)


def test_big5_is_not_mistaken_for_gbk(tmp_path):
    text = "臺北市政府教育局工作要點\n一、推動學前教育普及\n二、強化教師專業發展與校園安全\n"
    (tmp_path / "tw.txt").write_bytes(text.encode("big5"))
    src = read_document(tmp_path / "tw.txt")
    assert src.encoding == "big5"
    assert src.text.split("\n") == [
        "臺北市政府教育局工作要點",
        "一、推動學前教育普及",
        "二、強化教師專業發展與校園安全",
    ]


def test_a_stray_nul_in_a_text_file_is_dropped_with_a_warning():
    decoded = decode_bytes("一、总体要求\n1.完善机制\n".encode() + b"\x00", "x.txt")
    assert decoded.text == "一、总体要求\n1.完善机制\n"
    assert decoded.warnings
