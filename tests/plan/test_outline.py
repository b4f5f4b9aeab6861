"""Nesting by the sequence of forms in the document, on small made-up texts."""

from duban.plan.lines import split_lines
from duban.plan.outline import build_outline


def outline(text: str) -> list[tuple[str, int, str]]:
    return [(i.path, i.level, i.title) for i in build_outline(split_lines(text)).items]


def test_two_levels_with_continuous_arabic_numbers() -> None:
    text = "一、党的建设\n1.加强领导。具体内容。\n2.从严治党\n二、教育质量\n3.提升质量"
    assert outline(text) == [
        ("一", 1, "党的建设"),
        ("一/1", 2, "加强领导"),
        ("一/2", 2, "从严治党"),
        ("二", 1, "教育质量"),
        ("二/3", 2, "提升质量"),
    ]


def test_middle_level_appears_only_under_some_headings() -> None:
    text = "一、总体\n1.甲\n二、重点\n（一）质量\n2.乙\n（二）现代化\n3.丙\n三、民生\n4.丁"
    assert [(p, lv) for p, lv, _ in outline(text)] == [
        ("一", 1), ("一/1", 2), ("二", 1), ("二/一", 2), ("二/一/2", 3),
        ("二/二", 2), ("二/二/3", 3), ("三", 1), ("三/4", 2),
    ]  # fmt: skip


def test_forms_nest_in_the_order_this_document_uses_them() -> None:
    # here (一) is the top level and 一、 never appears
    text = "（一）党建工程\n1.坚持领导\n（1）学习\n（2）宣传\n2.守牢阵地\n（二）质量工程"
    assert [(p, lv) for p, lv, _ in outline(text)] == [
        ("一", 1), ("一/1", 2), ("一/1/1", 3), ("一/1/2", 3), ("一/2", 2), ("二", 1),
    ]  # fmt: skip


def test_number_with_missing_dot_counts_when_it_continues_the_sequence() -> None:
    text = "一、均衡\n26.推进装备建设\n27构建优质均衡体系。实施行动。\n二、职教\n28.提高质量"
    assert [p for p, _, _ in outline(text)] == ["一", "一/26", "一/27", "二", "二/28"]
    assert outline(text)[2][2] == "构建优质均衡体系"


def test_number_without_dot_out_of_sequence_is_text() -> None:
    text = "一、项目\n1.推进建设\n2019年开工建设\n35所学校完成改造"
    items = build_outline(split_lines(text)).items
    assert [i.path for i in items] == ["一", "一/1"]
    assert "35所学校" in items[1].body


def test_unnumbered_paragraphs_belong_to_the_item_above() -> None:
    text = (
        "一、依法治教\n6.全面推进依法治教。做好立法调研。\n推动学校依法办学。深入实施管理办法。\n7.强化督导"
    )
    items = build_outline(split_lines(text)).items
    assert items[1].body.endswith("推动学校依法办学。深入实施管理办法。")
    assert items[2].title == "强化督导"


def test_text_before_the_first_item_is_preamble() -> None:
    result = build_outline(split_lines("总体要求：以质量为核心。\n一、党建"))
    assert result.preamble == ["总体要求：以质量为核心。"]


def test_number_alone_on_its_line_takes_the_next_line_as_title() -> None:
    text = "一、\n加强党的建设\n1.\n压实责任。全面学习。\n2.从严治党"
    assert outline(text) == [("一", 1, "加强党的建设"), ("一/1", 2, "压实责任"), ("一/2", 2, "从严治党")]


def test_bare_number_before_a_line_starting_with_digits_keeps_its_label() -> None:
    text = "一、总体要求\n1.\n2024年完成全部任务。\n2.从严治党"
    assert outline(text) == [
        ("一", 1, "总体要求"),
        ("一/1", 2, "2024年完成全部任务"),
        ("一/2", 2, "从严治党"),
    ]


def test_delimiter_slip_continuing_the_sequence_is_a_sibling() -> None:
    text = "一、总体\n1.甲\n2、乙\n3.丙"
    assert [(p, lv) for p, lv, _ in outline(text)] == [("一", 1), ("一/1", 2), ("一/2", 2), ("一/3", 2)]


def test_a_page_whose_line_breaks_were_lost() -> None:
    text = (
        "一、加强党的建设。全面学习贯彻党的创新理论，推进党建工作高质量发展。"
        "1.压实责任。深化全面从严治党主体责任，完善工作机制，推动责任落实落地。"
        "2.正风肃纪。严明纪律规矩，持续整治形式主义官僚主义，营造风清气正的教育生态。"
        "二、提高教育质量。落实立德树人根本任务，全面提高人才培养质量。"
        "3.加强德育。将德育内容细化落实到各学科课程的教学目标之中，融入教育教学全过程。"
    )
    assert outline(text) == [
        ("一", 1, "加强党的建设"),
        ("一/1", 2, "压实责任"),
        ("一/2", 2, "正风肃纪"),
        ("二", 1, "提高教育质量"),
        ("二/3", 2, "加强德育"),
    ]


def test_inline_enumerations_are_not_items() -> None:
    text = "一、质量\n1.提升质量。一是加强教研；二是改进评价。第一，坚持育人。\n2.减负"
    assert [p for p, _, _ in outline(text)] == ["一", "一/1", "一/2"]


def test_circled_numbers_nest_below_arabic() -> None:
    text = "1.安全\n①消防\n②食品\n2.稳定"
    assert [(p, lv) for p, lv, _ in outline(text)] == [("1", 1), ("1/①", 2), ("1/②", 2), ("2", 1)]


def test_year_leading_headings_stay_headings() -> None:
    text = "一、2023年工作回顾\n（一）学位扩大。新增学位900个。\n二、2024年重点任务\n（一）推进建设。"
    assert [(p, t) for p, _, t in outline(text)] == [
        ("一", "2023年工作回顾"), ("一/一", "学位扩大"), ("二", "2024年重点任务"), ("二/一", "推进建设"),
    ]  # fmt: skip


def test_standards_chapters_with_dotted_clauses_and_an_appendix() -> None:
    text = "1 范围\n本文件规定要求。\n2 术语\n2.1 带队教师\n2.2 安全员\n3 要求\n附录A（资料性）检查表\n出行前检查。"
    assert outline(text) == [
        ("1", 1, "范围"), ("2", 1, "术语"), ("2/2.1", 2, "带队教师"), ("2/2.2", 2, "安全员"),
        ("3", 1, "要求"), ("A", 1, "检查表"),
    ]  # fmt: skip


def test_chapter_numbers_out_of_order_are_text() -> None:
    assert outline("一、总体\n7 城区学校完成改造\n二、保障") == [("一", 1, "总体"), ("二", 1, "保障")]


def test_row_numbers_alone_on_their_lines() -> None:
    text = "现将完成情况公示如下：\n1\n新建幼儿园8所。已完工。\n2 |\n配备心理教师120名。\n3\n完成食堂改造。"
    assert outline(text) == [
        ("1", 1, "新建幼儿园8所"), ("2", 1, "配备心理教师120名"), ("3", 1, "完成食堂改造"),
    ]  # fmt: skip


def test_a_page_number_alone_is_not_an_item() -> None:
    items = build_outline(split_lines("一、资助\n全年发放资助资金，惠及学生\n7\n共计5万人。\n二、随迁")).items
    assert [i.path for i in items] == ["一", "二"]
    assert "\n7" not in items[0].body


def test_a_number_cut_at_a_line_break_is_glued_back() -> None:
    text = "三、校舍改造\n维修和改造资金分别投入3\n1万元、27.4万元。\n四、队伍\n营养改善计划惠及\n2.6 万名学生，应助尽助。"
    items = build_outline(split_lines(text)).items
    assert [i.path for i in items] == ["三", "四"]
    assert "投入31万元" in items[0].body
    assert "惠及2.6 万名学生" in items[1].body


def test_row_numbers_alone_number_on_across_headings() -> None:
    text = (
        "一、学前教育\n1\n新建幼儿园3所\n2\n新增学位900个\n二、义务教育\n3\n完成厕所改造\n4\n配备辅导室40间"
    )
    assert [p for p, _, _ in outline(text)] == ["一", "一/1", "一/2", "二", "二/3", "二/4"]


def test_a_page_marker_inside_the_text_is_dropped_and_the_sentence_glued() -> None:
    items = build_outline(
        split_lines("一、资助\n营养改善计划惠及\n第2页 共9页\n2.6 万名学生，应助尽助。\n二、随迁")
    ).items
    assert [i.path for i in items] == ["一", "二"]
    assert "惠及2.6 万名学生" in items[0].body and "页" not in items[0].body
