from __future__ import annotations

import io
import subprocess

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from duban.documents import ConverterMissing, read_bytes, read_document
from duban.documents.legacy_reader import find_soffice
from duban.documents.sniff import OLE2_MAGIC

W = nsdecls("w")


def _docx_with_numbering() -> bytes:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="80">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%2."/><w:suff w:val="nothing"/></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {W} w:numId="80"><w:abstractNumId w:val="80"/></w:num>'))

    def numbered(text: str, ilvl: int) -> None:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="80"/></w:numPr>')
        )

    d.add_paragraph("某县教育局2024年工作要点")
    numbered("加强党的建设", 0)
    numbered("压实从严治党责任。", 1)
    numbered("强化基层党组织建设。", 1)
    numbered("推进教育优质均衡", 0)
    numbered("新建幼儿园3所。", 1)
    table = d.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    for r, values in enumerate(
        [["任务", "牵头单位", "完成时限"], ["新建幼儿园3所", "计划财务股", "2024年8月底前"]]
    ):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
            table.cell(r, c).width = Cm(4)
    d.add_paragraph("某县教育局")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def doc_bytes(tmp_path_factory) -> bytes:
    exe = find_soffice()
    assert exe is not None, "LibreOffice is installed by scripts/system-deps.sh"
    tmp = tmp_path_factory.mktemp("legacy")
    (tmp / "plan.docx").write_bytes(_docx_with_numbering())
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp),
            str(tmp / "plan.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    data = (tmp / "plan.doc").read_bytes()
    assert data.startswith(OLE2_MAGIC)
    return data


EXPECTED = [
    "某县教育局2024年工作要点",
    "一、加强党的建设",
    "1.压实从严治党责任。",
    "2.强化基层党组织建设。",
    "二、推进教育优质均衡",
    "1.新建幼儿园3所。",
    "任务 | 牵头单位 | 完成时限",
    "新建幼儿园3所 | 计划财务股 | 2024年8月底前",
    "某县教育局",
]


def test_doc_is_converted_through_libreoffice(tmp_path, doc_bytes):
    path = tmp_path / "计划.doc"
    path.write_bytes(doc_bytes)
    src = read_document(path)
    assert src.format == "doc"
    assert src.name == "计划.doc"
    assert [line for line in src.text.split("\n") if line] == EXPECTED


def test_wps_extension_is_read_the_same_way(doc_bytes):
    src = read_bytes(doc_bytes, "plan.wps")
    assert [line for line in src.text.split("\n") if line] == EXPECTED


def test_without_libreoffice_the_error_names_what_to_install(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    ole = OLE2_MAGIC + bytes(512 - len(OLE2_MAGIC)) + "WordDocument".encode("utf-16-le") + bytes(1024)
    path = tmp_path / "old.doc"
    path.write_bytes(ole)
    with pytest.raises(ConverterMissing) as err:
        read_document(path)
    assert "LibreOffice" in err.value.user_message
    assert "apt-get install libreoffice-writer-nogui" in err.value.user_message
    assert "old.doc" in err.value.user_message


def test_damaged_doc_gives_a_clear_error(tmp_path):
    from duban.documents import DocumentError

    path = tmp_path / "broken.doc"
    path.write_bytes(OLE2_MAGIC + b"\x00garbage" * 64)
    with pytest.raises(DocumentError) as err:
        read_document(path)
    assert "broken.doc" in err.value.user_message
