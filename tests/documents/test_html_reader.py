from __future__ import annotations

import pytest

from duban.documents import DocumentError, read_bytes, read_document
from duban.documents.html_reader import MAX_HTML_CHARS

GOV_PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>某某市教育局2024年工作要点_某某市教育局</title>
<script>var _hmt = "统计代码";</script><style>.x{{color:red}}</style></head>
<body>
<div class="header"><a href="/">首页</a> | <a href="/news">新闻中心</a> | <a>通知公告</a></div>
<nav><ul><li><a href="/">网站首页</a></li><li><a href="/a">机构概况</a></li></ul></nav>
<div class="main">
<h1>某某市教育局2024年工作要点</h1>
<div class="info">发布时间：2024-03-01 浏览次数：1234 【大 中 小】 【打印】</div>
<div class="content">
<p>2024年全市教育工作的总体要求是：以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针。</p>
<p><strong>一、加强党的建设</strong></p>
<p>1.压实从严治党责任。全面落实党组织领导的校长负责制，全年召开专题会议２次以上。</p>
<p>2.加强师德师风建设。开展师德师风专项整治。</p>
<table><tr><td>序号</td><td>任务</td><td>牵头单位</td><td>完成时限</td></tr>
<tr><td>1</td><td>新建幼儿园<br>10所</td><td>计划财务科</td><td>2024年8月底前</td></tr></table>
<p>二、推进教育优质均衡</p>
<p>3.新建改扩建中小学5所，新增学位6000个。</p>
</div>
<div class="share">分享到：微信 微博 QQ空间</div>
</div>
<div class="footer"><p>版权所有：某某市教育局 冀ICP备12345678号</p><p>地址：某某路1号</p></div>
<script>document.write("广告位招租");</script>
</body></html>
"""

EXPECTED = [
    "某某市教育局2024年工作要点",
    "2024年全市教育工作的总体要求是：以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针。",
    "一、加强党的建设",
    "1.压实从严治党责任。全面落实党组织领导的校长负责制，全年召开专题会议2次以上。",
    "2.加强师德师风建设。开展师德师风专项整治。",
    "序号 | 任务 | 牵头单位 | 完成时限",
    "1 | 新建幼儿园 10所 | 计划财务科 | 2024年8月底前",
    "二、推进教育优质均衡",
    "3.新建改扩建中小学5所，新增学位6000个。",
]


def test_government_page_main_text_only(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(GOV_PAGE.format(charset="utf-8"), encoding="utf-8")
    src = read_document(path)
    assert src.format == "html"
    assert src.text.split("\n") == EXPECTED
    for cruft in ["统计代码", "广告", "网站首页", "机构概况", "分享到", "版权所有", "ICP", "浏览次数"]:
        assert cruft not in src.text


def test_gb2312_page_is_decoded_by_its_declared_charset(tmp_path):
    path = tmp_path / "plan.htm"
    path.write_bytes(GOV_PAGE.format(charset="gb2312").encode("gb18030"))
    src = read_document(path)
    assert src.encoding == "gb18030"
    assert src.text.split("\n") == EXPECTED


def test_html_is_sniffed_by_content_not_extension():
    src = read_bytes(GOV_PAGE.format(charset="utf-8").encode("utf-8"), "saved_page.txt")
    assert src.format == "html"
    assert src.text.split("\n")[0] == "某某市教育局2024年工作要点"


def test_layout_table_page_keeps_one_paragraph_per_line():
    page = """<html><head><meta charset="utf-8"><title>2024年工作要点--某县教育局</title></head><body>
    <table><tr><td><a href="/">首页</a></td><td><a href="/x">政务公开</a></td></tr></table>
    <table><tr><td class="title">某县教育局2024年工作要点</td></tr>
    <tr><td class="content">一、总体要求<br>
    坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务。<br>
    二、重点任务<br>
    1.加强党的建设。深入开展主题教育，加强基层党组织建设，推进党建与业务深度融合。<br>
    2.推进学前教育普惠发展。新建公办幼儿园3所，学前三年毛入园率达到92%以上。<br>
    </td></tr></table>
    <div id="footer">Copyright 2024 某县教育局 版权所有 技术支持：某某网络公司</div></body></html>"""
    src = read_bytes(page.encode("utf-8"), "page.html")
    assert src.text.split("\n") == [
        "某县教育局2024年工作要点",
        "一、总体要求",
        "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务。",
        "二、重点任务",
        "1.加强党的建设。深入开展主题教育，加强基层党组织建设，推进党建与业务深度融合。",
        "2.推进学前教育普惠发展。新建公办幼儿园3所，学前三年毛入园率达到92%以上。",
    ]


def test_mhtml_web_archive(tmp_path):
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    archive = MIMEMultipart("related")
    archive.attach(MIMEText(GOV_PAGE.format(charset="gb2312"), "html", "gb18030"))
    archive.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(32), "png"))
    path = tmp_path / "plan.mht"
    path.write_bytes(archive.as_bytes())
    src = read_document(path)
    assert src.format == "html"
    assert src.text.split("\n") == EXPECTED


def test_deeply_nested_page_is_refused_before_lxml():
    page = "<html><body>" + "<div>" * 5000 + "一、总体要求" + "</div>" * 5000 + "</body></html>"
    with pytest.raises(DocumentError) as err:
        read_bytes(page.encode(), "深.html")
    assert err.value.user_message == "网页结构嵌套过深（超过 1000 层），无法读取：深.html"


def test_unclosed_paragraphs_and_breaks_do_not_count_as_nesting():
    rows = "".join(f"<p>{i}.第{i}项工作<br>" for i in range(1, 1500))
    page = f"<html><body><div>{rows}</div></body></html>"
    assert "1.第1项工作" in read_bytes(page.encode(), "长.html").text


def test_oversized_page_is_refused():
    page = "<html><body><p>" + "字" * (MAX_HTML_CHARS + 1) + "</p></body></html>"
    with pytest.raises(DocumentError) as err:
        read_bytes(page.encode(), "大.html")
    assert "网页文件过大" in err.value.user_message
