"""Import pages on both backends: upload form, review page beside the source text, htmx and plain
corrections, undo, import into a plan page; escaping of script in the text; refusals."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from duban.ledger.models import User
from tests.conftest import SEEDS
from tests.web.api.test_imports import make_docx

SEED = SEEDS / "000_fc4be4de5af6bc2e.txt"
HTMX = {"HX-Request": "true"}
EVIL = (
    "某县教育局2024年工作要点\n"
    "一、<script>alert(1)</script>加强党建\n"
    "1.新建幼儿园10所<img src=x onerror=alert(2)>，年内完成。\n"
)


def csrf(c) -> str:
    return c.headers["X-CSRF-Token"]


def upload_page(c, name: str, content: bytes, *, with_token: bool = True):
    data = {"csrf_token": csrf(c)} if with_token else {}
    headers = {"X-CSRF-Token": ""}  # a plain form: the token travels in the form only
    return c.post(
        "/imports", data=data, files={"file": (name, content)}, headers=headers, follow_redirects=False
    )


def edit(c, did: int, version: int | None = None, *, htmx: bool = True, **fields):
    data = {"csrf_token": csrf(c), **({"version": str(version)} if version else {}), **fields}
    headers = HTMX if htmx else {}
    return c.post(f"/imports/{did}/edit", data=data, headers=headers, follow_redirects=False)


def test_upload_review_edit_undo_import_a_seed(signed_in):
    sup = signed_in("sup", "supervisor")
    page = sup.get("/imports")
    assert (
        page.status_code == 200
        and 'id="upload-form"' in page.text
        and 'enctype="multipart/form-data"' in page.text
    )
    assert "暂无待审核的草稿" in page.text

    r = upload_page(sup, SEED.name, SEED.read_bytes())
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    did = int(url.rsplit("/", 1)[1])
    review = sup.get(url)
    assert review.status_code == 200
    html = review.text
    assert 'id="source"' in html and 'id="L9"' in html  # numbered source lines
    assert 'id="item-0-1"' in html and 'href="#L11"' in html  # item 一/1 on line 11, linked
    assert "许昌市教育局2019年工作要点" in html
    assert '<mark class="q">' in html and '<mark class="d">' in html  # the plan has targets and deadlines
    assert 'id="import-form"' in html and 'id="unit-names"' in html
    assert "/static/review.js" in html

    # htmx edit of one item: only that item comes back, with the new version out of band
    r = edit(sup, did, 1, op="set_title", doc="0", item="1", title="压实从严治党责任", number="1")
    assert r.status_code == 200, r.text
    assert r.headers["HX-Retarget"] == "#item-0-1" and r.headers["HX-Reswap"] == "outerHTML"
    assert r.text.lstrip().startswith('<li class="item lv2" id="item-0-1"')
    assert "压实从严治党责任" in r.text
    assert 'id="draft-state" class="draft-state" data-version="2" hx-swap-oob="true"' in r.text
    assert "已保存：修改标题" in r.text and " open>" in r.text  # the edited item stays open

    # a structural edit re-renders the document
    r = edit(sup, did, 2, op="set_level", doc="0", item="2", delta="1")
    assert r.status_code == 200 and r.headers["HX-Retarget"] == "#doc-0"
    # a stale version: the message goes to #flash, nothing changes
    r = edit(sup, did, 1, op="set_units", doc="0", item="1", lead="机关党委", co="")
    assert r.status_code == 409 and r.headers["HX-Retarget"] == "#flash" and "请刷新页面" in r.text
    # an invalid edit: a Chinese message, no traceback
    r = edit(sup, did, 3, op="merge", doc="0", item="0")
    assert r.status_code == 422 and "第一个条目之前没有可合并的条目" in r.text and "Traceback" not in r.text

    # plain form (no JavaScript): redirect back to the edited item
    r = edit(
        sup, did, 3, htmx=False, op="set_units", doc="0", item="1", lead="机关党委", co="宣传科、组织人事科"
    )
    assert r.status_code == 303 and r.headers["location"] == f"/imports/{did}#item-0-1"
    html = sup.get(f"/imports/{did}").text
    assert "牵头：机关党委" in html and "配合：宣传科、组织人事科" in html
    assert "撤销“设置责任单位”" in html

    # undo (plain form)
    r = sup.post(
        f"/imports/{did}/undo", data={"csrf_token": csrf(sup), "version": "4"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "牵头：机关党委" not in sup.get(f"/imports/{did}").text

    # import: to the plan page
    r = sup.post(
        f"/imports/{did}/import", data={"csrf_token": csrf(sup), "version": "5"}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    plan_url = r.headers["location"]
    assert re.fullmatch(r"/plans/\d+\?imported=1", plan_url)
    plan = sup.get(plan_url).text
    assert "已导入" in plan and "压实从严治党责任" in plan

    listing = sup.get("/imports").text
    assert 'id="recent-imports"' in listing and plan_url.split("?")[0] in listing
    done = sup.get(f"/imports/{did}").text
    assert "已导入" in done and 'id="import-form"' not in done

    # the same file again: the upload page says so and links to the plan
    r = upload_page(sup, "again.txt", SEED.read_bytes())
    assert r.status_code == 409 and "无需重复导入" in r.text and plan_url.split("?")[0] in r.text


def test_docx_upload_and_plain_form_split(signed_in):
    adm = signed_in("adm", "admin")
    r = upload_page(adm, "要点.docx", make_docx())
    assert r.status_code == 303
    did = int(r.headers["location"].rsplit("/", 1)[1])
    html = adm.get(f"/imports/{did}").text
    assert "某县教育局2025年工作要点" in html and "牵头：人事科" in html
    r = edit(adm, did, htmx=False, op="split", doc="0", item="1", before="2025年8月底前", number="1a")
    assert r.status_code == 303
    html = adm.get(f"/imports/{did}").text
    assert "一/1a" in html
    r = adm.post(f"/imports/{did}/import", data={"csrf_token": csrf(adm)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/plans/")


def test_bad_file_shows_the_readers_message(signed_in):
    sup = signed_in("sup", "supervisor")
    r = upload_page(sup, "x.pdf", b"%PDF-1.4 broken")
    assert r.status_code == 422 and 'id="upload-error"' in r.text and "Traceback" not in r.text
    r = upload_page(sup, "a.txt", "没有编号的一段话。".encode())
    assert r.status_code == 422 and "未在文件中识别出" in r.text
    assert "暂无待审核的草稿" in r.text


def test_upload_without_csrf_is_refused(signed_in):
    sup = signed_in("sup", "supervisor")
    r = upload_page(sup, SEED.name, SEED.read_bytes(), with_token=False)
    assert r.status_code == 403 and "CSRF" in r.text


def test_script_in_the_text_stays_text_on_review_and_plan_pages(signed_in):
    sup = signed_in("sup", "supervisor")
    r = upload_page(sup, "evil.txt", EVIL.encode())
    assert r.status_code == 303, r.text
    did = int(r.headers["location"].rsplit("/", 1)[1])
    html = sup.get(f"/imports/{did}").text
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    r = edit(sup, did, op="set_title", doc="0", item="0", title="<script>alert(3)</script>标题")
    assert "<script>alert(3)" not in r.text and "&lt;script&gt;alert(3)" in r.text
    r = sup.post(f"/imports/{did}/import", data={"csrf_token": csrf(sup)}, follow_redirects=False)
    plan = sup.get(r.headers["location"]).text
    assert "<script>alert(3)" not in plan and "&lt;script&gt;alert(3)&lt;/script&gt;标题" in plan
    assert "<img src=x" not in plan


@pytest.mark.parametrize("role", ["leader", "unit_member", "security_admin", "audit_admin"])
def test_other_roles_get_the_error_page(signed_in, role):
    sup = signed_in("sup", "supervisor")
    did = int(upload_page(sup, SEED.name, SEED.read_bytes()).headers["location"].rsplit("/", 1)[1])
    other = signed_in("other", role, unit="基础教育科" if role == "unit_member" else None)
    for r in (
        other.get("/imports"),
        other.get(f"/imports/{did}"),
        upload_page(other, "x.txt", b"1.abc"),
        edit(other, did, op="set_meta", doc="0", year="2020"),
        other.post(f"/imports/{did}/import", data={"csrf_token": csrf(other)}),
        other.post(f"/imports/{did}/undo", data={"csrf_token": csrf(other)}),
        other.post(f"/imports/{did}/discard", data={"csrf_token": csrf(other)}),
    ):
        assert r.status_code == 403 and "无权" in r.text
    assert "导入计划" not in other.get("/plans").text if role in ("leader", "unit_member") else True


def test_discard(signed_in):
    sup = signed_in("sup", "supervisor")
    did = int(upload_page(sup, SEED.name, SEED.read_bytes()).headers["location"].rsplit("/", 1)[1])
    r = sup.post(f"/imports/{did}/discard", data={"csrf_token": csrf(sup)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/imports"
    assert "暂无待审核的草稿" in sup.get("/imports").text
    r = edit(sup, did, htmx=False, op="set_meta", doc="0", year="2020")
    assert r.status_code == 409 and "已放弃" in r.text
    assert sup.get("/imports/99999").status_code == 404


def test_signed_out_goes_to_login(client):
    r = client.get("/imports", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_uploader_shown_by_display_name(signed_in, Session):  # noqa: N803
    sup = signed_in("sup", "supervisor")
    with Session() as s:
        s.execute(update(User).where(User.username == "sup").values(display_name="督查科王"))
        s.commit()
    url = upload_page(sup, SEED.name, SEED.read_bytes()).headers["location"]
    assert "督查科王 上传于" in sup.get(url).text
    drafts = sup.get("/imports").text
    row = re.search(r'<table id="open-drafts">(.*?)</table>', drafts, re.S).group(1)
    assert "<td>督查科王</td>" in row and "<td>sup</td>" not in row


def test_spreadsheet_upload_is_reviewed_as_a_table_beside_the_plan(signed_in):
    from tests.documents.sheet_files import decomposition_xlsx

    adm = signed_in("adm", "admin")
    page = adm.get("/imports").text
    assert ".xlsx" in page and ".et" in page and ".ofd" in page  # the file picker offers them
    r = upload_page(adm, "分解表.xlsx", decomposition_xlsx())
    assert r.status_code == 303
    did = int(r.headers["location"].rsplit("/", 1)[1])
    html = adm.get(f"/imports/{did}").text
    assert 'aria-label="原表"' in html and '<table class="sheet-table">' in html
    rows = {
        int(n): [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", tr, re.S)]
        for n, tr in re.findall(r'<tr class="ln" id="L(\d+)">(.*?)</tr>', html, re.S)
    }
    assert [
        "基础教育",
        "3",
        "新建幼儿园5所",
        "基础教育科",
        "规划财务科、发展中心",
        "2025年9月底前",
        "重点",
    ] in rows.values()
    targets = {int(n) for n in re.findall(r'class="goto" href="#L(\d+)"', html)}
    assert any("新建幼儿园5所" in rows.get(n, []) for n in targets)  # an item points at its table row
    assert "开展党纪学习教育<br>覆盖全体党员" in html  # a line break inside a cell
    assert "已忽略隐藏的工作表：旧版" in html  # the reader's note
    r = adm.post(f"/imports/{did}/import", data={"csrf_token": csrf(adm)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/plans/")
