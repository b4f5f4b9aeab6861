"""Word .docx: paragraphs and tables in body order, with Word's automatic numbering rendered.

Each paragraph is one line (manual line breaks split it); each table row is one line
"cell | cell | cell" (a cell's paragraphs joined by a space; a vertically merged cell repeats
the text of the cell above, so every row of a 任务分解表 carries its lead unit).
"""

from __future__ import annotations

import io
import zipfile

from docx.oxml.ns import qn
from lxml import etree

from duban.documents.cleaning import clean_text
from duban.documents.docx_numbering import NumberingRenderer
from duban.documents.errors import DocumentError, EmptyDocument
from duban.documents.safe_zip import open_zip, read_member
from duban.documents.source import SourceText

_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_SDT = qn("w:sdt")
_W_SDT_CONTENT = qn("w:sdtContent")
_W_CUSTOM_XML = qn("w:customXml")
_W_R = qn("w:r")
_W_T = qn("w:t")
_W_TAB = qn("w:tab")
_W_BR = qn("w:br")
_W_CR = qn("w:cr")
_W_NB_HYPHEN = qn("w:noBreakHyphen")
_W_SOFT_HYPHEN = qn("w:softHyphen")
_W_RPR = qn("w:rPr")
_W_VANISH = qn("w:vanish")
_W_VAL = qn("w:val")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_W_TCPR = qn("w:tcPr")
_W_VMERGE = qn("w:vMerge")
_W_GRIDSPAN = qn("w:gridSpan")

# Subtrees whose text is not paragraph content (properties, deletions, text boxes, drawings).
_SKIP = {
    qn("w:pPr"),
    qn("w:rPr"),
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:txbxContent"),
    qn("w:drawing"),
    qn("w:pict"),
    qn("w:object"),
    qn("w:instrText"),
    qn("w:delText"),
    qn("w:footnoteReference"),
    qn("w:endnoteReference"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}


def _hidden(run) -> bool:
    rpr = run.find(_W_RPR)
    if rpr is None:
        return False
    vanish = rpr.find(_W_VANISH)
    return vanish is not None and vanish.get(_W_VAL, "true") not in ("0", "false", "off")


def _collect(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == _W_R and _hidden(child):
            continue
        if tag == _W_T:
            out.append(child.text or "")
        elif tag == _W_TAB:
            out.append("\t")
        elif tag in (_W_BR, _W_CR):
            out.append("\n")
        elif tag == _W_NB_HYPHEN:
            out.append("-")
        elif tag == _W_SOFT_HYPHEN:
            continue
        else:
            _collect(child, out)


def paragraph_text(p) -> str:
    """A paragraph's visible text, including hyperlinks, fields' results and tracked insertions."""
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


class _Writer:
    def __init__(self, numbering: NumberingRenderer) -> None:
        self.numbering = numbering
        self.lines: list[str] = []

    def paragraph(self, p, in_cell: bool = False) -> str:
        label = self.numbering.label(p)
        text = paragraph_text(p)
        if label and text.strip():
            return label + text.lstrip()
        if label and in_cell:
            return label.strip()  # a 序号 column is often an empty auto-numbered paragraph
        # An empty numbered body paragraph still counts (as in Word) but gives no line of its own.
        return text

    def block(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == _W_P:
                self.lines.extend(self.paragraph(child).split("\n"))
            elif tag == _W_TBL:
                self.table(child)
            elif tag == _W_SDT:
                content = child.find(_W_SDT_CONTENT)
                if content is not None:
                    self.block(content)
            elif tag == _W_CUSTOM_XML:
                self.block(child)

    def cell_text(self, tc) -> str:
        parts: list[str] = []
        for child in tc.iter(_W_P):
            # Nested tables are flattened into the cell's text in document order.
            text = self.paragraph(child, in_cell=True)
            text = " ".join(seg.strip() for seg in text.replace("\t", " ").split("\n") if seg.strip())
            if text:
                parts.append(text)
        return " ".join(parts)

    def table(self, tbl) -> None:
        above: dict[int, str] = {}  # grid column -> text of the cell that starts a vertical merge
        for tr in tbl.iter(_W_TR):
            if tr.getparent() is not tbl and tr.getparent().tag != _W_SDT_CONTENT:
                continue  # rows of nested tables are read as cell text
            cells: list[str] = []
            col = 0
            for tc in _row_cells(tr):
                tcpr = tc.find(_W_TCPR)
                span = 1
                vmerge = None
                if tcpr is not None:
                    gs = tcpr.find(_W_GRIDSPAN)
                    if gs is not None:
                        try:
                            span = max(1, int(gs.get(_W_VAL, "1")))
                        except ValueError:
                            span = 1
                    vm = tcpr.find(_W_VMERGE)
                    if vm is not None:
                        vmerge = vm.get(_W_VAL, "continue")
                if vmerge == "continue":
                    text = above.get(col, "")
                else:
                    text = self.cell_text(tc)
                    if vmerge == "restart":
                        above[col] = text
                    else:
                        above.pop(col, None)
                cells.append(text)
                col += span
            if any(c.strip() for c in cells):
                self.lines.append(" | ".join(cells))


def _row_cells(tr):
    for child in tr:
        if child.tag == _W_TC:
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from (c for c in content if c.tag == _W_TC)


def _parts_with_python_docx(data: bytes):
    import docx

    document = docx.Document(io.BytesIO(data))
    try:
        numbering_el = document.part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        numbering_el = None
    try:
        styles_el = document.styles.element
    except (NotImplementedError, KeyError, AttributeError):
        styles_el = None
    return document.element.body, numbering_el, styles_el


def _parts_from_zip(zf: zipfile.ZipFile):
    """Read the XML parts directly: python-docx refuses .docm/.dotx content types and some odd packages."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    names = set(zf.namelist())

    def part(path: str):
        return etree.fromstring(read_member(zf, path), parser) if path in names else None

    document = part("word/document.xml")
    if document is None:
        raise KeyError("word/document.xml")
    body = document.find(qn("w:body"))
    if body is None:
        raise KeyError("w:body")
    return body, part("word/numbering.xml"), part("word/styles.xml")


def docx_to_text(data: bytes, name: str = "") -> str:
    # Validated before python-docx sees it: python-docx inflates every member of the package.
    with open_zip(data, name) as zf:
        try:
            body, numbering_el, styles_el = _parts_with_python_docx(data)
        except Exception as first:
            try:
                body, numbering_el, styles_el = _parts_from_zip(zf)
            except DocumentError:
                raise
            except Exception as exc:
                raise DocumentError(
                    f"Word 文件已损坏或不是有效的 docx：{name}",
                    f"{name}: python-docx: {type(first).__name__}: {first}; raw: {type(exc).__name__}: {exc}",
                ) from exc
    writer = _Writer(NumberingRenderer(numbering_el, styles_el))
    writer.block(body)
    return "\n".join(writer.lines)


def read_docx(data: bytes, name: str) -> SourceText:
    text = clean_text(docx_to_text(data, name))
    if not text.strip():
        raise EmptyDocument(f"Word 文件中没有文字内容：{name}", f"{name}: docx body has no text")
    return SourceText(name=name, text=text, format="docx")
