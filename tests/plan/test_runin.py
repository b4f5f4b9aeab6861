"""Run-in headings and labels inside paragraphs, on small made-up texts."""

from duban.plan.lines import split_lines
from duban.plan.outline import build_outline
from duban.plan.runin import runin_title


def outline(text: str) -> list[tuple[str, int, str]]:
    return [(i.path, i.level, i.title) for i in build_outline(split_lines(text)).items]


def test_run_in_title_ends_where_the_sentence_opens() -> None:
    assert runin_title("全力推进校舍建设按照年初计划，新建校舍9所", True) == "全力推进校舍建设"
    assert runin_title("主要目标为加快补齐教育短板，上半年各项工作稳步推进", True) == "主要目标"
    assert runin_title("抓好秋季开学准备确保秋季开学前新校具备招生条件", True) == "抓好秋季开学准备"


def test_a_heading_written_as_a_sentence_keeps_its_title() -> None:
    # a comma before the opener, an opener at the start, a short heading line: as written
    assert runin_title("完善机制，确保责任落实", True) == "完善机制，确保责任落实"
    assert runin_title("力争全年新建学校5所", True) == "力争全年新建学校5所"
    assert runin_title("以立德树人为根本", False) == "以立德树人为根本"


def test_outline_run_into_one_paragraph_after_single_spaces() -> None:
    text = (
        "2025年全县教育系统要坚持立德树人根本任务，以办好人民满意的教育为目标，凝心聚力、不懈努力。 一、加强党建 1.深入学习宣传。"
        "制定学习计划，组织专题学习8次。 2.健全工作机制。推行校长负责制，年底前全覆盖。"
        " 二、补齐资源短板 3.扩大学前资源。新建幼儿园2所。"
    )
    assert outline(text) == [
        ("一", 1, "加强党建"),
        ("一/1", 2, "深入学习宣传"),
        ("一/2", 2, "健全工作机制"),
        ("二", 1, "补齐资源短板"),
        ("二/3", 2, "扩大学前资源"),
    ]


def test_parenthesised_label_glued_to_the_heading_before_it() -> None:
    text = (
        "今年以来，全区教育系统围绕年度目标任务，扎实推进各项工作，上半年各项工作稳步推进，现总结如下。一、工作成效。各项工作取得新进展，群众满意度持续提升。"
        "二、下半年打算（一）抓好开学准备确保开学前新校具备招生条件。（二）加快项目进度计划新开工项目4个。"
    )
    assert outline(text) == [
        ("一", 1, "工作成效"),
        ("二", 1, "下半年打算"),
        ("二/一", 2, "抓好开学准备"),
        ("二/二", 2, "加快项目进度"),
    ]


def test_run_in_title_ends_before_a_verb_with_its_figure_or_通过() -> None:
    assert runin_title("义务教育优质均衡完成12所学校标准化建设，新建教室85间", True) == "义务教育优质均衡"
    assert runin_title("学前教育扩容提质通过新建和改扩建，新增学位1260个", True) == "学前教育扩容提质"
    assert runin_title("实施3项民生工程", True) == "实施3项民生工程"  # the figure is the title's own
