"""Official-document (公文) layout after GB/T 9704-2012, shared by every .docx export.

- A4, top margin 37 mm, left 28 mm, text block 156 x 225 mm (portrait); a landscape
  section keeps the same text block turned (225 x 156 mm) for wide tables.
- 22 lines of 28 characters: exact line spacing 28.95 pt on a line grid, glyphs condensed 0.25 pt.
- Title 2号 (22 pt) 方正小标宋简体; body 3号 (16 pt) 仿宋_GB2312; "一、" headings 黑体,
  "（一）" headings 楷体_GB2312.
- Page numbers "— 1 —" in 4号 (14 pt) 宋体, a PAGE field; odd pages right, even pages left,
  one character in from the edge of the text block.

Chinese font names only take effect through `w:eastAsia` in `w:rFonts`; python-docx's
`font.name` sets the Latin slots only, so every style and run here sets all four slots.
The bureau's machines have these fonts; elsewhere Word/LibreOffice fall back to a CJK font.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

# Font names as the bureau's machines know them.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

# Sizes: 2号, 3号, 4号, 小四.
TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
PAGE_NUMBER_SIZE = Pt(14)
TABLE_SIZE = Pt(12)

# Page geometry (portrait; landscape turns it).
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP_MARGIN, LEFT_MARGIN = Mm(37), Mm(28)
TEXT_WIDTH, TEXT_HEIGHT = Mm(156), Mm(225)
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines, the value templates use
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# 28 characters of 3号 in 156 mm: 15.79 pt each, so condense 16 pt glyphs by 0.25 pt
CHAR_SPACING = -5  # twentieths of a point (w:spacing in rPr)
PAGE_NUMBER_GAP = Mm(7)  # the dash line sits 7 mm below the text block

# Schema order (Word rejects out-of-order children): the elements that must follow the one we add.
_RPR_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
_PPR_AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_PPR_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", *_PPR_AFTER_OUTLINE,
)  # fmt: skip

# Style names (paragraph styles created in every document).
TITLE = "公文标题"
SUBTITLE = "公文副标题"
HEADING1 = "一级标题"
HEADING2 = "二级标题"
BODY = "Normal"
SIGNATURE = "公文落款"
TABLE_TEXT = "表格文字"
TABLE_HEADER = "表格表头"
TABLE_HEADING = "表格分组"
FOOTER = "公文页码"


def set_fonts(element, name: str, *, latin: str | None = None) -> None:  # noqa: ANN001
    """Set all four rFonts slots (eastAsia included) on a style, run or rPr-bearing element."""
    rpr = element.get_or_add_rPr() if hasattr(element, "get_or_add_rPr") else element
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(slot), latin or name)
    rfonts.set(qn("w:eastAsia"), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)  # a theme font would win over the name


def style_run(run, font: str, size: Pt, *, bold: bool | None = None) -> None:  # noqa: ANN001
    """Font name (eastAsia too), size and weight on one run."""
    set_fonts(run._r, font)
    run.font.size = size
    if bold is not None:
        run.font.bold = bold


def configure_section(section: Section, *, landscape: bool = False) -> None:
    """A4 page, GB/T 9704 margins and the 22 x 28 grid; landscape keeps the text block turned."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        # the portrait top/left margins become left/top: text block 225 x 156 mm
        section.left_margin, section.top_margin = TOP_MARGIN, LEFT_MARGIN
        section.right_margin = PAGE_HEIGHT - TOP_MARGIN - TEXT_HEIGHT
        section.bottom_margin = PAGE_WIDTH - LEFT_MARGIN - TEXT_WIDTH
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.left_margin = TOP_MARGIN, LEFT_MARGIN
        section.right_margin = PAGE_WIDTH - LEFT_MARGIN - TEXT_WIDTH
        section.bottom_margin = PAGE_HEIGHT - TOP_MARGIN - TEXT_HEIGHT
    section.header_distance = Mm(15)
    # footer text top 7 mm below the text block; 4号 is about 5 mm tall
    section.footer_distance = section.bottom_margin - PAGE_NUMBER_GAP - Mm(5)
    _set_doc_grid(section)
    _page_number_footers(section)


def _set_doc_grid(section: Section) -> None:
    """A line grid of 28.95 pt (22 lines a page).

    No character grid: LibreOffice gives a glyph wider than the grid pitch two cells, which
    halves the characters per line; the 28 characters come from CHAR_SPACING instead.
    """
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))  # twentieths of a point
    grid.attrib.pop(qn("w:charSpace"), None)


def _page_number_paragraph(paragraph: Paragraph, *, odd: bool) -> None:
    """ "— N —" with a PAGE field; odd pages right, even pages left, one character in."""
    paragraph.style = FOOTER
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    for text, kind in (("— ", None), (None, "begin"), (" PAGE ", "instr"), (None, "separate")):
        run = paragraph.add_run()
        style_run(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind is None:
            run.text = text
        elif kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    shown = paragraph.add_run("1")  # the cached result; Word and LibreOffice recompute it
    style_run(shown, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    end = paragraph.add_run()
    style_run(end, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)
    tail = paragraph.add_run(" —")
    style_run(tail, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _page_number_footers(section: Section) -> None:
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        _page_number_paragraph(paragraph, odd=odd)


def _paragraph_style(
    doc: DocumentObject,
    name: str,
    *,
    font: str,
    size: Pt,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first_indent_chars: int = 0,
    line_spacing: Pt | None = LINE_PITCH,
    outline_level: int | None = None,
    snap_to_grid: bool = True,
):  # noqa: ANN202
    styles = doc.styles
    style = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name != BODY:
        style.base_style = None
        style.next_paragraph_style = styles[BODY]
    style.font.size = size
    style.font.bold = bold
    style.font.color.rgb = None
    set_fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if line_spacing is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line_spacing
    fmt.first_line_indent = Pt(size.pt * first_indent_chars) if first_indent_chars else Pt(0)
    fmt.widow_control = False  # a widow/orphan rule would break the 22-line grid
    if align is not None:
        fmt.alignment = align
    if snap_to_grid and size == BODY_SIZE:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CHAR_SPACING))
        style.element.get_or_add_rPr().insert_element_before(spacing, *_RPR_AFTER_SPACING)
    if not snap_to_grid:
        # off the 28-character grid: table text, the title and page numbers keep natural spacing
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        style.element.get_or_add_pPr().insert_element_before(snap, *_PPR_AFTER_SNAP)
    if outline_level is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline_level))
        style.element.get_or_add_pPr().insert_element_before(level, *_PPR_AFTER_OUTLINE)
    return style


def _define_styles(doc: DocumentObject) -> None:
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph_style(doc, BODY, font=BODY_FONT, size=BODY_SIZE, align=justify, first_indent_chars=2)
    title = _paragraph_style(
        doc, TITLE, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, snap_to_grid=False
    )
    title.paragraph_format.space_after = LINE_PITCH  # one empty line between title and text
    _paragraph_style(doc, SUBTITLE, font=HEADING2_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(
        doc,
        HEADING1,
        font=HEADING1_FONT,
        size=BODY_SIZE,
        align=justify,
        first_indent_chars=2,
        outline_level=0,
    )
    _paragraph_style(
        doc,
        HEADING2,
        font=HEADING2_FONT,
        size=BODY_SIZE,
        align=justify,
        first_indent_chars=2,
        outline_level=1,
    )
    sig = _paragraph_style(doc, SIGNATURE, font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    sig.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)  # 落款 right-aligned, four characters in
    table_spacing = Pt(20)
    _paragraph_style(
        doc,
        TABLE_TEXT,
        font=BODY_FONT,
        size=TABLE_SIZE,
        align=justify,
        line_spacing=table_spacing,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        TABLE_HEADER,
        font=HEADING1_FONT,
        size=TABLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_spacing=table_spacing,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        TABLE_HEADING,
        font=HEADING1_FONT,
        size=TABLE_SIZE,
        line_spacing=table_spacing,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc, FOOTER, font=PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE, line_spacing=None, snap_to_grid=False
    )
    # Latin and digits in every style default to the same face; docDefaults too, so new runs agree
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            set_fonts(rpr, BODY_FONT)
            size = rpr.find(qn("w:sz"))
            if size is None:
                size = OxmlElement("w:sz")
                rpr.append(size)
            size.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))


def new_document(*, landscape: bool = False, title: str = "") -> DocumentObject:
    """An empty document with the GB/T 9704 page, grid, styles and page-number footers."""
    doc = Document()
    _define_styles(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    configure_section(doc.sections[0], landscape=landscape)
    doc.core_properties.title = title
    doc.core_properties.author = ""
    doc.core_properties.comments = ""
    # the default template opens with one empty paragraph: reuse it for the first add
    for p in list(doc.paragraphs):
        p._p.getparent().remove(p._p)
    return doc


def add_paragraph(doc: DocumentObject, text: str, style: str = BODY) -> Paragraph:
    return doc.add_paragraph(text, style=style)


_NO_LINE_START = set("，。、；：）》」』”’！？%")
_NO_LINE_END = set("（《「『“‘")


def _char_width(ch: str) -> float:
    """Width in full-width characters: ASCII letters and digits take half a square."""
    return 0.5 if ch.isascii() else 1.0


def title_lines(text: str, per_line: float) -> list[str]:
    """A long title cut into balanced lines, as official documents break it (never one stray
    character on the last line, never inside a number or word, never before a closing mark)."""
    widths = [_char_width(c) for c in text]
    total = sum(widths)
    if total <= per_line:
        return [text]
    n = int(-(-total // per_line))  # lines needed
    lines, start, done = [], 0, 0.0
    for k in range(1, n):
        goal = total * k / n
        best, best_cost, acc = None, None, done
        for i in range(start + 1, len(text)):
            acc += widths[i - 1]
            if acc > per_line + done:
                break
            a, b = text[i - 1], text[i]
            inside_word = a.isascii() and b.isascii() and a.isalnum() and b.isalnum()
            number_and_unit = a.isdigit() and not b.isascii()  # 2021年, 3期
            if inside_word or number_and_unit or b in _NO_LINE_START or a in _NO_LINE_END:
                continue
            cost = abs(acc - goal)
            if best_cost is None or cost < best_cost:
                best, best_cost = i, cost
        if best is None:
            break
        lines.append(text[start:best])
        done += sum(widths[start:best])
        start = best
    lines.append(text[start:])
    return lines


def _block_width_mm(doc: DocumentObject) -> float:
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 36000  # EMU per mm


def add_title(doc: DocumentObject, text: str) -> Paragraph:
    """The title in 2号 小标宋, cut into balanced lines by line breaks inside one paragraph."""
    # one square less than the block holds: LibreOffice and Word snap 2号 glyphs to the grid
    per_line = _block_width_mm(doc) / (TITLE_SIZE.pt * 25.4 / 72) - 1
    paragraph = doc.add_paragraph(style=TITLE)
    for i, line in enumerate(title_lines(text, per_line)):
        run = paragraph.add_run(line)
        if i:
            run._r.insert(0, OxmlElement("w:br"))
    return paragraph


def add_heading1(doc: DocumentObject, text: str) -> Paragraph:
    return doc.add_paragraph(text, style=HEADING1)


def add_heading2(doc: DocumentObject, text: str) -> Paragraph:
    return doc.add_paragraph(text, style=HEADING2)


def add_signature(doc: DocumentObject, lines: Sequence[str]) -> None:
    """落款: issuer and date, right-aligned, after one empty line."""
    doc.add_paragraph("", style=BODY)
    for line in lines:
        if line:
            doc.add_paragraph(line, style=SIGNATURE)


def add_table(doc: DocumentObject, headers: Sequence[str], widths: Sequence[Mm]) -> Table:
    """A bordered table with a header row repeated on every page."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table)
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = width
        fill_cell(cell, text, style=TABLE_HEADER)
    repeat_as_header(table.rows[0])
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return table


def _fixed_layout(table: Table) -> None:
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.insert_element_before(
        layout, "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
    )


def repeat_as_header(row) -> None:  # noqa: ANN001
    """Mark a row as a header row (w:tblHeader): repeated at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def fill_cell(cell: _Cell, text: str, *, style: str = TABLE_TEXT, center: bool = False) -> None:
    """Cell text, one paragraph per line, in a table style; vertically centred."""
    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    first.text = lines[0]
    first.style = style
    for line in lines[1:]:
        cell.add_paragraph(line, style=style)
    if center:
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def add_row(table: Table, values: Sequence[str], *, centered: Sequence[int] = ()) -> None:
    row = table.add_row()
    for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        fill_cell(cell, value, center=i in centered)


def add_merged_row(table: Table, text: str, *, style: str = TABLE_HEADING) -> None:
    """A group heading across the whole table width."""
    row = table.add_row()
    cell = row.cells[0].merge(row.cells[-1])
    for p in cell.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    fill_cell(cell, text, style=style)
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def to_bytes(doc: DocumentObject) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 23 -> 二十三 (for generated 一、 and （一） headings; 1..99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
