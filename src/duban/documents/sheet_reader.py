"""Spreadsheets (.xlsx, .xls, .et, .ods): every visible sheet as "| cell | cell | cell |" rows.

python-calamine reads the cells (fast, all three formats) and the merged ranges of xlsx/xls.
What a number cell shows comes from its format code (number_format.shown: 0.95 as 95%, 3 as
3所, a date as 2025年6月): for xlsx from the package's XML, which also gives the hidden rows;
for .xls/.et from xlrd (formatting_info), which also gives the hidden rows; for .ods from the
text LibreOffice writes beside each value, with the hidden rows and merges. A value merged down over several rows is repeated in each of them (so every row
carries its unit, as the Word reader does); a value merged across stays in its first cell.
Rows above the first row with two or more cells (the title, the issuer, a 填报日期) and
single-cell rows below the last are plain lines. Hidden sheets and rows are left out, with
a note.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from duban.documents.cleaning import clean_line
from duban.documents.errors import DocumentError, EmptyDocument
from duban.documents.number_format import builtin_code, shown
from duban.documents.safe_zip import open_zip, read_member
from duban.documents.source import CELL_BREAK, SHEET_MARK, SheetTable, SourceText

log = logging.getLogger(__name__)
MAX_CELLS = 2_000_000  # a sheet larger than this is not a task table
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


# ---- cell values --------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ".0", dates as 2025年6月30日, line breaks as CELL_BREAK."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.hour or value.minute:
            return f"{value.year}年{value.month}月{value.day}日 {value.hour}:{value.minute:02d}"
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.10g}"
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [clean_line(part).strip() for part in text.split("\n")]
    return CELL_BREAK.join(part for part in lines if part)


# ---- what calamine does not tell: hidden rows, number formats, .ods merges ------------------------


@dataclass
class _Layout:
    """Per sheet: hidden rows, merges (.ods), and what number cells show (format codes or .ods text)."""

    hidden: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] | None = None  # None: calamine's
    codes: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> number format code
    shown: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> text as displayed


_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _ref(ref: str) -> tuple[int, int] | None:
    m = _CELL_REF.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _style_codes(zf: zipfile.ZipFile) -> dict[str, str]:
    """Cell format index (the s of <c s="3">) -> its number format code, for the formats not General."""
    try:
        styles = etree.fromstring(read_member(zf, "xl/styles.xml"), _XML)
    except KeyError:
        return {}
    custom = {
        int(f.get("numFmtId", "")): f.get("formatCode", "")
        for f in styles.iter(f"{{{_NS_MAIN}}}numFmt")
        if f.get("numFmtId", "").isdigit()
    }
    xfs = styles.find(f"{{{_NS_MAIN}}}cellXfs")
    out: dict[str, str] = {}
    for k, xf in enumerate(xfs if xfs is not None else []):
        fmt_id = int(xf.get("numFmtId", "0")) if xf.get("numFmtId", "0").isdigit() else 0
        code = custom.get(fmt_id) or builtin_code(fmt_id)
        if code and code != "General":
            out[str(k)] = code
    return out


def _xlsx_layout(zf: zipfile.ZipFile) -> dict[str, _Layout]:
    """Per sheet name: hidden rows (<row r="5" hidden="1">) and the format codes of formatted cells."""
    try:
        book = etree.fromstring(read_member(zf, "xl/workbook.xml"), _XML)
        rels = etree.fromstring(read_member(zf, "xl/_rels/workbook.xml.rels"), _XML)
    except KeyError:
        return {}
    codes = _style_codes(zf)
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_NS_PKG_REL}}}Relationship")}
    out: dict[str, _Layout] = {}
    for sheet in book.iter(f"{{{_NS_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS_REL}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if path not in zf.namelist():
            continue
        layout = _Layout()
        xml = read_member(zf, path)
        styled = {k: v for k, v in codes.items() if f' s="{k}"'.encode() in xml}
        if not styled and b"hidden=" not in xml:
            out[sheet.get("name", "")] = layout  # nothing to find: calamine's pass is enough
            continue
        for _, row in etree.iterparse(
            io.BytesIO(xml),
            tag=f"{{{_NS_MAIN}}}row",
            resolve_entities=False,
            huge_tree=True,
        ):
            if row.get("hidden") in ("1", "true") and (r := row.get("r", "")).isdigit():
                layout.hidden.add(int(r) - 1)
            if styled:
                for c in row:
                    code = styled.get(c.get("s", ""))
                    if code and c.get("t") != "s" and (at := _ref(c.get("r", ""))):
                        layout.codes[at] = code
            row.clear()
        out[sheet.get("name", "")] = layout
    return out


def _xls_layout(data: bytes, name: str) -> dict[str, _Layout]:
    """Per sheet name: hidden rows and format codes of a BIFF workbook (.xls, .et), read by xlrd.

    xlrd's formatting_info gives each cell's XF record and the row records' hidden flag; calamine
    keeps the values and merges. A workbook xlrd cannot read loses only this layout (logged).
    """
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # noqa: BLE001 - any failure here costs the layout, not the values
        log.warning("%s: xlrd could not read the layout: %s: %s", name, type(exc).__name__, exc)
        return {}
    out: dict[str, _Layout] = {}
    try:
        for k in range(book.nsheets):
            sheet = book.sheet_by_index(k)
            layout = _Layout(hidden={r for r, info in sheet.rowinfo_map.items() if info.hidden})
            for r in range(sheet.nrows):
                for c, kind in enumerate(sheet.row_types(r)):
                    if kind not in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                        continue
                    fmt = book.format_map.get(book.xf_list[sheet.cell_xf_index(r, c)].format_key)
                    if fmt is not None and fmt.format_str not in ("", "General"):
                        layout.codes[(r, c)] = fmt.format_str
            out[sheet.name] = layout
            book.unload_sheet(k)
    except Exception as exc:  # noqa: BLE001
        log.warning("%s: xlrd could not read the layout: %s: %s", name, type(exc).__name__, exc)
    finally:
        book.release_resources()
    return out


# a date's text only when its format writes Chinese (2025年6月): a code of digits and separators
# says the reader's locale, not the file's, so that date is read at full precision (2025年6月1日)
_ODS_SHOWN = ("float", "percentage", "currency", "date")


def _ods_layout(zf: zipfile.ZipFile) -> dict[str, _Layout]:
    """Per sheet name: hidden rows, merged ranges (r0, c0, r1, c1) and the text number cells show
    (LibreOffice writes each cell's displayed text beside its value), from content.xml."""
    t = f"{{{_NS_TABLE}}}"
    value_type = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
    text_p = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"
    out: dict[str, _Layout] = {}
    try:
        root = etree.fromstring(read_member(zf, "content.xml"), _XML)
    except KeyError:
        return out
    for table in root.iter(f"{t}table"):
        layout = _Layout(merges=[])
        r = 0
        for row in table.iter(f"{t}table-row"):
            repeat = min(int(row.get(f"{t}number-rows-repeated", "1")), 1_048_576)
            if row.get(f"{t}visibility") in ("collapse", "filter") and repeat <= 10_000:
                layout.hidden.update(range(r, r + repeat))
            c = 0
            for cell in row:
                if cell.tag not in (f"{t}table-cell", f"{t}covered-table-cell"):
                    continue
                rows_span = int(cell.get(f"{t}number-rows-spanned", "1"))
                cols_span = int(cell.get(f"{t}number-columns-spanned", "1"))
                if rows_span > 1 or cols_span > 1:
                    layout.merges.append((r, c, r + rows_span - 1, c + cols_span - 1))
                span = min(int(cell.get(f"{t}number-columns-repeated", "1")), 16384)
                kind = cell.get(value_type)
                if kind in _ODS_SHOWN and span <= 64:
                    text = CELL_BREAK.join("".join(p.itertext()).strip() for p in cell.iter(text_p))
                    if text and (kind != "date" or not text.isascii()):
                        layout.shown.update({(r, c + k): text for k in range(span)})
                c += span
            r += repeat
        out[table.get(f"{t}name", "")] = layout
    return out


# ---- one sheet ------------------------------------------------------------------------------------


def _apply_merges(grid: list[list[str]], merges: Iterable[tuple[int, int, int, int]]) -> None:
    """Repeat a value merged down in every row it covers (in the merge's first column)."""
    for r0, c0, r1, _c1 in merges:
        if r1 <= r0 or r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
            if c0 < len(grid[r]) and not grid[r][c0]:
                grid[r][c0] = value


def _trim(rows: list[list[str]]) -> list[list[str]]:
    """Drop empty rows and the empty columns on the right."""
    rows = [row for row in rows if any(row)]
    width = max((max((i + 1 for i, v in enumerate(row) if v), default=0) for row in rows), default=0)
    return [row[:width] + [""] * (width - len(row[:width])) for row in rows]


def sheet_lines(table: SheetTable) -> list[str]:
    """The sheet as text lines: plain lines above and below the table, "| a | b | c |" rows inside it."""
    rows = table.rows
    multi = [i for i, row in enumerate(rows) if sum(1 for v in row if v) >= 2]
    if not multi:
        return [v for row in rows for v in row if v]
    first, last = multi[0], multi[-1]
    lines: list[str] = []
    for i, row in enumerate(rows):
        if i < first or i > last:
            lines.append(" ".join(v for v in row if v))
        else:
            lines.append(f"| {' | '.join(row)} |")  # outer pipes keep empty first and last cells
    return lines


def _read_grid(sheet, layout: _Layout) -> list[list[str]]:
    if sheet.height * max(sheet.width, 1) > MAX_CELLS:
        raise DocumentError(
            f"工作表“{sheet.name}”过大（{sheet.height} 行 × {sheet.width} 列），无法读取",
            f"sheet {sheet.name}: {sheet.height}x{sheet.width} cells",
        )
    rows = sheet.to_python(skip_empty_area=False)
    texts: dict[str, str] = {}  # a task table repeats its units, deadlines and categories row after row

    def text_of(v: object) -> str:
        if isinstance(v, str):
            if (t := texts.get(v)) is None:
                t = texts[v] = cell_text(v)
            return t
        return cell_text(v)

    grid = [[text_of(v) for v in row] for row in rows]
    # a number as the sheet shows it: 0.945 as 94.5%, 3 as 3所, a date as 2025年6月
    for (r, c), code in layout.codes.items():
        if r < len(rows) and c < len(rows[r]) and (text := shown(rows[r][c], code)):
            grid[r][c] = clean_line(text).strip()
    for (r, c), text in layout.shown.items():
        if r < len(rows) and c < len(rows[r]) and isinstance(rows[r][c], (int, float, dt.date)):
            grid[r][c] = clean_line(text).strip()
    if layout.merges is None:
        merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
    else:
        merges = layout.merges
    _apply_merges(grid, merges)
    return [row for r, row in enumerate(grid) if r not in layout.hidden]


def _is_worksheet(meta) -> bool:
    return str(meta.typ).rsplit(".", 1)[-1] == "WorkSheet"  # not a chart or dialog sheet


_FORMAT_NAMES = {"xlsx": "xlsx", "xls": "xls", "ods": "ods"}


def read_sheets(data: bytes, name: str, kind: str) -> SourceText:
    """Read a workbook (kind xlsx, xls or ods) into text and tables; DocumentError on bad input."""
    import python_calamine

    layouts: dict[str, _Layout] = {}
    if kind in ("xlsx", "ods"):
        with open_zip(data, name) as zf:
            layouts = _xlsx_layout(zf) if kind == "xlsx" else _ods_layout(zf)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise DocumentError(f"表格文件已加密，请取消密码后再导入：{name}", f"{name}: {exc}") from exc
    if kind == "xls" and all(
        (sheet := book.get_sheet_by_name(meta.name)).height * max(sheet.width, 1) <= MAX_CELLS
        for meta in book.sheets_metadata
        if _is_worksheet(meta)
    ):  # xlrd holds every cell in Python lists: only sheets calamine finds within bounds
        layouts = _xls_layout(data, name)
    warnings: list[str] = []
    tables: list[SheetTable] = []
    skipped: list[str] = []
    for meta in book.sheets_metadata:
        if str(meta.visible).rsplit(".", 1)[-1] != "Visible":
            skipped.append(meta.name)
            continue
        if not _is_worksheet(meta):
            continue
        layout = layouts.get(meta.name, _Layout())
        rows = _trim(_read_grid(book.get_sheet_by_name(meta.name), layout))
        if layout.hidden:
            warnings.append(f"已忽略工作表“{meta.name}”中的 {len(layout.hidden)} 行隐藏行")
        if rows:
            tables.append(SheetTable(meta.name, rows))
    if skipped:
        warnings.append(f"已忽略隐藏的工作表：{'、'.join(skipped)}")
    if not tables:
        raise EmptyDocument(f"表格中没有内容：{name}", f"{name}: no visible non-empty sheet")
    lines: list[str] = []
    for table in tables:
        if len(tables) > 1:
            lines += ["", f"{SHEET_MARK}{table.name}"]
        lines += sheet_lines(table)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return SourceText(name=name, text=text, format=_FORMAT_NAMES[kind], warnings=warnings, sheets=tables)
