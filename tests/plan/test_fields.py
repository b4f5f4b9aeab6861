from duban.plan.fields import split_units
from duban.plan.lines import split_lines
from duban.plan.outline import build_outline


def items(text: str):
    return build_outline(split_lines(text)).items


def test_field_lines_attach_to_their_item() -> None:
    text = (
        "一、党建\n1.深入学习\n目标任务：准确领会精神。\n工作措施：持续推进学习。\n"
        "责任科室：党建办（巡察办）、机关党委、规划财务（审计）科\n2.党史教育\n工作举措：集中学习。\n责任单位：思政科"
    )
    first, second = items(text)[1:]
    assert first.fields == {
        "目标任务": "准确领会精神。",
        "工作措施": "持续推进学习。",
        "责任单位": "党建办（巡察办）、机关党委、规划财务（审计）科",
    }
    assert first.responsible == ["党建办（巡察办）", "机关党委", "规划财务（审计）科"]
    assert second.fields["工作措施"] == "集中学习。"
    assert second.responsible == ["思政科"]


def test_lead_and_co_units_lines() -> None:
    item = items("1.建设项目\n牵头单位：基础教育科\n配合单位：规划财务科，督导室\n完成时限：2024年6月底前")[0]
    assert item.responsible == ["基础教育科", "规划财务科", "督导室"]  # the lead first
    assert item.co_units == ["规划财务科", "督导室"]
    assert item.fields["完成时限"] == "2024年6月底前"


def test_field_text_on_the_following_line() -> None:
    item = items(
        "1.机关建设\n目标任务：绿色办公。\n工作措施：\n加强节能管理，严控公务车辆。\n责任科室：办公室"
    )[0]
    assert item.fields["工作措施"] == "加强节能管理，严控公务车辆。"
    assert item.responsible == ["办公室"]


def test_inline_units_at_the_end_of_an_item() -> None:
    item = items("3.加强干部队伍建设。做好考核工作。（责任科室：组干科、机关党委）")[0]
    assert item.responsible == ["组干科", "机关党委"]
    item = items("4.推进项目建设（牵头单位：基教科；配合单位：财务科、督导室）")[0]
    assert item.title == "推进项目建设"
    assert item.responsible == ["基教科", "财务科", "督导室"]
    assert item.co_units == ["财务科", "督导室"]


def test_traditional_characters_are_matched_and_kept() -> None:
    item = items("1.推進學前教育發展\n責任科室：基礎教育科、規劃財務科")[0]
    assert item.title == "推進學前教育發展"
    assert item.responsible == ["基礎教育科", "規劃財務科"]
    assert "責任科室" in item.body


def test_split_units_keeps_parentheses_whole() -> None:
    assert split_units("局机关各科室（馆、站）") == ["局机关各科室（馆、站）"]
    assert split_units("办公室（法规科）、机关党委。") == ["办公室（法规科）", "机关党委"]
    assert split_units("基教科,职成教科；督导室等") == ["基教科", "职成教科", "督导室"]


def test_inline_units_closing_a_later_paragraph() -> None:
    item = items(
        "5.加强学前教育\n新建幼儿园5所。扩大普惠资源。（责任单位：基础教育科、规划财务科）\n6.义务教育"
    )[0]
    assert item.responsible == ["基础教育科", "规划财务科"]
