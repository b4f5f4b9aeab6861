from duban.plan.parser import parse_text


def paths(text: str) -> list[list[str]]:
    return [[i.path for i in d.items] for d in parse_text(text, "t.txt").documents]


def test_table_of_contents_with_page_numbers_is_not_items() -> None:
    text = (
        "XX市教育局2024年工作要点\n目录\n一、党的建设……1\n二、教育质量……3\n"
        "一、党的建设\n1.加强领导。内容。\n二、教育质量\n2.提升质量。内容。"
    )
    assert paths(text) == [["一", "一/1", "二", "二/2"]]


def test_outline_list_before_the_body_is_not_items() -> None:
    # the headings are listed first, then repeated with their text
    text = (
        "一、党的建设\n1.加强领导\n2.从严治党\n二、教育质量\n3.提升质量\n"
        "XX县教育局2024年工作要点\n"
        "一、党的建设\n1.加强领导。落实责任。\n2.从严治党。正风肃纪。\n二、教育质量\n3.提升质量。深化改革。"
    )
    docs = parse_text(text, "t.txt").documents
    assert len(docs) == 1
    assert [i.path for i in docs[0].items] == ["一", "一/1", "一/2", "二", "二/3"]
    assert docs[0].items[1].body.endswith("落实责任。")


def test_a_headings_only_plan_is_kept() -> None:
    text = "XX县教育局2024年工作要点\n一、党的建设\n1.加强领导\n2.从严治党\n二、教育质量\n3.提升质量"
    assert paths(text) == [["一", "一/1", "一/2", "二", "二/3"]]


def test_table_rows_whose_unit_ends_in_a_figure_are_not_a_contents() -> None:
    # each row becomes "N.任务" + "责任单位：…2": the unit's figure is no page number
    text = (
        "某县教育局2025年校舍建设任务分解表\n序号 | 重点任务 | 责任单位\n"
        "1 | 改造运动场 | 城关学校分校3\n2 | 新建食堂 | 第十学区2\n3 | 建设图书室 | 实验中学"
    )
    assert paths(text) == [["1", "2", "3"]]
