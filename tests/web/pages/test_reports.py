"""Report pages: the one form per period (pre-filled), multipart submit with attachments, read-only view."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from duban.ledger.config import Config, WebConfig
from duban.web.app import create_app
from tests.web.api.test_reports import world  # noqa: F401  (fixture)
from tests.web.conftest import add_user, api_login


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_form_submit_with_attachment_then_read_only_view(world, signed_in):  # noqa: F811
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    index = jj.get("/reports").text
    assert "本期" in index and "待报送" in index and "未报送（已过截止，可补报）" in index
    form = jj.get(f"/reports/{world.p2}").text
    assert 'enctype="multipart/form-data"' in form and f'name="files_{world.t11}"' in form
    assert f'name="value_{world.t11}_{world.q11}"' in form and "新建幼儿园10所 · 实际值" in form
    content = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    token = _csrf(form)
    jj.headers.pop("X-CSRF-Token")  # a plain browser form: the token comes in the form field
    r = jj.post(
        f"/reports/{world.p2}",
        data={
            "csrf_token": token,
            f"work_done_{world.t11}": "已开工4所<script>alert('x')</script>",
            f"problems_{world.t11}": "用地审批慢",
            f"percent_{world.t11}": "40",
            f"value_{world.t11}_{world.q11}": "4",
            f"percent_{world.t12}": "",
        },
        files=[
            (f"files_{world.t11}", ("开工照片.png", content, "image/png")),
            (f"files_{world.t11}", ("", b"", "application/octet-stream")),  # an empty file input
        ],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/reports/{world.p2}?done=submitted"
    view = jj.get(r.headers["location"]).text
    assert "报送成功" in view and "按时报送" in view and "<textarea" not in view  # read-only now
    assert "已开工4所&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in view and "<script>alert" not in view
    assert "新建幼儿园10所：<strong>4所</strong>" in view  # the figure with its unit and "40%" in view
    link = re.search(
        r'<a href="(/api/v1/reports/attachments/\d+)" download id="att-\d+">开工照片.png</a>', view
    )
    assert link
    dl = jj.get(link.group(1))
    assert dl.status_code == 200 and dl.content == content
    # the inbox no longer asks for this period, and the list shows it reported
    assert "已报送" in jj.get("/reports").text


def test_form_errors_keep_what_was_typed(world, signed_in):  # noqa: F811
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    r = jj.post(
        f"/reports/{world.p2}",
        data={
            f"work_done_{world.t11}": "写了很多字",
            f"percent_{world.t11}": "一百",
            f"percent_{world.t12}": "150",
        },
    )
    assert r.status_code == 422
    assert "完成进度应为数字：一百" in r.text and "0 到 100 之间" in r.text
    assert "写了很多字</textarea>" in r.text
    assert jj.get("/api/v1/reports").json()["total"] == 0


def test_too_large_attachment_gives_a_chinese_error_on_the_form(Session, world):  # noqa: F811, N803
    app = create_app(session_factory=Session, config=Config(web=WebConfig(max_upload_mb=1)))
    add_user(Session, "jj", "unit_member", unit="基础教育科")
    with TestClient(app) as c:
        api_login(c, "jj")
        r = c.post(
            f"/reports/{world.p2}",
            data={f"work_done_{world.t11}": "保留的文字"},
            files=[(f"files_{world.t11}", ("大视频.mp4", b"x" * (1024 * 1024 + 10), "video/mp4"))],
        )
        assert r.status_code == 413
        assert "附件“大视频.mp4”" in r.text and "超过上限 1 MB" in r.text and "保留的文字" in r.text
        r = c.post(  # far over the limit: refused by its length before it is read
            f"/reports/{world.p2}",
            files=[(f"files_{world.t11}", ("更大.zip", b"x" * (3 * 1024 * 1024), "application/zip"))],
        )
        assert r.status_code == 413 and "超过上限 1 MB" in r.text and "Traceback" not in r.text
        assert c.get("/api/v1/reports").json()["total"] == 0


def test_other_units_and_readers(world, signed_in):  # noqa: F811
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    jj.post(
        "/api/v1/reports",
        json={"period_id": world.p2, "entries": [{"task_id": world.t11, "work_done": "机密进展"}]},
    )
    rs = signed_in("rs", "unit_member", unit="人事科")
    own = rs.get(f"/reports/{world.p2}").text  # 人事科 sees its own form, never 基础教育科's text
    assert "新招聘补充教师" in own and "机密进展" not in own and "新建幼儿园" not in own
    assert rs.get(f"/reports/{world.p2}?unit_id={world.lead}").status_code == 200  # ignored for units
    assert "机密进展" not in rs.get(f"/reports/{world.p2}?unit_id={world.lead}").text
    leader = signed_in("ld", "leader")
    view = leader.get(f"/reports/{world.p2}?unit_id={world.lead}").text
    assert "机密进展" in view and "<textarea" not in view
    assert "尚未报送" in leader.get(f"/reports/{world.p2}?unit_id={world.other}").text
    assert (
        leader.get(f"/reports/{world.p2}", follow_redirects=False).headers["location"]
        == f"/periods/{world.p2}"
    )
    assert leader.post(f"/reports/{world.p2}", data={}).status_code == 403
    listing = leader.get("/reports").text
    assert "基础教育科" in listing and "各单位进展报送" in listing
    for role in ("security_admin", "audit_admin"):
        c = signed_in(f"u_{role}", role)
        assert c.get("/reports").status_code == 403
        assert c.get(f"/reports/{world.p2}").status_code == 403
    assert jj.get("/reports/99999").status_code == 404


def test_draft_resumed_scale_question_edit_until_read_and_late_report(world, signed_in):  # noqa: F811
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    t, q = world.t11, world.q11
    r = jj.post(
        f"/reports/{world.p2}",
        data={"intent": "draft", f"work_done_{t}": "写到一半", f"value_{t}_{q}": "3"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/reports/{world.p2}?saved=1"
    assert "已暂存" in jj.get(r.headers["location"]).text
    form = jj.get(f"/reports/{world.p2}").text  # next time: resumed
    assert "暂存的内容" in form and "写到一半</textarea>" in form and f'id="value_{t}_{q}" value="3"' in form
    assert jj.get("/api/v1/reports").json()["total"] == 0  # a draft is no report
    typed = {"intent": "submit", f"work_done_{t}": "开工300所", f"value_{t}_{q}": "300"}
    r = jj.post(f"/reports/{world.p2}", data=typed)
    assert r.status_code == 422 and "是否为 300所？" in r.text and f'name="confirm_{t}_{q}"' in r.text
    assert "开工300所</textarea>" in r.text and jj.get("/api/v1/reports").json()["total"] == 0
    r = jj.post(f"/reports/{world.p2}", data={**typed, f"confirm_{t}_{q}": "1"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    view = jj.get(f"/reports/{world.p2}").text
    assert 'id="edit-link"' in view and "修改报送" in view
    edit = jj.get(f"/reports/{world.p2}/edit").text
    assert "开工300所</textarea>" in edit and "保存修改" in edit and "暂存" not in edit
    r = jj.post(
        f"/reports/{world.p2}",
        data={"intent": "submit", f"work_done_{t}": "开工3所", f"value_{t}_{q}": "3"},
        follow_redirects=False,
    )
    assert r.headers["location"] == f"/reports/{world.p2}?done=edited"
    assert "开工3所" in jj.get(r.headers["location"]).text
    r = jj.post(
        f"/reports/{world.p2}", data={"intent": "submit", f"percent_{t}": "一半"}
    )  # an error while editing
    assert r.status_code == 422 and "应为数字：一半" in r.text and "保存修改" in r.text
    sup = signed_in("dc", "supervisor")
    assert "开工3所" in sup.get(f"/reports/{world.p2}", params={"unit_id": world.lead}).text  # read now
    view = jj.get(f"/reports/{world.p2}").text
    assert "督查已阅" in view and 'id="edit-link"' not in view and "不能再修改" in view
    r = jj.post(f"/reports/{world.p2}", data={"intent": "submit", f"work_done_{t}": "改"})
    assert r.status_code == 409 and "不能再修改" in r.text
    # the missed period: 补报, marked late
    assert "补报" in jj.get("/reports").text
    form = jj.get(f"/reports/{world.p1}").text
    assert 'id="late-notice"' in form and "提交补报" in form
    r = jj.post(f"/reports/{world.p1}", data={"intent": "submit"}, follow_redirects=False)
    assert r.status_code == 303
    assert "补报（逾期报送）" in jj.get(f"/reports/{world.p1}").text


def test_co_unit_input_shown_to_the_lead_unit_and_folded_in(world, signed_in):  # noqa: F811
    cw = signed_in("cw", "unit_member", unit="财务科")
    form = cw.get(f"/reports/{world.p2}").text
    assert "配合任务：填写的内容送牵头单位汇总" in form
    r = cw.post(
        f"/reports/{world.p2}", data={"intent": "submit", f"work_done_{world.t11}": "已拨付资金200万元"}
    )
    assert r.status_code == 200  # followed to the view
    jj = signed_in("jj", "unit_member", unit="基础教育科")
    form = jj.get(f"/reports/{world.p2}").text
    box = re.search(rf'name="(fold_{world.t11}_\d+)"', form)
    assert box and "配合单位财务科报来：</strong>已拨付资金200万元" in form
    r = jj.post(
        f"/reports/{world.p2}",
        data={"intent": "submit", f"work_done_{world.t11}": "开工4所", box.group(1): "1"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "开工4所\n【财务科】已拨付资金200万元" in jj.get(r.headers["location"]).text
    sup = signed_in("dc", "supervisor")
    co_view = sup.get(f"/reports/{world.p2}", params={"unit_id": world.co}).text
    assert "配合意见，报牵头单位汇总" in co_view
