"""Tell a file's format from its content; the extension is only a hint."""

from __future__ import annotations

import re

from duban.documents.safe_zip import open_zip, read_member

PDF = "pdf"
DOCX = "docx"
LEGACY = "legacy"  # OLE2 .doc/.wps, RTF, ODT, Word 2003 XML: converted through LibreOffice
TEXT = "text"  # decode, then HTML or plain text
MHTML = "mhtml"  # a web page saved as one file (.mht/.mhtml): MIME multipart with the HTML inside
SHEET = "sheet"  # a workbook: description xlsx, xls or ods (.et is an xls or an xlsx inside)
OFD = "ofd"  # GB/T 33190 layout document

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Binary formats we recognise only to name them in the error message.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"BM", "BMP 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"RIFF", "音视频或图片文件"),
    (b"\x7fELF", "程序文件"),
    (b"MZ", "Windows 程序文件"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"Rar!", "RAR 压缩包"),
    (b"ID3", "音频文件"),
    (b"%!PS", "PostScript 文件"),
    (b"SQLite format 3\x00", "数据库文件"),
)

_OTHER_OLE_EXT = {".ppt": "PowerPoint 演示文稿", ".dps": "WPS 演示"}
_ZIP_KINDS = {"ppt/presentation.xml": "PowerPoint 演示文稿（pptx）"}
_ODT_MIMES = (b"application/vnd.oasis.opendocument.text",)
_ODS_MIMES = (b"application/vnd.oasis.opendocument.spreadsheet",)
# OLE2 directory entries are UTF-16LE names: the workbook stream of BIFF8 (Workbook) or BIFF5 (Book)
_OLE_WORKBOOK = ("Workbook".encode("utf-16-le"), b"B\x00o\x00o\x00k\x00\x00\x00")
_OLE_WORD = "WordDocument".encode("utf-16-le")


def sniff(data: bytes, ext: str, name: str = "") -> tuple[str, str]:
    """Return (kind, description). kind is PDF, DOCX, SHEET, OFD, LEGACY, MHTML, TEXT or "unsupported"."""
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return PDF, "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, name)
    if head.startswith(OLE2_MAGIC):
        if _OLE_WORD in data:
            return LEGACY, "doc"
        if any(stream in data for stream in _OLE_WORKBOOK) or ext in (".xls", ".et", ".xlt", ".ett"):
            return SHEET, "xls"
        if ext in _OTHER_OLE_EXT:
            return "unsupported", _OTHER_OLE_EXT[ext]
        return LEGACY, "doc"
    if head.lstrip().startswith(b"{\\rtf"):
        return LEGACY, "rtf"
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<?xml") and re.search(
        rb"progid=\"Word\.Document\"|<w:wordDocument", data[:4096]
    ):
        return LEGACY, "Word 2003 XML"
    if _looks_like_mhtml(data):
        return MHTML, "mhtml"
    for magic, desc in _BINARY_MAGIC:
        if head.startswith(magic):
            return "unsupported", desc
    return TEXT, "text"


def _looks_like_mhtml(data: bytes) -> bool:
    """A MIME message: header lines first, MIME-Version and multipart/related among them."""
    start = data[:8192].lstrip()
    if not re.match(rb"[A-Za-z][\w-]*:", start):
        return False
    headers = re.split(rb"\r?\n\r?\n", start, maxsplit=1)[0]
    return bool(
        re.search(rb"^MIME-Version:", headers, re.IGNORECASE | re.MULTILINE)
        and re.search(rb"multipart/related", headers, re.IGNORECASE)
    )


def _sniff_zip(data: bytes, name: str) -> tuple[str, str]:
    """A zip is refused here (UnsafeArchive) if damaged, encrypted, oddly compressed or a bomb."""
    with open_zip(data, name) as zf:
        names = set(zf.namelist())
        if "word/document.xml" in names:
            return DOCX, "docx"
        if "xl/workbook.xml" in names:
            return SHEET, "xlsx"
        if "OFD.xml" in names:
            return OFD, "ofd"
        mime = read_member(zf, "mimetype", limit=4096, name=name).strip() if "mimetype" in names else b""
        if mime in _ODT_MIMES:
            return LEGACY, "odt"
        if mime in _ODS_MIMES:
            return SHEET, "ods"
        for member, desc in _ZIP_KINDS.items():
            if member in names:
                return "unsupported", desc
    return "unsupported", "zip 压缩包"


_HTML_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|br|table|tr|td|h[1-6]|a|ul|li|title|script|style)\b[^<>]{0,500}>", re.IGNORECASE
)


def looks_like_html(text: str, ext: str) -> bool:
    """Sniff markup: a doctype/html/head/body tag, or (for .htm/.html) a handful of tags."""
    start = text[:8192]
    if _HTML_STRONG.search(start):
        return True
    tags = len(_HTML_TAG.findall(start))
    if ext in (".htm", ".html", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"):
        return tags >= 1
    return tags >= 8
