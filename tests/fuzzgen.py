"""Seeded generator of hostile and careless inputs for the fuzz harness (tests/plan/test_fuzz.py, tests/web/api/test_upload_fuzz.py) and
bench/fuzz.py: mangled plan text, odd encodings, random markup, broken and bomb-like zips
(docx/xlsx/ofd), truncated PDFs, magic numbers of other formats, hostile Word numbering.

    for name, data in inputs(seed=1, count=300): ...
    name, data = generated(seed=1, index=41)      # one input again, without generating the 41 before it
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Iterator

_LINES = [
    "某市教育局2024年工作要点",
    "一、总体要求",
    "（一）加强党的建设",
    "1.压实从严治党责任。全年召开专题会议2次以上。",
    "2.新建幼儿园10所，新增学位6000个，2024年8月底前完成。",
    "（2）学前三年毛入园率达到94.5%以上，比上年提高2个百分点。",
    "责任单位：基础教育科、督导室",
    "完成时限：2024年12月底前",
    "① 师生比1:15，生均经费不低于12000元。",
    "序号 | 任务 | 牵头单位 | 完成时限",
    "1 | 新建改扩建幼儿园10所 | 计划财务科 | 2024年8月底前",
    "第二部分 重点任务",
    "二、",
    "1.",
    "2024年完成全部任务。",
    "实施“三名”工程，学习《3年行动计划》。",
    "上半年",
    "百分之九十",
    "XX所",
]
_PIECES = [
    "一、",
    "（一）",
    "1.",
    "(1)",
    "①",
    "第一部分",
    "%",
    "所",
    "个百分点",
    "年",
    "月底前",
    "“",
    "”",
    "《",
    "》",
    "\t",
    "\u3000",
    "\r",
    "\x00",
    "\ufeff",
    "\u202e",
    "𠀀",
    "١٢٣",
    "9" * 30,
    "一" * 12,
    "：",
    "|",
    "…",
]
_MAGIC = [
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"{\\rtf1",
    b"\x89PNG\r\n\x1a\n",
    b"\x1f\x8b",
    b'<?xml version="1.0"?>',
    b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
]
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _char(r: random.Random) -> str:
    c = r.randint(1, 0x2FFFF)
    return "\ufffd" if 0xD800 <= c <= 0xDFFF else chr(c)


def _text(r: random.Random, max_lines: int = 60) -> str:
    out = []
    for _ in range(r.randint(0, max_lines)):
        line = r.choice(_LINES)
        for _ in range(r.randint(0, 3)):
            at = r.randint(0, len(line))
            line = line[:at] + r.choice(_PIECES) * r.choice((1, 1, 2, 50)) + line[at:]
        if r.random() < 0.1:
            line = line[: r.randint(0, len(line))]
        if r.random() < 0.05:
            line = "".join(_char(r) for _ in range(r.randint(1, 40)))
        out.append(line)
    sep = r.choice(("\n", "\n", "\r\n", "\r", " ", "\n\n"))
    return sep.join(out)


def _encoded(r: random.Random, text: str) -> bytes:
    enc = r.choice(("utf-8", "utf-8", "gb18030", "utf-16", "utf-16-be", "big5", "latin-1"))
    data = text.encode(enc, errors="replace") if enc != "latin-1" else text.encode("utf-8")
    return data


def _html(r: random.Random) -> bytes:
    tags = ["div", "p", "span", "table", "tr", "td", "ul", "li", "font", "b", "h1", "br", "script", "style"]
    charset = r.choice(("utf-8", "gbk", "bogus"))
    parts = [f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>工作要点</title></head><body>']
    depth = 0
    for _ in range(r.randint(0, 200)):
        k = r.random()
        if k < 0.4:
            parts.append(f"<{r.choice(tags)}>")
            depth += 1
        elif k < 0.6 and depth:
            parts.append(f"</{r.choice(tags)}>")
        else:
            parts.append(r.choice(_LINES))
    if r.random() < 0.05:
        parts.append("<div>" * r.randint(500, 3000))
    return "".join(parts).encode(r.choice(("utf-8", "gb18030")), errors="replace")


def _paragraph(r: random.Random, text: str) -> str:
    numpr = ""
    if r.random() < 0.5:
        numpr = f'<w:pPr><w:numPr><w:ilvl w:val="{r.randint(-2, 12)}"/><w:numId w:val="{r.randint(0, 3)}"/></w:numPr></w:pPr>'
    return f"<w:p>{numpr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _numbering(r: random.Random) -> str:
    fmts = [
        "decimal",
        "lowerLetter",
        "upperRoman",
        "chineseCounting",
        "decimalEnclosedCircle",
        "bogus",
        "none",
    ]
    starts = ["1", "0", "-5", "2147483648", "99999999999", "x", "32767"]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{r.choice(starts)}"/><w:numFmt w:val="{r.choice(fmts)}"/>'
        f'<w:lvlText w:val="{r.choice(["%1、", "（%1）", "%1.%2", "%9", "%1" * 200, ""])}"/></w:lvl>'
        for i in range(r.randint(0, 9))
    )
    return (
        f'<w:numbering {_W}><w:abstractNum w:abstractNumId="1">{lvls}</w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        f'<w:num w:numId="2"><w:abstractNumId w:val="9"/></w:num></w:numbering>'
    )


def _docx(r: random.Random) -> bytes:
    body = "".join(_paragraph(r, t) for t in _text(r, 30).split("\n"))
    if r.random() < 0.1:
        body = body[: r.randint(0, len(body))]  # malformed XML
    members = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": _RELS,
        "word/document.xml": f'<?xml version="1.0"?><w:document {_W}><w:body>{body}</w:body></w:document>',
    }
    if r.random() < 0.7:
        members["word/numbering.xml"] = _numbering(r)
    return _zip(r, members)


def _sheet_or_ofd(r: random.Random) -> tuple[str, bytes]:
    if r.random() < 0.5:
        members = {
            "[Content_Types].xml": _CT,
            "xl/workbook.xml": "<workbook/>" if r.random() < 0.5 else "<",
            "xl/worksheets/sheet1.xml": '<worksheet><sheetData><row><c t="inlineStr"><is><t>'
            + r.choice(_LINES)
            + "</t></is></c></row></sheetData></worksheet>",
        }
        return "表.xlsx", _zip(r, members)
    members = {
        "OFD.xml": '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml'
        "</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": "<" * r.randint(0, 3),
    }
    return "文件.ofd", _zip(r, members)


_BOMB_MB = 140  # past documents/safe_zip's member cap


@functools.cache
def _bomb() -> tuple[bytes, int]:
    """Raw deflate of _BOMB_MB MiB of zeros and its CRC, made once: deflating it per input was most of the run."""
    chunk, comp, crc = b"\0" * (1 << 20), zlib.compressobj(6, zlib.DEFLATED, -15), 0
    parts = []
    for _ in range(_BOMB_MB):
        parts.append(comp.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts.append(comp.flush())
    return b"".join(parts), crc


def _with_bomb(zf: zipfile.ZipFile, buf: io.BytesIO) -> None:
    """Add the cached bomb as the last member: stored as-is, then its headers patched to say deflated."""
    deflated, crc = _bomb()
    zf.writestr(zipfile.ZipInfo("word/media/bomb.bin"), deflated, zipfile.ZIP_STORED)
    offset = zf.infolist()[-1].header_offset
    zf.close()
    data = bytearray(buf.getvalue())
    central = data.rindex(b"PK\x01\x02")  # the last member's central directory entry
    # local header: method at +8, crc/csize/usize at +14; central entry: method at +10, crc/csize/usize at +16
    for at, method_at, sizes_at in ((offset, 8, 14), (central, 10, 16)):
        struct.pack_into("<H", data, at + method_at, zipfile.ZIP_DEFLATED)
        struct.pack_into("<III", data, at + sizes_at, crc, len(deflated), _BOMB_MB << 20)
    buf.seek(0)
    buf.truncate()
    buf.write(data)


def _zip(r: random.Random, members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    zf = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)
    for name, text in members.items():
        zf.writestr(name, text)
    if r.random() < 0.03:  # a bomb: a member inflating far past the caps
        _with_bomb(zf, buf)
    else:
        zf.close()
    data = buf.getvalue()
    k = r.random()
    if k < 0.1:
        data = data[: r.randint(0, len(data))]
    elif k < 0.2:
        b = bytearray(data)
        for _ in range(r.randint(1, 20)):
            b[r.randrange(len(b))] = r.randrange(256)
        data = bytes(b)
    return data


def _binary(r: random.Random) -> bytes:
    head = r.choice(_MAGIC)
    return head + bytes(r.randrange(256) for _ in range(r.randint(0, 2000)))


def one(r: random.Random, legacy: bool = False) -> tuple[str, bytes]:
    """One generated input: (file name, bytes). `legacy` lets OLE2/RTF through (each starts LibreOffice)."""
    k = r.random()
    if k < 0.35:
        return r.choice(("计划.txt", "a", "x.TXT", "要点.md")), _encoded(r, _text(r))
    if k < 0.5:
        return r.choice(("页.html", "页.htm", "p.txt")), _html(r)
    if k < 0.7:
        return r.choice(("要点.docx", "a.docm", "x.zip")), _docx(r)
    if k < 0.8:
        return _sheet_or_ofd(r)
    if k < 0.9:
        return "文件.pdf", b"%PDF-1.4\n" + _text(r, 10).encode() + (b"\n%%EOF" if r.random() < 0.5 else b"")
    data = _binary(r)
    if not legacy and (data.startswith((b"\xd0\xcf\x11\xe0", b"{\\rtf")) or b"progid" in data[:4096]):
        data = b"\x89PNG\r\n\x1a\n" + data
    return r.choice(("x.bin", "a.doc", "b.wps", "c.png")), data


def generated(seed: int, index: int, legacy: bool = False) -> tuple[str, bytes]:
    """Input number `index` of `inputs(seed, ...)`: each has its own random stream, so any one is made alone."""
    return one(random.Random(f"{seed}:{index}"), legacy)


def inputs(seed: int, count: int, legacy: bool = False, start: int = 0) -> Iterator[tuple[str, bytes]]:
    for index in range(start, start + count):
        yield generated(seed, index, legacy)
