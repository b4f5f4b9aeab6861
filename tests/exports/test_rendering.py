"""Real renderings: LibreOffice turns the decomposition .docx and .xlsx into A4 landscape PDF pages."""

from __future__ import annotations

import shutil
import subprocess

import pypdfium2 as pdfium

from duban.exports.decomposition_docx import decomposition_docx
from duban.exports.decomposition_xlsx import decomposition_xlsx

A4_PT = (595.3, 841.9)


def to_pdf(src, tmp_path):
    """LibreOffice's own conversion of SRC to PDF, in a throwaway profile; the PDF opened."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice, Writer and Calc) is a system dependency of the test suite"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(src)],
        check=True,
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    pdf_path = src.with_suffix(".pdf")
    assert pdf_path.exists(), f"LibreOffice did not convert {src.name}"
    return pdfium.PdfDocument(pdf_path)


def test_decomposition_docx_renders_as_a4(session, world, tmp_path):
    src = tmp_path / "分解表.docx"
    src.write_bytes(decomposition_docx(session, plan_id=world.plan_id))
    pdf = to_pdf(src, tmp_path)
    try:
        assert len(pdf) >= 1
        for page in pdf:
            width, height = page.get_size()
            assert abs(width - A4_PT[1]) < 1 and abs(height - A4_PT[0]) < 1  # landscape A4
        text = pdf[0].get_textpage().get_text_range()
        flat = "".join(text.split())  # the text layer spaces out CJK and Latin runs
        assert "某市教育局2024年工作要点任务分解表" in flat and "一、推进学前教育普惠发展" in flat
        assert text.rstrip().endswith("— 1 —")  # the PAGE field rendered between the dashes
    finally:
        pdf.close()


def test_decomposition_xlsx_prints_on_a4_landscape_all_columns_on_the_page(session, world, tmp_path):
    src = tmp_path / "分解表.xlsx"
    src.write_bytes(decomposition_xlsx(session, plan_id=world.plan_id))
    pdf = to_pdf(src, tmp_path)
    try:
        width, height = pdf[0].get_size()
        assert abs(width - A4_PT[1]) < 1 and abs(height - A4_PT[0]) < 1
        flat = "".join(pdf[0].get_textpage().get_text_range().split())
        # fit to the page width: the last column is on the first page, beside the first
        for header in (
            "序号",
            "工作任务",
            "目标任务/具体措施",
            "量化指标",
            "牵头单位",
            "配合单位",
            "完成时限",
            "备注",
        ):
            assert header in flat
        assert "新建幼儿园10所" in flat and "第1页" in flat
    finally:
        pdf.close()
