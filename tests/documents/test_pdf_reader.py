from __future__ import annotations

import io
from pathlib import Path

import pytest

from duban.documents import ScannedPdf, pdf_reader, read_bytes, read_document

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

SIZE = 12
LEFT = 72
WIDTH_CHARS = 37  # 37 CJK characters of 12 pt fill the 451 pt text width of an A4 page


def _canvas():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    buf = io.BytesIO()
    return buf, canvas.Canvas(buf, pagesize=A4), A4


def make_pdf(pages: list[list[str]], footers: list[str], header: str = "某某市教育局文件") -> bytes:
    """Each page: a header line, body lines 20 pt apart (a leading '>' centres the line), a footer."""
    buf, c, (width, height) = _canvas()
    for lines, footer in zip(pages, footers, strict=True):
        c.setFont("WQY", 9)
        c.drawString(LEFT, height - 40, header)
        c.drawCentredString(width / 2, 30, footer)
        c.setFont("WQY", SIZE)
        y = height - 80
        for line in lines:
            if line.startswith(">"):
                c.drawCentredString(width / 2, y, line[1:])
            else:
                c.drawString(LEFT, y, line)
            y -= 20
        c.showPage()
    c.save()
    return buf.getvalue()


FULL_A = "全面落实党组织领导的校长负责制，推动全面从严治党向纵深发展持续深化以案促改"  # 37 chars
FULL_B = "建立健全教育系统意识形态工作责任制，加强校园网络和各类阵地的管理，完善舆情"  # 37 chars
assert len(FULL_A) == WIDTH_CHARS and len(FULL_B) == WIDTH_CHARS


@pytest.fixture(scope="module")
def plan_pdf() -> bytes:
    page1 = [
        ">某某市教育局2024年工作要点",
        "一、加强党的建设",
        "1." + FULL_A[2:],
        "工作，营造风清气正的教育生态。",
        "2.压实意识形态工作责任" + FULL_B[12:],  # fills the width, no punctuation ...
        "3.加强师德师风建设。",  # ... but the next line is a numbered item: not joined
        "4." + FULL_A[2:],  # runs over the page break
    ]
    page2 = [
        "全年召开专题会议2次以上。",
        "二、推进教育优质均衡",
        "5.新建幼儿园10所，新增学位6000个。",
        "3",  # a bare number inside the body is not a page number
    ]
    page3 = ["三、深化教育改革", "6.完成中考改革方案。"]
    return make_pdf([page1, page2, page3], ["— 1 —", "- 2 -", "第3页 共3页"])


EXPECTED = [
    "某某市教育局2024年工作要点",
    "一、加强党的建设",
    "1." + FULL_A[2:] + "工作，营造风清气正的教育生态。",
    "2.压实意识形态工作责任" + FULL_B[12:],
    "3.加强师德师风建设。",
    "4." + FULL_A[2:] + "全年召开专题会议2次以上。",
    "二、推进教育优质均衡",
    "5.新建幼儿园10所，新增学位6000个。",
    "3",
    "三、深化教育改革",
    "6.完成中考改革方案。",
]


def test_pdf_headers_page_numbers_removed_and_wrapped_lines_joined(tmp_path, plan_pdf):
    path = tmp_path / "plan.pdf"
    path.write_bytes(plan_pdf)
    src = read_document(path)
    assert src.format == "pdf"
    assert src.text.split("\n") == EXPECTED
    assert "某某市教育局文件" not in src.text


def test_pdftotext_fallback_gives_the_same_body(plan_pdf):
    pages = pdf_reader._pdftotext_pages(plan_pdf, "plan.pdf")
    assert pages is not None, "pdftotext (poppler-utils) is installed by scripts/system-deps.sh"
    lines = pdf_reader._join_lines(pdf_reader._remove_furniture(pages))
    # Without coordinates a bare number at the foot of a page cannot be told from a page number.
    assert lines == [line for line in EXPECTED if line != "3"]


def test_repeated_last_body_line_is_not_taken_for_a_footer():
    # Every page ends with the same short body line at normal line spacing: it is text, not a footer.
    pages = [
        ["一、总体要求", FULL_A, "工作。"],
        ["二、重点任务", FULL_B, "工作。"],
        ["三、保障措施", FULL_A, "工作。"],
    ]
    src = read_bytes(make_pdf(pages, ["1", "2", "3"]), "x.pdf")
    assert src.text.split("\n") == [
        "一、总体要求",
        FULL_A + "工作。",
        "二、重点任务",
        FULL_B + "工作。",
        "三、保障措施",
        FULL_A + "工作。",
    ]


def test_pdf_with_only_an_image_is_a_scan():
    from reportlab.lib.utils import ImageReader

    buf, c, (width, height) = _canvas()
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (200, 100), "white").save(png, format="PNG")
    png.seek(0)
    for _ in range(2):
        c.drawImage(ImageReader(png), 72, height - 300, width=400, height=200)
        c.showPage()
    c.save()
    with pytest.raises(ScannedPdf) as err:
        read_bytes(buf.getvalue(), "scan.pdf")
    assert "没有文字层" in err.value.user_message and "OCR" in err.value.user_message


def test_damaged_pdf():
    from duban.documents import DocumentError

    with pytest.raises(DocumentError) as err:
        read_bytes(b"%PDF-1.7\n" + b"garbage" * 100, "bad.pdf")
    assert "PDF" in err.value.user_message and "bad.pdf" in err.value.user_message


def test_first_line_indent_marks_paragraphs():
    # Official documents indent each paragraph by two characters; a full line that ends in 。
    # followed by an unindented line is the same paragraph going on.
    ind = "\u3000\u3000"
    first = ind + "全面落实党组织领导的校长负责制。推动全面从严治党向纵深发展。深化改革。"  # 2 + 35
    assert len(first) == WIDTH_CHARS and first.endswith("。")
    page = [
        ind + "一、总体要求",
        first,
        "持续加强作风建设。",
        ind + "二、重点任务",
        ind + "加强师德师风建设。",
    ]
    src = read_bytes(make_pdf([page, page], ["1", "2"]), "x.pdf")
    assert src.text.split("\n")[:4] == [
        "一、总体要求",
        first.strip("\u3000") + "持续加强作风建设。",
        "二、重点任务",
        "加强师德师风建设。",
    ]


def test_longest_line_of_a_short_page_is_not_taken_for_a_full_line():
    page1 = ["一、总体要求", FULL_A, "工作。", FULL_B, "工作。"]
    page2 = ["二、深化教育综合改革全面提升治理能力", "坚持以人民为中心的发展思想。"]
    src = read_bytes(make_pdf([page1, page2], ["1", "2"]), "x.pdf")
    assert src.text.split("\n")[-2:] == [
        "二、深化教育综合改革全面提升治理能力",
        "坚持以人民为中心的发展思想。",
    ]
