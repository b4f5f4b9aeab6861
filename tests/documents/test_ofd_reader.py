"""OFD packages built per GB/T 33190 in the test: reading order, page furniture, scans, damage."""

from __future__ import annotations

import io
import zipfile

import pytest

from duban.documents import DocumentError, ScannedPdf, read_bytes
from tests.documents.ofd_files import make_ofd, make_package

TITLE = (50.0, 30.0, "某市教育局2025年工作要点")
LEFT = ["一、党的建设", "1.加强基层党组织建设", "二、基础教育", "1.新建幼儿园5所"]
RIGHT = ["三、推进教育数字化", "1.建设智慧校园20所", "2.完成教师培训3000人次"]


def _two_columns(page_no: int) -> list[tuple[float, float, str]]:
    right = [(110.0, 60.0 + 8 * i, t) for i, t in enumerate(RIGHT)]
    left = [(20.0, 60.0 + 8 * i, t) for i, t in enumerate(LEFT)]
    header = (20.0, 12.0, "某市教育局文件")
    footer = (100.0, 285.0, f"- {page_no} -")
    # written right column first: only the positions tell the order
    return [header, TITLE, *right, *left, footer]


def test_two_columns_read_column_by_column_without_headers_or_page_numbers() -> None:
    page2 = [
        (20.0, 12.0, "某市教育局文件"),
        (20.0, 60.0, "四、保障措施"),
        (20.0, 68.0, "1.落实经费保障"),
        (100.0, 285.0, "- 2 -"),
    ]
    src = read_bytes(make_ofd([_two_columns(1), page2]), "要点.ofd")
    assert src.format == "ofd"
    assert src.text.split("\n") == [TITLE[2], *LEFT, *RIGHT, "四、保障措施", "1.落实经费保障"]


def test_a_scanned_ofd_gets_the_scanned_pdf_error() -> None:
    with pytest.raises(ScannedPdf) as err:
        read_bytes(make_ofd([[], []], images=True), "扫描件.ofd")
    assert "没有文字层" in err.value.user_message and "OCR" in err.value.user_message
    assert err.value.user_message.count("扫描件.ofd") == 1


def test_a_package_without_its_document_is_one_clear_error() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "OFD.xml",
            '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody>'
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
    with pytest.raises(DocumentError) as err:
        read_bytes(buf.getvalue(), "坏.ofd")
    assert err.value.user_message.count("坏.ofd") == 1
    assert "Doc_0/Document.xml" in err.value.user_message


def test_broken_xml_is_one_clear_error() -> None:
    good = zipfile.ZipFile(io.BytesIO(make_ofd([[TITLE]])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for info in good.infolist():
            body = good.read(info)
            zf.writestr(
                info.filename, body[: len(body) // 2] if info.filename.endswith("Document.xml") else body
            )
    data = buf.getvalue()
    with pytest.raises(DocumentError) as err:
        read_bytes(data, "残缺.ofd")
    assert err.value.user_message.count("残缺.ofd") == 1


def test_every_document_of_a_package_is_read_in_order() -> None:
    # OFD.xml lists two DocBody entries: a cover notice and the plan it sends, each with its own
    # running header (removed per document) and page numbers
    notice = [
        [
            (20.0, 12.0, "某市教育局办公室"),
            (40.0, 40.0, "关于印发2025年工作要点的通知"),
            (20.0, 60.0, "各县区教育局：现将工作要点印发给你们。"),
            (100.0, 285.0, "- 1 -"),
        ]
    ]
    plan = [
        [(20.0, 12.0, "某市教育局文件"), (40.0, 30.0, "某市教育局2025年工作要点"), (20.0, 60.0, "一、党的建设"),
         (100.0, 285.0, "- 1 -")],
        [(20.0, 12.0, "某市教育局文件"), (20.0, 60.0, "二、基础教育"), (100.0, 285.0, "- 2 -")],
    ]  # fmt: skip
    src = read_bytes(make_package([notice, plan]), "合订.ofd")
    assert [ln for ln in src.text.split("\n") if ln] == [
        "某市教育局办公室", "关于印发2025年工作要点的通知", "各县区教育局：现将工作要点印发给你们。",
        "某市教育局2025年工作要点", "一、党的建设", "二、基础教育",
    ]  # fmt: skip


LANDSCAPE = [  # a task table set across a landscape page (297 x 210 mm), written out of order
    (30.0, 60.0, "二、保障措施"),
    (30.0, 20.0, "某县教育局2025年重点任务分解表"),
    (30.0, 40.0, "一、主要任务"),
    (30.0, 50.0, "1.新建幼儿园3所"),
    (200.0, 50.0, "基教科"),
]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_page_reads_in_the_order_of_its_text(turn: int) -> None:
    # the CTM of every TextObject turns the page's text; lines are read in the text's own frame
    texts = LANDSCAPE if turn != 180 else [(x * 0.6, y, t) for x, y, t in LANDSCAPE]
    upright = [(20.0, 30.0, "某县教育局2025年工作要点"), (20.0, 50.0, "见附表。")]
    src = read_bytes(make_ofd([upright, texts], turns=[0, turn]), "附表.ofd")
    assert src.text.split("\n") == [
        "某县教育局2025年工作要点", "见附表。", "某县教育局2025年重点任务分解表", "一、主要任务",
        "1.新建幼儿园3所", "基教科", "二、保障措施",
    ]  # fmt: skip
