from __future__ import annotations

import io

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from duban.documents import read_bytes, read_document
from duban.documents.docx_numbering import chinese_number, format_number

W = nsdecls("w")


def _abstract(abstract_id: int, levels: list[tuple[str, str, int]]) -> str:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>'
        for i, (fmt, text, start) in enumerate(levels)
    )
    return f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'


def _add_numbering(document, abstracts: list[str], nums: list[str]) -> None:
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for xml in abstracts:
        el = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    for xml in nums:
        numbering.append(parse_xml(xml))


def _num(num_id: int, abstract_id: int, restart_level0_at: int | None = None) -> str:
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_level0_at}"/></w:lvlOverride>'
        if restart_level0_at is not None
        else ""
    )
    return f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'


def _numbered(document, text: str, num_id: int, ilvl: int):
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return p


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.fixture
def plan_docx() -> bytes:
    d = docx.Document()
    _add_numbering(
        d,
        [
            _abstract(90, [("chineseCounting", "%1、", 1), ("decimal", "%2.", 1), ("decimal", "（%3）", 1)]),
            _abstract(91, [("chineseCounting", "（%1）", 1)]),
            _abstract(92, [("decimal", "%1.", 1), ("decimal", "%1.%2", 1)]),
        ],
        [_num(90, 90), _num(91, 90, restart_level0_at=1), _num(92, 91), _num(93, 92)],
    )
    # A paragraph style that carries numbering: every paragraph in it is numbered (style numPr).
    style = d.styles.add_style("PlanSubhead", 1)
    style.font.size = Pt(12)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="92"/></w:numPr>')
    )
    d.add_paragraph("某某市教育局2024年工作要点")
    d.add_paragraph("2024年全市教育工作的总体要求是：坚持立德树人。")
    _numbered(d, "加强党的建设", 90, 0)
    _numbered(d, "压实从严治党责任。全年召开专题会议2次以上。", 90, 1)
    _numbered(d, "强化基层党组织建设。", 90, 1)
    _numbered(d, "书记抓党建述职评议。", 90, 2)
    _numbered(d, "推进教育优质均衡", 90, 0)
    _numbered(d, "新建幼儿园10所。", 90, 1)  # level 1 restarts after level 0 advanced
    d.add_paragraph("专项行动", style="PlanSubhead")
    d.add_paragraph("质量提升行动", style="PlanSubhead")
    d.add_paragraph("附：另一份文件")
    _numbered(d, "总体要求", 91, 0)  # same abstractNum, startOverride 1: restarts at 一
    _numbered(d, "重点任务", 91, 0)
    _numbered(d, "启动学前教育普及普惠县创建", 93, 0)
    _numbered(d, "启动义务教育优质均衡县创建", 93, 1)
    table = d.add_table(rows=3, cols=5)
    rows = [
        ["序号", "任务", "牵头单位", "配合单位", "完成时限"],
        ["1", "新建改扩建\n幼儿园10所", "计划财务科", "基础教育科、督导室", "2024年8月底前"],
        ["2", "新增学位6000个", "", "基础教育科", "2024年12月底前"],
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 2).merge(table.cell(2, 2))  # vertical merge: one lead unit for both rows
    d.add_paragraph("某某市教育局")
    return _save(d)


def test_docx_numbering_tables_and_order(tmp_path, plan_docx):
    path = tmp_path / "plan.docx"
    path.write_bytes(plan_docx)
    src = read_document(path)
    assert src.format == "docx"
    assert src.text.split("\n") == [
        "某某市教育局2024年工作要点",
        "2024年全市教育工作的总体要求是：坚持立德树人。",
        "一、加强党的建设",
        "1.压实从严治党责任。全年召开专题会议2次以上。",
        "2.强化基层党组织建设。",
        "（1）书记抓党建述职评议。",
        "二、推进教育优质均衡",
        "1.新建幼儿园10所。",
        "（一）专项行动",
        "（二）质量提升行动",
        "附：另一份文件",
        "一、总体要求",
        "二、重点任务",
        "1.启动学前教育普及普惠县创建",
        "1.1启动义务教育优质均衡县创建",
        "序号 | 任务 | 牵头单位 | 配合单位 | 完成时限",
        "1 | 新建改扩建 幼儿园10所 | 计划财务科 | 基础教育科、督导室 | 2024年8月底前",
        "2 | 新增学位6000个 | 计划财务科 | 基础教育科 | 2024年12月底前",
        "某某市教育局",
    ]


def test_docx_detected_by_content_whatever_the_extension(plan_docx):
    src = read_bytes(plan_docx, "plan.doc")
    assert src.format == "docx"
    assert "一、加强党的建设" in src.text.split("\n")


def test_numbering_with_start_value_and_tab_suffix():
    d = docx.Document()
    abstract = (
        f'<w:abstractNum {W} w:abstractNumId="95"><w:lvl w:ilvl="0"><w:start w:val="3"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    )
    _add_numbering(d, [abstract], [_num(95, 95)])
    _numbered(d, "第三项任务", 95, 0)
    _numbered(d, "第四项任务", 95, 0)
    src = read_bytes(_save(d), "x.docx")
    assert src.text.split("\n") == ["3. 第三项任务", "4. 第四项任务"]


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCountingThousand", "十一"),
        (20, "chineseCounting", "二十"),
        (23, "chineseCounting", "二十三"),
        (105, "chineseCounting", "一百零五"),
        (3, "ideographTraditional", "丙"),
        (2, "decimalEnclosedCircle", "②"),
        (21, "decimalEnclosedCircleChinese", "㉑"),
        (4, "decimalEnclosedParen", "⑷"),
        (4, "upperLetter", "D"),
        (28, "lowerLetter", "bb"),
        (14, "upperRoman", "XIV"),
        (9, "lowerRoman", "ix"),
        (3, "chineseLegalSimplified", "叁"),
        (7, "decimalZero", "07"),
    ],
)
def test_number_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_chinese_number_large():
    assert chinese_number(1010) == "一千零一十"


def test_outline_numbering_linked_to_heading_styles_and_numbered_table_cells():
    d = docx.Document()
    abstract = (
        f'<w:abstractNum {W} w:abstractNumId="96">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:pStyle w:val="Heading2"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
    )
    cells = (
        f'<w:abstractNum {W} w:abstractNumId="97"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>'
    )
    _add_numbering(d, [abstract, cells], [_num(96, 96), _num(97, 97)])
    # The heading styles carry only the numId; the level comes from the lvl's pStyle.
    for style_name in ("Heading 1", "Heading 2"):
        d.styles[style_name].element.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:numId w:val="96"/></w:numPr>')
        )
    d.add_heading("总体要求", level=1)
    d.add_heading("指导思想", level=2)
    d.add_heading("重点任务", level=1)
    d.add_heading("学前教育", level=2)
    table = d.add_table(rows=2, cols=2)
    for r, task in enumerate(["新建幼儿园3所", "新增学位600个"]):
        _numbered_cell = table.cell(r, 0).paragraphs[0]
        _numbered_cell._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="97"/></w:numPr>')
        )
        table.cell(r, 1).text = task
    src = read_bytes(_save(d), "x.docx")
    assert src.text.split("\n") == [
        "一、总体要求",
        "（一）指导思想",
        "二、重点任务",
        "（一）学前教育",
        "1 | 新建幼儿园3所",
        "2 | 新增学位600个",
    ]


def test_hidden_and_deleted_text_are_left_out_inserted_text_kept():
    d = docx.Document()
    p = d.add_paragraph("加强")
    p._p.append(
        parse_xml(f'<w:del {W} w:id="1" w:author="a"><w:r><w:delText>删除的</w:delText></w:r></w:del>')
    )
    p._p.append(parse_xml(f'<w:ins {W} w:id="2" w:author="a"><w:r><w:t>党的建设</w:t></w:r></w:ins>'))
    hidden = p.add_run("隐藏文字")
    hidden.font.hidden = True
    src = read_bytes(_save(d), "x.docx")
    assert src.text == "加强党的建设"


def test_macro_enabled_docm_is_read_from_its_xml_parts(plan_docx):
    import zipfile

    src_zip = zipfile.ZipFile(io.BytesIO(plan_docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for item in src_zip.infolist():
            data = src_zip.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            zf.writestr(item, data)
    with pytest.raises(ValueError):
        docx.Document(io.BytesIO(out.getvalue()))  # python-docx alone refuses it
    src = read_bytes(out.getvalue(), "plan.docm")
    assert src.text == read_bytes(plan_docx, "plan.docx").text


@pytest.mark.parametrize("separator", ["\t", "\u3000"])
def test_chapter_numbering_whose_level_text_carries_the_separator(separator):
    # a standards template: lvlText "%1" + tab or U+3000, suffix nothing; the separator must survive
    d = docx.Document()
    _add_numbering(d, [_abstract(93, [("decimal", f"%1{separator}", 1)])], [_num(93, 93)])
    _numbered(d, "范围", 93, 0)
    _numbered(d, "策划和准备", 93, 0)
    src = read_bytes(_save(d), "x.docx")
    assert src.text.split("\n") == ["1 范围", "2 策划和准备"]
    from duban.plan.parser import parse_text

    items = parse_text("某某规范\n" + src.text, "x.docx").documents[0].items
    assert [(i.path, i.title) for i in items] == [("1", "范围"), ("2", "策划和准备")]


def test_hostile_numbering_start_is_clamped_to_what_word_shows():
    """w:start=2147483648 with lowerLetter once built 82-million-letter labels (8 GB)."""
    d = docx.Document()
    long_text = "%1" * 5000
    _add_numbering(
        d,
        [_abstract(95, [("lowerLetter", "%1.", 2147483648)]), _abstract(96, [("decimal", long_text, 1)])],
        [_num(95, 95), _num(96, 96)],
    )
    _numbered(d, "总体要求", 95, 0)
    _numbered(d, "重点任务", 96, 0)
    text = read_bytes(_save(d), "炸弹.docx").text
    first, second = text.split("\n")[:2]
    assert first.endswith("总体要求") and len(first) < 1300  # 32767 in lowerLetter: 1261 letters
    assert second.endswith("重点任务") and len(second) < 100
