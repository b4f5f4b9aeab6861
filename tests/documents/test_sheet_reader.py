"""Spreadsheets read from real workbooks: openpyxl's .xlsx, LibreOffice's .xls and .ods, a .et."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from duban.documents import DocumentError, EmptyDocument, read_bytes
from duban.documents.source import CELL_BREAK, SHEET_MARK
from tests.documents.sheet_files import TITLE, convert, decomposition_xlsx, two_sheet_xlsx


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    xlsx = decomposition_xlsx()
    tmp = tmp_path_factory.mktemp("books")
    return {"xlsx": xlsx, "xls": convert(xlsx, "xls", tmp), "ods": convert(xlsx, "ods", tmp)}


@pytest.mark.parametrize("ext", ["xlsx", "xls", "ods"])
def test_each_format_reads_rows_with_merged_values_repeated(books: dict[str, bytes], ext: str) -> None:
    src = read_bytes(books[ext], f"分解表.{ext}")
    assert src.format == ext
    lines = src.text.split("\n")
    assert lines[0] == TITLE  # the title merged across is a plain line
    rows = [[c.strip() for c in line[1:-1].split(" | ")] for line in lines if line.startswith("| ")]
    assert rows[0][0] == "填报单位：某县教育局办公室"  # two cells above the header: still a row
    assert rows[1][:5] == ["类别", "序号", "重点任务", "责任单位", ""]  # merged across: first cell only
    assert rows[2][:5] == ["类别", "序号", "重点任务", "牵头单位", "配合单位"]  # merged down: repeated
    by_serial = {r[1]: r for r in rows[3:]}
    assert by_serial["1"][0] == by_serial["2"][0] == "党的建设"  # category merged down
    assert by_serial["4"][3] == "基础教育科"  # lead unit merged down over tasks 3 and 4
    assert by_serial["1"][5] == "2025年6月30日"  # a date cell
    assert by_serial["2"][2] == f"开展党纪学习教育{CELL_BREAK}覆盖全体党员"  # line break kept in the cell
    assert "旧版" not in src.text and "不应读出的任务" not in src.text  # hidden sheet
    assert "已忽略隐藏的工作表：旧版" in src.warnings
    assert [s.name for s in src.sheets] == ["任务分解"]


@pytest.mark.parametrize("ext", ["xlsx", "xls", "ods"])
def test_hidden_rows_are_left_out_with_a_note(books: dict[str, bytes], ext: str) -> None:
    src = read_bytes(books[ext], f"分解表.{ext}")
    assert "隐藏的一行" not in src.text
    assert "已忽略工作表“任务分解”中的 1 行隐藏行" in src.warnings


def test_empty_trailing_rows_and_columns_are_dropped(books: dict[str, bytes]) -> None:
    (sheet,) = read_bytes(books["xlsx"], "a.xlsx").sheets
    assert all(any(row) for row in sheet.rows)
    assert {len(row) for row in sheet.rows} == {7}


def test_et_is_read_by_content_whatever_its_container(books: dict[str, bytes]) -> None:
    # WPS 表格 saves .et as a BIFF8 compound file (as .xls) or, lately, as an xlsx package
    assert read_bytes(books["xls"], "任务.et").format == "xls"
    assert read_bytes(books["xlsx"], "任务.et").format == "xlsx"
    assert "党的建设" in read_bytes(books["xls"], "任务.et").text


def test_several_sheets_are_marked_by_name() -> None:
    src = read_bytes(two_sheet_xlsx(), "两表.xlsx")
    assert f"{SHEET_MARK}党建工作" in src.text.split("\n")
    assert f"{SHEET_MARK}教育教学" in src.text.split("\n")


def test_a_workbook_with_nothing_visible_is_one_clear_error() -> None:
    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(EmptyDocument) as err:
        read_bytes(buf.getvalue(), "空表.xlsx")
    assert err.value.user_message == "表格中没有内容：空表.xlsx"


def test_a_zip_bomb_posing_as_xlsx_is_refused_before_calamine_opens_it() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (400 * 1024 * 1024))
    with pytest.raises(DocumentError) as err:
        read_bytes(buf.getvalue(), "炸弹.xlsx")
    assert err.value.user_message.count("炸弹.xlsx") == 1
    assert "过大" in err.value.user_message


def test_a_wps_that_is_really_a_docx_is_read_as_docx(tmp_path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("某县教育局2025年工作要点")
    d.add_paragraph("一、加强党的建设")
    d.save(tmp_path / "a.docx")
    src = read_bytes((tmp_path / "a.docx").read_bytes(), "要点.wps")
    assert src.format == "docx" and "一、加强党的建设" in src.text


FORMATTED = [  # value, number format, what the sheet shows
    (0.945, "0.0%", "94.5%"),
    (1, "0%", "100%"),
    (1234.5, "#,##0.0", "1,234.5"),
    (3, '0"所"', "3所"),
    (0.3, "0%", "30%"),
    (12, '"第"0"批"', "第12批"),
    (2.5, '0.0"万元"', "2.5万元"),
    (dt.date(2025, 6, 1), 'yyyy"年"m"月"', "2025年6月"),
    (dt.date(2025, 9, 1), 'm"月"d"日"前', "9月1日前"),
    (dt.date(2025, 6, 30), "yyyy-mm-dd", "2025年6月30日"),
    (7, "General", "7"),
]


def _formatted_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "目标值", "牵头单位"])
    for k, (value, code, _) in enumerate(FORMATTED, 1):
        ws.append([k, f"任务{k}", value, "基教科"])
        ws.cell(row=k + 1, column=3).number_format = code
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("ext", ["xlsx", "xls", "ods"])
def test_numbers_read_as_their_format_shows_them(ext: str, tmp_path) -> None:
    data = _formatted_xlsx()
    if ext != "xlsx":
        data = convert(data, ext, tmp_path)
    (sheet,) = read_bytes(data, f"目标.{ext}").sheets
    assert [row[2] for row in sheet.rows[1:]] == [want for *_, want in FORMATTED]
    assert [row[0] for row in sheet.rows[1:4]] == ["1", "2", "3"]  # plain numbers stay as written


def test_a_formatted_target_is_a_quantity_with_its_unit() -> None:
    from duban.plan.parser import parse_text

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "目标任务", "牵头单位", "完成时限"])
    ws.append([1, "新建幼儿园", 3, "基教科", dt.date(2025, 6, 1)])
    ws["C2"].number_format = '"新建"0"所"'
    ws["E2"].number_format = 'yyyy"年"m"月"'
    buf = io.BytesIO()
    wb.save(buf)
    src = read_bytes(buf.getvalue(), "分解表.xlsx")
    doc = parse_text(src.text, src.name).documents[0]
    assert [(q.value, q.unit) for q in doc.quantities] == [(3, "所")]
    assert [(d.date, d.precision) for d in doc.deadlines] == [("2025-06-30", "month")]  # a month, not 1 June
