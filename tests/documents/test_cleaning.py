from __future__ import annotations

import re

from duban.documents import read_bytes, read_document
from duban.documents.cleaning import clean_text
from duban.documents.webcruft import is_cruft, strip_web_cruft


def test_fullwidth_digits_letters_and_some_symbols_become_halfwidth():
    assert clean_text("达到９４．５％以上，ＡＢＣ＋ｘｙｚ／２＃３") == "达到94.5%以上，ABC+xyz/2#3"


def test_chinese_punctuation_is_kept():
    line = "（一）加强党建：强化“四个意识”；是否落实？坚决落实！"
    assert clean_text(line) == line


def test_list_labels_survive_no_nfkc():
    text = "①加强党建\n⑴完善机制\n㈠总体要求\n⒈第一条"
    assert clean_text(text) == text


def test_ideographic_space_and_nbsp_become_space_and_lines_are_stripped():
    assert clean_text("\u3000\u3000一、总体要求\u00a0\n\u00a0 2.完善机制 ") == "一、总体要求\n2.完善机制"


def test_letter_spaced_cjk_is_joined():
    assert clean_text("承  德  市  教  育  局") == "承德市教育局"
    assert clean_text("目  录") == "目录"
    assert clean_text("关于印发 工 作 要 点 的通知") == "关于印发 工作要点 的通知"


def test_wide_gap_between_two_names_keeps_one_space():
    assert clean_text("中共承德市委教育工委          承德市教育局") == "中共承德市委教育工委 承德市教育局"


def test_space_after_chinese_punctuation_is_removed_single_space_between_words_kept():
    assert clean_text("提高绩效， 建立健全体系") == "提高绩效，建立健全体系"
    assert clean_text("• 发文字号 青教发〔2018〕8号") == "• 发文字号 青教发〔2018〕8号"


def test_question_mark_between_cjk_becomes_middle_dot():
    assert clean_text("开展“爱国?奋斗”主题活动") == "开展“爱国·奋斗”主题活动"
    assert clean_text("壮丽70年？阔步新时代") == "壮丽70年·阔步新时代"


def test_real_question_marks_are_kept():
    assert clean_text("如何落实？") == "如何落实？"
    assert clean_text("为什么要改革？因为发展需要") == "为什么要改革？因为发展需要"
    assert clean_text("落实了吗?") == "落实了吗?"


def test_markup_residue_and_entities_removed():
    assert clean_text("[bookmark: _GoBack]一、总体要求&nbsp;&ldquo;双减&rdquo;") == "一、总体要求“双减”"


def test_line_ends_normalised_and_blank_lines_kept():
    assert (
        clean_text("一、总体要求\r\n\r\n1.完善机制\r2.强化督导") == "一、总体要求\n\n1.完善机制\n2.强化督导"
    )


def test_cruft_rules_are_general():
    for line in [
        "登录 | 注册",
        "查看: 12|回复: 3",
        "【大 中 小】",
        "分享到：微信 微博 QQ空间",
        "上一篇 下一篇",
        "Copyright © 2020 某某市教育局 版权所有",
        "冀ICP备12345678号",
        "编辑：张三",
        "浏览次数：1024",
        "某某教育信息网",
        "扫一扫在手机打开当前页",
        "附件：",
        "首页 > 政务公开 > 通知公告",
        "来源：某某市教育局 发布时间：2024-03-01 浏览次数：",
        "上一篇：关于印发2023年工作要点的通知",
        "地址：某某路1号 邮编：050000 电话：0311-1234567",
        "网站地图 | 联系我们 | 隐私声明",
    ]:
        assert is_cruft(line), line
    for line in [
        "许昌市教育局2019年工作要点",
        "• 发文字号 青教发〔2018〕8号",
        "• 发文单位 青岛市教育局",
        "• 成文日期 2018-02-09",
        "中共承德市委教育工委 承德市教育局",
        "2021年4月6日",
        "责任科室：局防控办各专项工作组",
        "3.建设教育城域网",
        "中小学",
        "(征求意见稿)",
        "主题教育",
        "备注:请于2月25日反馈市教育局宣传科。联系电话:0374-2699858,邮箱:a@163.com",
    ]:
        assert not is_cruft(line), line


def test_cruft_only_dropped_around_the_body():
    body = "1.加强安全教育，组织开展校园应急演练，完善学校安全风险防控体系建设工作机制。"
    text = "\n".join(
        ["某某论坛", "免费注册", "工作要点", body, "分享到：微信", body, "返回顶部", "© 2020 某某网"]
    )
    out, dropped = strip_web_cruft(text)
    assert out.split("\n") == ["工作要点", body, "分享到：微信", body]
    assert dropped == 4


def test_forum_page_copy(tmp_path):
    page = "\n".join(
        [
            "某某教育论坛",
            " 找回密码",
            " 免费注册",
            "查看: 88|回复: 1",
            "某县教育局2024年工作要点",
            "[复制链接]",
            "楼主",
            "发表于 2024-3-1 10:00:00 | 只看该作者",
            "一、总体要求",
            "1.办好人民满意的教育，全面落实立德树人根本任务，推动全县教育高质量发展。",
            "某县教育局",
            "2024年2月20日",
            "收藏 分享 顶 踩",
            "使用道具 举报",
            "GMT+8, 2025-1-1 08:00",
            "Powered by Discuz! X3.4",
        ]
    )
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    assert read_document(tmp_path / "page.txt").text.split("\n") == [
        "某县教育局2024年工作要点",
        "一、总体要求",
        "1.办好人民满意的教育，全面落实立德树人根本任务，推动全县教育高质量发展。",
        "某县教育局",
        "2024年2月20日",
    ]


_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")


def _numbered_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if _NUMBERED.match(line.strip())]


def test_seed_003_forum_cruft_dropped_title_and_outline_kept(seeds_dir):
    path = seeds_dir / "003_e30f107987b653df.txt"
    src = read_document(path)
    lines = src.text.split("\n")
    assert lines[0] == "教育局2018年工作汇报材料"
    assert lines[-1].startswith("强化对县域教育工作的过程性督导")
    for cruft in ["找回密码", "楼主", "跳转到指定楼层", "本版积分规则", "GMT+8", "©", "返回顶部", "绿色圃"]:
        assert cruft not in src.text
    raw = path.read_text(encoding="utf-8")
    assert _numbered_lines(src.text) == _numbered_lines(clean_text(raw))


def test_seed_000_head_and_tail(seeds_dir):
    path = seeds_dir / "000_fc4be4de5af6bc2e.txt"
    src = read_document(path)
    lines = src.text.split("\n")
    assert lines[0] == "许昌市教育局2019年工作要点"
    assert lines[-1].startswith("备注:各单位如有修改意见")
    assert "扫描下载" not in src.text and "责任编辑" not in src.text and "客户端" not in src.text
    assert _numbered_lines(src.text) == _numbered_lines(clean_text(path.read_text(encoding="utf-8")))
    assert len(_numbered_lines(src.text)) >= 37


def test_seed_004_metadata_fields_kept(seeds_dir):
    src = read_document(seeds_dir / "004_4953a450a86010f3.txt")
    lines = src.text.split("\n")
    assert lines[0] == "关于印发《青岛市教育局(市委高校工委)2018年工作要点》的通知"
    for field in ["• 发文字号 青教发〔2018〕8号", "• 发文单位 青岛市教育局", "• 成文日期 2018-02-09"]:
        assert field in lines
    assert "字体大小" not in src.text and "网上咨询" not in src.text
    assert lines[-1].startswith("27.建设平安和谐校园")


def test_seeds_without_cruft_lose_nothing(seeds_dir):
    for name in ["001_f29dea3288537dee.txt", "002_1ac5cf17bd611ec8.txt"]:
        raw = (seeds_dir / name).read_bytes()
        src = read_bytes(raw, name)
        raw_lines = [line for line in clean_text(raw.decode("utf-8")).split("\n") if line]
        assert [line for line in src.text.split("\n") if line] == raw_lines


def test_control_characters_removed_tabs_kept():
    assert clean_text("加强\x02党建\x07\n序号\t任务\x0c二、重点任务") == "加强党建\n序号\t任务\n二、重点任务"


def test_seed_004_lost_middle_dot_restored(seeds_dir):
    src = read_document(seeds_dir / "004_4953a450a86010f3.txt")
    assert "“爱国·奋斗”" in src.text and "爱国?奋斗" not in src.text


def test_government_page_copy(tmp_path):
    page = """设为首页 | 加入收藏 | 无障碍浏览 | 长者模式
某某市教育局
首页 > 政务公开 > 通知公告
关于印发《某某市教育局2023年工作要点》的通知
发布时间：2023-02-20 10:15 来源：办公室 浏览次数：2345
【字体：大 中 小】
各县（市、区）教育局，局属各单位：
现将《某某市教育局2023年工作要点》印发给你们，请结合实际认真贯彻落实。
某某市教育局
2023年2月18日
一、总体要求
1.办好人民满意的教育，全面落实立德树人根本任务，推动全市教育高质量发展。
【打印本页】 【关闭窗口】
上一篇：关于做好2023年春季学期开学工作的通知
下一篇：没有了
扫一扫在手机打开当前页
主办单位：某某市教育局 承办单位：某某市教育信息中心
网站标识码：1234000000 冀ICP备12345678号-1 冀公网安备 13010202000001号
地址：某某市某某路100号 邮编：050000 联系电话：0311-12345678
"""
    (tmp_path / "page.txt").write_text(page, encoding="gb18030")
    src = read_document(tmp_path / "page.txt")
    assert src.encoding == "gb18030"
    assert src.text.split("\n") == [
        "某某市教育局",
        "关于印发《某某市教育局2023年工作要点》的通知",
        "各县（市、区）教育局，局属各单位：",
        "现将《某某市教育局2023年工作要点》印发给你们，请结合实际认真贯彻落实。",
        "某某市教育局",
        "2023年2月18日",
        "一、总体要求",
        "1.办好人民满意的教育，全面落实立德树人根本任务，推动全市教育高质量发展。",
    ]


def test_row_numbers_alone_on_their_lines_are_kept():
    text = "某某区2024年任务分解表\n序号 | 工作任务 | 牵头单位\n1 |\n新建幼儿园2所 | 基建科\n2 |\n完成15所学校改造 | 体卫艺科"
    kept, _ = strip_web_cruft(text)
    assert kept == text
