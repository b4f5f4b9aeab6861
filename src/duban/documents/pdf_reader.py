"""PDF with a text layer: pypdfium2 first, `pdftotext` (poppler-utils) when pypdfium2 yields garbage.

Page headers, footers and page numbers are removed from the body (lines at the top or bottom
of a page that repeat on most pages, and page-number lines); lines a PDF wrapped inside a
sentence are joined again. A PDF without text (a scan) raises ScannedPdf.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from duban.documents.cleaning import clean_text
from duban.documents.errors import DocumentError, ScannedPdf
from duban.documents.source import SourceText
from duban.documents.wrapping import NUMBERED_START, SENTENCE_END, glue


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float  # larger is higher on the page
    bottom: float
    char_w: float  # typical character width on this line


@dataclass
class Page:
    lines: list[Line]
    width: float
    height: float


_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_=·•\s]*\d{1,4}[-—–－_=·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|[-—–－]\s*[ivxlcIVXLC]{1,6}\s*[-—–－])$"
)
_BAD_CHARS = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]")
_CJK = re.compile("[\u4e00-\u9fff]")


# ---- extraction ---------------------------------------------------------------------------------


def _pdfium_pages(data: bytes, name: str) -> list[Page]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise DocumentError(
                f"PDF 文件已加密，请先去除密码保护后再导入：{name}", f"{name}: pdfium: {msg}"
            ) from exc
        raise DocumentError(f"PDF 文件已损坏，无法读取：{name}", f"{name}: pdfium: {msg}") from exc
    pages: list[Page] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                pages.append(Page(_page_lines(textpage), width, height))
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    return pages


def _page_lines(textpage) -> list[Line]:
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range()
    boxes_ok = len(text) == count
    lines: list[Line] = []
    start = 0
    for raw in re.split(r"(\r\n|\n|\r)", text):
        if raw in ("\r\n", "\n", "\r"):
            start += len(raw)
            continue
        end = start + len(raw)
        stripped = raw.strip()
        if stripped:
            if boxes_ok:
                xs0, xs1, tops, bottoms, widths = [], [], [], [], []
                for i in range(start, end):
                    if raw[i - start].isspace():
                        continue
                    left, bottom, right, top = textpage.get_charbox(i)
                    if right <= left and top <= bottom:
                        continue
                    xs0.append(left)
                    xs1.append(right)
                    tops.append(top)
                    bottoms.append(bottom)
                    widths.append(right - left)
                if xs0:
                    widths.sort()
                    char_w = max(widths[len(widths) // 2], max(tops) - min(bottoms), 1.0)
                    lines.append(Line(stripped, min(xs0), max(xs1), max(tops), min(bottoms), char_w))
                    start = end
                    continue
            n = -float(len(lines))
            lines.append(Line(stripped, 0.0, _display_width(stripped), n, n, 1.0))
        start = end
    return lines


def _display_width(text: str) -> float:
    """Width in em: CJK and full-width characters 1, ASCII and other narrow characters 0.5."""
    return sum(1.0 if ord(ch) >= 0x2E80 or ch in "—…“”‘’" else 0.5 for ch in text)


def _pdftotext_pages(data: bytes, name: str) -> list[Page] | None:
    exe = shutil.which("pdftotext")
    if not exe:
        return None
    with tempfile.TemporaryDirectory(prefix="duban-pdf-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        try:
            out = subprocess.run(
                [exe, "-enc", "UTF-8", "-eol", "unix", str(src), "-"],
                capture_output=True,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    if out.returncode != 0:
        return None
    text = out.stdout.decode("utf-8", errors="replace")
    pages: list[Page] = []
    for page_text in text.split("\f"):
        lines: list[Line] = []
        for raw in page_text.split("\n"):
            s = raw.strip()
            if s:
                n = -float(len(lines))
                lines.append(Line(s, 0.0, _display_width(s), n, n, 1.0))
        pages.append(Page(lines, 0.0, 0.0))
    while pages and not pages[-1].lines:
        pages.pop()
    return pages


def _quality(pages: list[Page]) -> tuple[int, float]:
    text = "".join(line.text for page in pages for line in page.lines)
    chars = len(re.sub(r"\s", "", text))
    if not chars:
        return 0, 1.0
    bad = len(_BAD_CHARS.findall(text))
    return chars, bad / chars


# ---- page furniture ---------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _edges(page: Page, k: int = 2) -> tuple[list[int], list[int], set[int]]:
    """The k topmost and k bottommost lines, and which of them stand apart from the body.

    A header or footer sits in the margin: the gap between it and the body is wider than the
    usual gap between lines. Without coordinates (pdftotext) every edge line counts as apart.
    """
    order = sorted(range(len(page.lines)), key=lambda i: -page.lines[i].top)
    top = order[:k]
    bottom = order[-k:] if len(order) > k else order[k:]
    if page.width <= 0 or len(order) < 4:
        return top, bottom, set(top + bottom)
    lines = page.lines
    gaps = [lines[order[j]].bottom - lines[order[j + 1]].top for j in range(len(order) - 1)]
    typical = max(sorted(gaps)[len(gaps) // 4], 0.0)
    char_w = sorted(line.char_w for line in lines)[len(lines) // 2]

    def wide(gap: float) -> bool:
        return gap > max(1.8 * typical, typical + 0.8 * char_w)

    apart: set[int] = set()
    # From the top: a line is apart if a wide gap follows it or a line below it before the body.
    for j in range(min(k, len(order) - 1)):
        if any(wide(gaps[m]) for m in range(j, min(k, len(gaps)))):
            apart.add(order[j])
    for j in range(len(order) - 1, max(len(order) - 1 - k, 0), -1):
        if any(wide(gaps[m]) for m in range(max(len(order) - 1 - k, 0), j)):
            apart.add(order[j])
    return top, bottom, apart


def _remove_furniture(pages: list[Page]) -> list[list[Line]]:
    edges = [_edges(page) for page in pages]
    freq: Counter[str] = Counter()
    for page, (top, bottom, apart) in zip(pages, edges, strict=True):
        for norm in {_norm(page.lines[i].text) for i in top + bottom if i in apart}:
            freq[norm] += 1
    pages_with_text = sum(1 for p in pages if p.lines)
    threshold = max(2, (pages_with_text + 1) // 2)
    result: list[list[Line]] = []
    for page, (top, bottom, apart) in zip(pages, edges, strict=True):
        drop: set[int] = set()
        for i in top + bottom:
            if i not in apart:
                continue
            line = page.lines[i]
            if _PAGE_NUMBER.match(line.text) or (
                pages_with_text >= 2
                and freq[_norm(line.text)] >= threshold
                and not SENTENCE_END.search(line.text)
            ):
                drop.add(i)
        result.append([line for i, line in enumerate(page.lines) if i not in drop])
    return result


# ---- re-joining wrapped lines -------------------------------------------------------------------


def _margins(pages: list[list[Line]]) -> tuple[float, float, float]:
    """The text block's left and right edges, from the whole document, and a typical char width.

    The right edge is the rightmost position that several long lines reach (the lines a PDF
    wrapped); the page's longest line is not enough, or on a page of short headings the longest
    heading would count as full. With no such cluster, no line counts as full.
    """
    long_lines = [ln for lines in pages for ln in lines if len(ln.text) >= 8]
    if not long_lines:
        return 0.0, float("inf"), 1.0
    widths = sorted(ln.char_w for ln in long_lines)
    cw = widths[len(widths) // 2]
    need = max(2, len(long_lines) // 20)
    rights = sorted(ln.x1 for ln in long_lines)
    right = float("inf")
    for x in reversed(rights):
        if bisect_right(rights, x + 0.01) - bisect_left(rights, x - 1.5 * cw) >= need:
            right = x
            break
    lefts = sorted(ln.x0 for ln in long_lines)
    left = lefts[0]
    for x in lefts:
        if bisect_right(lefts, x + 0.5 * cw) - bisect_left(lefts, x - 0.01) >= need:
            left = x
            break
    return left, right, cw


def _join_lines(pages: list[list[Line]]) -> list[str]:
    left, right, _cw = _margins(pages)
    flat: list[tuple[Line, bool, bool]] = []  # line, fills the width, indented
    for lines in pages:
        for line in lines:
            fills = line.x1 >= right - 1.5 * line.char_w
            indented = line.x0 > left + 1.2 * line.char_w
            flat.append((line, fills, indented))
    indent_paragraphs = sum(1 for _, _, ind in flat if ind) >= 2
    out: list[str] = []
    current = ""
    for i, (line, fills, _indented) in enumerate(flat):
        current = line.text if not current else glue(current, line.text)
        nxt = flat[i + 1] if i + 1 < len(flat) else None
        join = False
        if nxt is not None and fills and not NUMBERED_START.match(nxt[0].text):
            if not SENTENCE_END.search(line.text):
                join = True
            elif indent_paragraphs and not nxt[2]:
                # The document marks new paragraphs by a first-line indent: a full line ending in
                # 。 followed by an unindented line is the same paragraph going on.
                join = True
        if not join:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


# ---- entry point --------------------------------------------------------------------------------


def pdf_to_text(data: bytes, name: str = "") -> tuple[str, list[str]]:
    warnings: list[str] = []
    pages = _pdfium_pages(data, name)
    chars, bad = _quality(pages)
    if chars == 0 or bad > 0.05 or not _CJK.search("".join(ln.text for p in pages[:5] for ln in p.lines)):
        fallback = _pdftotext_pages(data, name)
        if fallback is not None:
            f_chars, f_bad = _quality(fallback)
            if f_chars and (chars == 0 or f_bad < bad * 0.5 or (f_bad <= bad and f_chars > chars)):
                pages, chars, bad = fallback, f_chars, f_bad
                warnings.append("已使用 pdftotext 读取此 PDF")
    if not pages or chars < max(10, 5 * len(pages)):
        raise ScannedPdf(
            f"该 PDF 没有文字层（可能是扫描件），请先进行文字识别（OCR）后再导入：{name}",
            f"{name}: {len(pages)} pages, {chars} text characters",
        )
    if bad > 0.05:
        warnings.append("PDF 中部分文字无法正确提取（字体缺少编码信息），请核对内容")
    empty_pages = [str(i + 1) for i, p in enumerate(pages) if sum(len(ln.text) for ln in p.lines) < 10]
    if empty_pages:
        warnings.append(f"第 {'、'.join(empty_pages)} 页没有文字层（可能是扫描页）")
    body = _remove_furniture(pages)
    return "\n".join(_join_lines(body)), warnings


def read_pdf(data: bytes, name: str) -> SourceText:
    text, warnings = pdf_to_text(data, name)
    return SourceText(name=name, text=clean_text(text), format="pdf", warnings=warnings)
