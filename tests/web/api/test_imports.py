"""Import drafts API on both backends: upload a real seed and a .docx made here, edit, undo, import;
bad files, duplicates, stale versions and every permission refusal."""

from __future__ import annotations

import io

import pytest
from docx import Document as DocxDocument

from tests.conftest import SEEDS

SEED = SEEDS / "000_fc4be4de5af6bc2e.txt"


def make_docx(title: str = "某县教育局2025年工作要点") -> bytes:
    doc = DocxDocument()
    doc.add_paragraph(title)
    doc.add_paragraph("一、推进学前教育普惠发展")
    doc.add_paragraph("1.新建幼儿园10所，2025年8月底前竣工投用。")
    doc.add_paragraph("2.学前三年毛入园率达到95%以上。")
    doc.add_paragraph("二、加强教师队伍建设")
    doc.add_paragraph("3.新招聘补充教师300人以上。（责任科室：人事科）")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def upload(c, name: str, content: bytes):
    return c.post("/api/v1/imports", files={"file": (name, content, "application/octet-stream")})


def test_seed_upload_edit_undo_import(signed_in):
    sup = signed_in("sup", "supervisor")
    r = upload(sup, SEED.name, SEED.read_bytes())
    assert r.status_code == 201, r.text
    draft = r.json()
    assert draft["status"] == "draft" and draft["documents"][0]["title"] == "许昌市教育局2019年工作要点"
    did = draft["id"]

    full = sup.get(f"/api/v1/imports/{did}").json()
    lines = full["text"].split("\n")
    assert lines[0] == "许昌市教育局2019年工作要点"  # web cruft cleaned away
    items = full["plan"]["documents"][0]["items"]
    assert lines[items[1]["line"] - 1].startswith(items[1]["label"])  # each item knows its line

    r = sup.post(
        f"/api/v1/imports/{did}/edits", json={"op": "set_title", "item": 1, "title": "压实责任", "version": 1}
    )
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == {"part": "item", "doc": 0, "item": 1} and r.json()["version"] == 2
    r = sup.post(
        f"/api/v1/imports/{did}/edits", json={"op": "set_units", "item": 1, "lead": "机关党委", "version": 1}
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    r = sup.post(f"/api/v1/imports/{did}/edits", json={"op": "merge", "item": 0})
    assert r.status_code == 422 and "第一个条目" in r.json()["error"]["message"]
    r = sup.post(
        f"/api/v1/imports/{did}/edits", json={"op": "set_units", "item": 1, "lead": "机关党委", "version": 2}
    )
    assert r.json()["plan"]["documents"][0]["items"][1]["responsible"] == ["机关党委"]
    assert r.json()["undo"] == 2
    r = sup.post(f"/api/v1/imports/{did}/undo", json={"version": 3})
    assert r.status_code == 200 and r.json()["plan"]["documents"][0]["items"][1]["responsible"] == []

    r = sup.post(f"/api/v1/imports/{did}/import", json={"version": 4})
    assert r.status_code == 200, r.text
    result = r.json()["result"]["plans"][0]
    assert result["action"] == "created" and result["url"] == f"/plans/{result['id']}"
    plan = sup.get(f"/api/v1/plans/{result['id']}").json()
    assert plan["tree"][0]["children"][0]["title"] == "压实责任"

    # the same file again: 409 with a link to the plan
    r = upload(sup, "again.txt", SEED.read_bytes())
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "already_imported" and err["plans"][0]["id"] == result["id"]
    assert sup.post(f"/api/v1/imports/{did}/import").status_code == 409  # already imported
    assert sup.delete(f"/api/v1/imports/{did}").status_code == 409

    lst = sup.get("/api/v1/imports", params={"status": "imported"}).json()
    assert lst["total"] == 1 and lst["items"][0]["plans"][0]["id"] == result["id"]
    assert sup.get("/api/v1/imports", params={"status": "x"}).status_code == 422


def test_docx_made_here_flows_to_the_ledger(signed_in):
    adm = signed_in("adm", "admin")
    content = make_docx()
    r = upload(adm, "要点.docx", content)
    assert r.status_code == 201, r.text
    did = r.json()["id"]
    full = adm.get(f"/api/v1/imports/{did}").json()
    doc = full["plan"]["documents"][0]
    assert doc["title"] == "某县教育局2025年工作要点" and doc["year"] == 2025
    assert [it["path"] for it in doc["items"]] == ["一", "一/1", "一/2", "二", "二/3"]
    assert doc["items"][4]["responsible"] == ["人事科"]
    # correct the numbering slip: 3 -> 1, and add a deadline
    adm.post(
        f"/api/v1/imports/{did}/edits",
        json={"op": "set_title", "item": 4, "title": "新招聘补充教师", "number": "1"},
    )
    r = adm.post(
        f"/api/v1/imports/{did}/edits",
        json={
            "op": "add_deadline",
            "item": 4,
            "text": "9月前到岗",
            "date": "2025-08-31",
            "precision": "month",
        },
    )
    assert r.status_code == 200, r.text
    r = adm.post(f"/api/v1/imports/{did}/import")
    assert r.status_code == 200, r.text
    pid = r.json()["result"]["plans"][0]["id"]
    plan = adm.get(f"/api/v1/plans/{pid}").json()
    second = plan["tree"][1]["children"][0]
    assert second["path"] == "二/1" and second["title"] == "新招聘补充教师"
    assert {d["text"] for d in second["deadlines"]} == {"9月前到岗"}
    src = adm.get(f"/api/v1/plans/{pid}/source")
    assert src.status_code == 200 and src.content == content
    assert src.headers["content-type"] == "application/octet-stream"
    assert "attachment" in src.headers["content-disposition"]
    assert "%E8%A6%81%E7%82%B9.docx" in src.headers["content-disposition"]


def test_bad_files_give_the_readers_chinese_message_and_store_nothing(signed_in):
    sup = signed_in("sup", "supervisor")
    r = upload(sup, "x.pdf", b"%PDF-1.4 broken")
    assert r.status_code == 422 and r.json()["error"]["code"] == "bad_document"
    assert r.json()["error"]["message"] == "PDF 文件已损坏，无法读取：x.pdf"
    r = upload(sup, "empty.txt", b"")
    assert r.status_code == 422 and "空" in r.json()["error"]["message"]
    r = upload(sup, "a.txt", "没有编号的一段话。".encode())
    assert r.status_code == 422 and "未在文件中识别出" in r.json()["error"]["message"]
    assert "Traceback" not in r.text
    assert sup.get("/api/v1/imports").json()["total"] == 0


def test_upload_limit(app, signed_in):
    import dataclasses

    app.state.config = dataclasses.replace(
        app.state.config, web=dataclasses.replace(app.state.config.web, max_upload_mb=1)
    )
    sup = signed_in("sup", "supervisor")
    r = upload(sup, "big.txt", b"1" * (1024 * 1024 + 10))
    assert r.status_code == 422 and "文件过大" in r.json()["error"]["message"]


def test_reupload_of_an_open_draft_returns_it(signed_in):
    sup = signed_in("sup", "supervisor")
    first = upload(sup, SEED.name, SEED.read_bytes()).json()
    r = upload(sup, "copy.txt", SEED.read_bytes())
    assert r.status_code == 200 and r.json()["id"] == first["id"] and r.json()["reused"]


def test_discard(signed_in):
    sup = signed_in("sup", "supervisor")
    did = upload(sup, SEED.name, SEED.read_bytes()).json()["id"]
    assert sup.delete(f"/api/v1/imports/{did}", params={"version": 5}).status_code == 409
    r = sup.delete(f"/api/v1/imports/{did}")
    assert r.status_code == 200 and r.json()["status"] == "discarded"
    assert sup.post(f"/api/v1/imports/{did}/edits", json={"op": "set_meta", "year": 2020}).status_code == 409
    assert sup.get("/api/v1/imports/99999").status_code == 404


@pytest.mark.parametrize("role", ["leader", "unit_member", "security_admin", "audit_admin"])
def test_other_roles_cannot_upload_read_edit_or_import(signed_in, role):
    sup = signed_in("sup", "supervisor")
    did = upload(sup, SEED.name, SEED.read_bytes()).json()["id"]
    other = signed_in("other", role, unit="基础教育科" if role == "unit_member" else None)
    assert upload(other, "x.txt", b"1.abc").status_code == 403
    assert other.get("/api/v1/imports").status_code == 403
    assert other.get(f"/api/v1/imports/{did}").status_code == 403
    assert (
        other.post(f"/api/v1/imports/{did}/edits", json={"op": "set_meta", "year": 2020}).status_code == 403
    )
    assert other.post(f"/api/v1/imports/{did}/undo").status_code == 403
    assert other.post(f"/api/v1/imports/{did}/import").status_code == 403
    assert other.delete(f"/api/v1/imports/{did}").status_code == 403
    assert sup.get(f"/api/v1/imports/{did}").json()["status"] == "draft"


def test_signed_out_and_csrf(client, signed_in):
    assert client.get("/api/v1/imports").status_code == 401
    assert upload(client, "a.txt", b"x").status_code == 401
    sup = signed_in("sup", "supervisor")
    token = sup.headers.pop("X-CSRF-Token")
    assert upload(sup, SEED.name, SEED.read_bytes()).status_code == 403
    sup.headers["X-CSRF-Token"] = token
