"""OFD (GB/T 33190): the text of the body pages in reading order, read from the package's XML.

OFD.xml names the documents of the package (one DocBody/DocRoot each, all read in their
order, each with its own page furniture); Document.xml lists the pages (Pages/Page
@BaseLoc) and the default page size (CommonData/PageArea/PhysicalBox); each page's
Content.xml holds layers of TextObjects (Boundary "x y w h" in mm, y downwards, optional CTM)
with TextCodes (X, Y of the baseline inside the boundary, DeltaX the advance of each glyph,
"g N d" repeating d N times). Template pages (letterheads) and annotations are not body text.

Each TextCode is placed on the page through its object's CTM; a page whose text is turned (a
landscape table set on a portrait page) is read in the frame of its text. Runs on one baseline
close together form a line; a page whose lines leave a vertical gutter
is read column by column. Headers, footers and page numbers are removed and wrapped lines
joined by the PDF reader's rules. A package with no text (scanned images) raises ScannedPdf.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from duban.documents.cleaning import clean_text
from duban.documents.errors import DocumentError, ScannedPdf
from duban.documents.pdf_reader import Line, Page, _join_lines, _remove_furniture
from duban.documents.safe_zip import open_zip, read_member
from duban.documents.source import SourceText

MAX_PAGES = 5000
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_A4 = (210.0, 297.0)


@dataclass
class _Run:
    text: str
    x0: float
    x1: float
    y: float  # baseline, mm from the top of the page
    size: float


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el, name: str):
    for c in el:
        if _local(c) == name:
            return c
    return None


def _descendants(el, name: str):
    return (c for c in el.iter() if _local(c) == name)


def _floats(value: str | None) -> list[float]:
    out: list[float] = []
    for tok in (value or "").split():
        try:
            out.append(float(tok))
        except ValueError:
            return out
    return out


def _deltas(value: str | None) -> list[float]:
    """DeltaX/DeltaY with the "g N d" shorthand expanded."""
    toks = (value or "").split()
    out: list[float] = []
    i = 0
    while i < len(toks):
        if toks[i] == "g" and i + 2 < len(toks):
            with contextlib.suppress(ValueError):
                out += [float(toks[i + 2])] * min(int(toks[i + 1]), 100_000)
            i += 3
            continue
        with contextlib.suppress(ValueError):
            out.append(float(toks[i]))
        i += 1
    return out


def _resolve(base_dir: str, loc: str) -> str:
    loc = loc.strip().replace("\\", "/")
    path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc)
    return posixpath.normpath(path)


@dataclass
class _Glyphs:
    """One TextCode on the page: its baseline origin, the unit vector its glyphs advance along
    (the text's reading direction in page space), its advance length and glyph size, in mm."""

    text: str
    x: float
    y: float
    ux: float
    uy: float
    length: float
    size: float


def _page_glyphs(root) -> list[_Glyphs]:
    """The TextCodes of a page in page space (GB/T 33190 §11: a TextObject's coordinates are its
    Boundary's own space, mapped by CTM [a b c d e f]: x' = a·x + c·y + e, y' = b·x + d·y + f, then
    offset by the Boundary's origin). Glyphs advance along x by DeltaX, or along y by DeltaY alone
    (vertical writing); a TextCode without X/Y continues where the one before it ended."""
    out: list[_Glyphs] = []
    content = _child(root, "Content")
    if content is None:
        return out
    for obj in _descendants(content, "TextObject"):
        box = _floats(obj.get("Boundary"))
        bx, by = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        size = (_floats(obj.get("Size")) or [3.5])[0]
        ctm = _floats(obj.get("CTM"))
        a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        scale = abs(a * d - b * c) ** 0.5 or 1.0
        x = y = 0.0
        for code in _descendants(obj, "TextCode"):
            text = "".join(code.itertext())
            xs, ys = _floats(code.get("X")), _floats(code.get("Y"))
            x = xs[0] if xs else x
            y = ys[0] if ys else y
            dxs, dys = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
            steps = max(len(text) - 1, 0)
            vertical = not any(dxs) and any(dys)
            advance = sum((dys if vertical else dxs)[:steps]) if (dys if vertical else dxs) else steps * size
            vx, vy = (c, d) if vertical else (a, b)  # the object's advance axis in page space
            norm = (vx * vx + vy * vy) ** 0.5 or 1.0
            if text.strip():
                out.append(
                    _Glyphs(
                        text.strip(), bx + a * x + c * y + e, by + b * x + d * y + f, vx / norm, vy / norm,
                        (advance + size) * norm, size * scale,
                    )
                )  # fmt: skip
            if vertical:
                y += advance + size
            else:
                x += advance + size
    return out


_TURNS = {0: (1.0, 0.0), 90: (0.0, 1.0), 180: (-1.0, 0.0), 270: (0.0, -1.0)}


def _turn(g: _Glyphs) -> int:
    """The quarter turn nearest to a run's reading direction (90: reading down the page)."""
    return max(_TURNS, key=lambda t: _TURNS[t][0] * g.ux + _TURNS[t][1] * g.uy)


def _page_runs(root, width: float, height: float) -> tuple[list[_Run], float, float]:
    """The page's runs in the frame of its text: a page whose text is turned (a landscape table
    set on a portrait page, a page rotated by its CTMs) is turned back so that its lines read left
    to right and top to bottom. The frame is the turn most of the characters have; a run at
    another angle (a vertical header cell) stays one run at its starting point."""
    glyphs = _page_glyphs(root)
    weight = dict.fromkeys(_TURNS, 0)
    for g in glyphs:
        weight[_turn(g)] += len(g.text)
    turn = max(weight, key=lambda t: weight[t])
    cos, sin = _TURNS[turn]
    # page corners in the turned frame, so that its top-left is (0, 0) again
    corners = [(px * cos + py * sin, -px * sin + py * cos) for px in (0, width) for py in (0, height)]
    ox, oy = min(x for x, _ in corners), min(y for _, y in corners)
    runs = []
    for g in glyphs:
        x0, y0 = g.x * cos + g.y * sin - ox, -g.x * sin + g.y * cos - oy
        along = g.length * (g.ux * cos + g.uy * sin)  # the run's extent along the frame's x
        x1 = x0 + along if along > 0.5 * g.size else x0 + g.size
        runs.append(_Run(g.text, x0, x1, y0, g.size))
    if turn in (90, 270):
        width, height = height, width
    return runs, width, height


def _lines_of(runs: list[_Run]) -> list[_Run]:
    """Runs on one baseline and close together joined into line segments."""
    runs = sorted(runs, key=lambda r: (round(r.y / max(r.size * 0.4, 0.5)), r.x0))
    out: list[_Run] = []
    for r in sorted(runs, key=lambda r: (r.y, r.x0)):
        last = out[-1] if out else None
        if (
            last is not None
            and abs(r.y - last.y) <= 0.4 * max(r.size, last.size)
            and -0.5 * r.size <= r.x0 - last.x1 <= 1.5 * r.size
        ):
            gap = r.x0 - last.x1
            sep = " " if gap > 0.6 * r.size and last.text[-1:].isascii() and r.text[:1].isascii() else ""
            out[-1] = _Run(
                last.text + sep + r.text, last.x0, max(last.x1, r.x1), last.y, max(last.size, r.size)
            )
        else:
            out.append(r)
    return out


def _gutter(segments: list[_Run]) -> float | None:
    """An x that few lines cross, with lines of text on both sides: the page has two columns.

    A title, a footer or a page number may cross the gutter (they end a band of columns).
    """
    if len(segments) < 4:
        return None
    left, right = min(s.x0 for s in segments), max(s.x1 for s in segments)
    edges = sorted({s.x1 for s in segments} | {s.x0 for s in segments})
    best: tuple[int, float] | None = None
    for a, b in zip(edges, edges[1:], strict=False):
        x = (a + b) / 2
        if not left + 0.2 * (right - left) < x < left + 0.8 * (right - left):
            continue
        n_left = sum(1 for s in segments if s.x1 <= x)
        n_right = sum(1 for s in segments if s.x0 >= x)
        crossing = len(segments) - n_left - n_right
        fits = n_left >= 2 and n_right >= 2 and crossing <= max(1, len(segments) // 4)
        if fits and (best is None or crossing < best[0]):
            best = (crossing, x)
    return best[1] if best else None


def _reading_order(segments: list[_Run]) -> list[_Run]:
    """Top to bottom; on a two-column page each band between full-width lines column by column."""
    segments = sorted(segments, key=lambda s: (s.y, s.x0))
    gap = _gutter(segments)
    if gap is None:
        return segments
    shift = min((s.x0 for s in segments if s.x0 > gap), default=gap) - min(s.x0 for s in segments)
    out: list[_Run] = []
    left: list[_Run] = []
    right: list[_Run] = []
    for s in segments:
        if s.x0 < gap < s.x1:  # a line across the gutter (a title) ends the band
            out += left + right + [s]
            left, right = [], []
        elif s.x1 <= gap:
            left.append(s)
        else:  # moved under the left column, so margins and wrapping read as one column
            right.append(_Run(s.text, s.x0 - shift, s.x1 - shift, s.y, s.size))
    return out + left + right


def _page(root, default_box: tuple[float, float]) -> Page:
    area = _child(root, "Area")
    box = (
        _floats(_child(area, "PhysicalBox").text)
        if area is not None and _child(area, "PhysicalBox") is not None
        else []
    )
    width, height = (box[2], box[3]) if len(box) == 4 else default_box
    runs, width, height = _page_runs(root, width, height)
    ordered = _reading_order(_lines_of(runs))
    lines = [Line(s.text, s.x0, s.x1, height - s.y + s.size, height - s.y, s.size) for s in ordered]
    # _remove_furniture and _join_lines expect the page's lines in reading order, top larger = higher;
    # a band read column by column goes back up, which only the order (not the position) tells.
    return Page(lines, width, height)


def _document_pages(zf, names: set[str], doc_path: str, name: str, budget: int) -> tuple[list[Page], int]:
    """The body pages of one document (Document.xml) of the package, and its count of images."""
    if doc_path not in names:
        raise DocumentError(f"OFD 文件缺少 {doc_path}，文件可能已损坏：{name}", f"{name}: no {doc_path}")
    doc = etree.fromstring(read_member(zf, doc_path), _XML)
    base = posixpath.dirname(doc_path)
    box = [
        _floats(el.text)
        for el in _descendants(doc, "PhysicalBox")
        if el.getparent() is not None and _local(el.getparent()) == "PageArea"
    ]
    default_box = (box[0][2], box[0][3]) if box and len(box[0]) == 4 else _A4
    page_refs = [p for p in _descendants(doc, "Page") if p.get("BaseLoc")]
    if len(page_refs) > budget:
        raise DocumentError(f"OFD 文件页数过多（超过 {MAX_PAGES} 页），无法读取：{name}", f"{name}: pages")
    pages: list[Page] = []
    images = 0
    for ref in page_refs:
        path = _resolve(base, ref.get("BaseLoc", ""))
        if path not in names:
            continue
        root = etree.fromstring(read_member(zf, path), _XML)
        images += sum(1 for _ in _descendants(root, "ImageObject"))
        pages.append(_page(root, default_box))
    return pages, images


def ofd_to_text(data: bytes, name: str = "") -> tuple[str, list[str]]:
    """The text of every document of the package (one DocBody each in OFD.xml), in their order."""
    with open_zip(data, name) as zf:
        names = set(zf.namelist())
        try:
            ofd = etree.fromstring(read_member(zf, "OFD.xml"), _XML)
        except KeyError as exc:
            raise DocumentError(
                f"OFD 文件缺少 OFD.xml，文件可能已损坏：{name}", f"{name}: no OFD.xml"
            ) from exc
        roots = [el.text.strip() for el in _descendants(ofd, "DocRoot") if el.text and el.text.strip()]
        if not roots:
            raise DocumentError(
                f"OFD 文件缺少文档入口（DocRoot），文件可能已损坏：{name}", f"{name}: no DocRoot"
            )
        documents: list[list[Page]] = []
        images = 0
        for doc_root in roots:
            budget = MAX_PAGES - sum(len(d) for d in documents)
            pages, found = _document_pages(zf, names, _resolve("", doc_root), name, budget)
            documents.append(pages)
            images += found
    pages = [p for d in documents for p in d]
    chars = sum(len(ln.text) for p in pages for ln in p.lines)
    if chars < max(10, 5 * len(pages)):
        raise ScannedPdf(
            f"该 OFD 文件没有文字层（可能是扫描件），请先进行文字识别（OCR）后再导入：{name}",
            f"{name}: {len(documents)} documents, {len(pages)} pages, {chars} text characters, {images} images",
        )
    warnings = []
    for k, doc_pages in enumerate(documents):
        empty = [str(i + 1) for i, p in enumerate(doc_pages) if sum(len(ln.text) for ln in p.lines) < 10]
        if empty:
            which = f"第 {k + 1} 个文档的" if len(documents) > 1 else ""
            warnings.append(f"{which}第 {'、'.join(empty)} 页没有文字（可能是扫描页）")
    # headers, footers and page numbers are those of each document's own pages
    texts = ["\n".join(_join_lines(_remove_furniture(d))) for d in documents if d]
    return "\n\n".join(t for t in texts if t), warnings


def read_ofd(data: bytes, name: str) -> SourceText:
    text, warnings = ofd_to_text(data, name)
    text = clean_text(re.sub(r"\n{3,}", "\n\n", text))
    return SourceText(name=name, text=text, format="ofd", warnings=warnings)
