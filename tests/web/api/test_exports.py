"""Downloads through /api/v1/exports/{kind}: the files open, names are UTF-8 (RFC 5987), rights."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from urllib.parse import unquote

import docx
import openpyxl
import pytest

from duban.web.downloads import content_disposition
from tests.web.api.test_year import make_period, outsiders, refused


def filename(r) -> str:
    cd = r.headers["content-disposition"]
    assert cd.startswith('attachment; filename="duban-export.')
    return unquote(cd.split("filename*=UTF-8''", 1)[1])


def test_content_disposition_is_ascii_with_a_utf8_name():
    cd = content_disposition("某市教育局2024年工作要点任务分解表.xlsx")
    cd.encode("latin-1")  # an HTTP header must be latin-1: the Chinese name is percent-encoded
    assert 'filename="duban-export.xlsx"' in cd
    assert unquote(cd.split("''")[1]) == "某市教育局2024年工作要点任务分解表.xlsx"


@pytest.fixture
def period_ids(Session):  # noqa: N803
    return make_period(Session)


def test_decomposition_xlsx_and_docx(signed_in, Session, period_ids):  # noqa: N803
    from duban.ledger.models import Plan

    with Session() as s:
        plan_id = s.query(Plan.id).scalar()
    sup = signed_in("s1", "supervisor")
    r = sup.get("/api/v1/exports/decomposition", params={"plan_id": plan_id, "format": "xlsx"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert filename(r) == "某市教育局2024年工作要点任务分解表.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("新招聘补充教师" in str(c) for c in cells)
    r = signed_in("l1", "leader").get(
        "/api/v1/exports/decomposition", params={"plan_id": plan_id, "format": "docx"}
    )
    assert r.status_code == 200 and filename(r).endswith("任务分解表.docx")
    text = "\n".join(
        c.text for t in docx.Document(io.BytesIO(r.content)).tables for row in t.rows for c in row.cells
    )
    assert "新建幼儿园10所" in text
    bad = sup.get("/api/v1/exports/decomposition", params={"plan_id": plan_id, "format": "pdf"})
    assert bad.status_code == 422 and "xlsx" in bad.json()["error"]["message"]
    assert sup.get("/api/v1/exports/decomposition").status_code == 422
    assert sup.get("/api/v1/exports/decomposition", params={"plan_id": 999}).status_code == 404
    assert sup.get("/api/v1/exports/unknown").status_code == 422


def test_bulletin_summary_ledger_assessment(signed_in, Session, period_ids):  # noqa: N803
    from duban.ledger.models import Plan

    with Session() as s:
        plan_id = s.query(Plan.id).scalar()
    sup = signed_in("s1", "supervisor")
    r = sup.get("/api/v1/exports/bulletin", params={"period": "2024年8月", "issuer": "某市教育局办公室"})
    assert r.status_code == 200, r.text
    assert filename(r) == "督办通报（2024年8月）.docx"
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "2024年8月" in body and "某市教育局办公室" in body
    assert sup.get("/api/v1/exports/bulletin").status_code == 422
    assert sup.get("/api/v1/exports/bulletin", params={"period": "无此周期"}).status_code == 404

    r = sup.get("/api/v1/exports/summary-draft", params={"plan_id": plan_id})
    assert r.status_code == 200 and filename(r) == "某市教育局2024年工作总结（初稿）.docx"
    assert "工作总结" in "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)

    r = sup.get("/api/v1/exports/ledger", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert filename(r).startswith("督办台账_") and filename(r).endswith(".zip")
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "tasks.csv" in names and "plans.csv" in names
    r = sup.get("/api/v1/exports/ledger", params={"format": "json"})
    assert r.headers["content-type"].startswith("application/json") and filename(r).endswith(".json")
    assert "password_hash" not in r.text and json.loads(r.content)["tables"]["tasks"]

    r = sup.get("/api/v1/exports/assessment", params={"period": "2024年8月"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert filename(r) == "单位考核结果（2024年8月）.csv" and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {row["单位"] for row in rows} >= {"人事科"} and "得分率" in rows[0]
    r = sup.get("/api/v1/exports/assessment-details", params={"period": "2024年8月"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert any(row["项目"] == "逾期未办结" and row["单位"] == "人事科" for row in rows)

    others = outsiders(signed_in)
    refused(others, f"/api/v1/exports/decomposition?plan_id={plan_id}")
    refused(others, "/api/v1/exports/ledger?format=json")
    refused(others, "/api/v1/exports/assessment?period=2024年8月")
    refused(others, "/api/v1/exports/bulletin?period=2024年8月")
    refused(others, f"/api/v1/exports/summary-draft?plan_id={plan_id}")


def test_reconcile_xlsx_against_the_summary_or_the_reports(signed_in, Session):  # noqa: N803
    from tests.web.api.test_year import year_data

    ids = year_data(Session)  # a 2024 plan and the same bureau's 2023 summary
    sup = signed_in("s1", "supervisor")
    r = sup.get("/api/v1/exports/reconcile", params={"plan_id": ids["plan"]})
    assert r.status_code == 200, r.text
    assert filename(r) == "某市教育局2024年工作要点目标完成情况对照表.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(1, 1).value == "某市教育局2024年工作要点目标完成情况对照表"
    assert [c.value for c in ws[2]] == [
        "序号",
        "工作任务",
        "计划目标",
        "计划原文",
        "实际情况",
        "总结（报送）原文",
        "判断",
        "说明",
    ]
    # by default the summary that reviews the plan: named in the first row, with the counts
    assert (
        ws.cell(3, 1).value.startswith("对照依据：《某市教育局2023年工作总结》")
        and "已完成 " in ws.cell(3, 1).value
    )
    rows = {row[2]: row for row in ws.iter_rows(min_row=4, values_only=True)}
    met = rows["学前三年毛入园率达到95%以上"]
    assert met[4] == "全市学前三年毛入园率达到96.2%" and met[6] == "已完成" and met[7] == "同一指标"
    assert rows["普惠性幼儿园覆盖率达到85%"][6] == "未完成"
    assert rows["教师培训覆盖率达到100%"][6] == "无法判断" and "隐去" in rows["教师培训覆盖率达到100%"][7]
    assert ws.print_title_rows == "$2:$2" and ws.page_setup.orientation == "landscape"  # header on every page
    # against the progress reports instead: nothing reported yet
    r = sup.get("/api/v1/exports/reconcile", params={"plan_id": ids["plan"], "summary_id": "reports"})
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(3, 1).value.startswith("对照依据：各单位进展报送") and {
        row[6] for row in ws.iter_rows(min_row=4, values_only=True)
    } == {"未提及"}
    bad = sup.get("/api/v1/exports/reconcile", params={"plan_id": ids["plan"], "summary_id": "x"})
    assert bad.status_code == 422 and "对照依据无效" in bad.json()["error"]["message"]
    assert (
        sup.get("/api/v1/exports/reconcile", params={"plan_id": ids["plan"], "summary_id": "999"}).status_code
        == 404
    )
    refused(outsiders(signed_in), f"/api/v1/exports/reconcile?plan_id={ids['plan']}")
