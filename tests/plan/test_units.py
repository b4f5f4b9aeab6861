"""The unit directory: loading, alias resolution, topic suggestions, a bureau's own file."""

import pytest

from duban.plan.model import SuggestedUnit
from duban.plan.units import DEFAULT_FILE, ENV_VAR, load_directory


@pytest.fixture
def directory():
    return load_directory()


def test_default_directory_has_a_city_bureaus_units(directory):
    names = directory.names()
    for n in [
        "办公室",
        "基础教育科",
        "学前教育科",
        "职业与成人教育科",
        "体卫艺科",
        "教师工作科",
        "督导室",
        "语委办",
    ]:
        assert n in names
    assert DEFAULT_FILE.exists()


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("基础教育科", "基础教育科"),
        ("基教科", "基础教育科"),
        ("市教育局基础教育科", "基础教育科"),
        ("XX市教育局办公室", "办公室"),
        ("职成教科", "职业与成人教育科"),
        ("职成科", "职业与成人教育科"),
        ("党建办（巡察办）", "机关党委"),
        ("招生办", "招生考试院"),
        ("体卫艺", "体卫艺科"),
        ("思政德育科", "思政德育科"),
        ("体卫艺科（国防教育办）", "体卫艺科"),
        ("规划财务（审计）科", "规划财务科"),
        ("人事组干科", "组织人事科"),
        ("中学教研室", "教研室"),
    ],
)
def test_canonical(directory, written, canonical):
    assert directory.canonical(written) == canonical


@pytest.mark.parametrize("written", ["", "  ", "市发改委", "财政局", "xyz"])
def test_unknown_names(directory, written):
    assert directory.canonical(written) is None


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("促进学前教育普及普惠发展。学前三年毛入园率达到94.5%以上", "学前教育科"),
        ("强化身心健康教育。中小学生体质健康优良率达到35%，近视率下降1个百分点", "体卫艺科"),
        ("加强语言文字工作。普通话培训6000人", "语委办"),
        ("提升学校安全防范能力，深化平安校园建设", "安全稳定科"),
        ("提高中等职业教育办学质量，深化产教融合校企合作", "职业与成人教育科"),
        ("实施“三名”工程，培养评选1000名市级名教师", "教师工作科"),
        ("推进教育督导体制机制改革，落实责任督学挂牌督导", "督导室"),
    ],
)
def test_suggest_lead_unit(directory, text, lead):
    got = directory.suggest(text)
    assert got and isinstance(got[0], SuggestedUnit)
    assert got[0].name == lead
    assert got[0].reason.startswith("主题“") and got[0].reason.endswith(f"属{lead}")


def test_suggest_nothing_for_unrelated_text(directory):
    assert directory.suggest("") == []
    assert directory.suggest("认真做好各项工作") == []


def test_suggest_at_most_limit(directory):
    text = "推进中小学幼儿园项目建设，规划总投资34.29亿元"
    assert [s.name for s in directory.suggest(text, limit=5)] == ["规划财务科", "基础教育科", "学前教育科"]
    got = directory.suggest(text, limit=2)
    assert [s.name for s in got] == ["规划财务科", "基础教育科"]  # the two strongest, lead unit first


def test_bureau_file_from_env(tmp_path, monkeypatch):
    f = tmp_path / "units.toml"
    f.write_text(
        '[[unit]]\nname = "学前教育办公室"\naliases = ["学前办"]\ntopics = ["幼儿园", "学前教育"]\n'
        '[[unit]]\nname = "综合科"\naliases = []\ntopics = ["信访"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(ENV_VAR, str(f))
    d = load_directory()
    assert d.names() == ["学前教育办公室", "综合科"]
    assert d.canonical("学前办") == "学前教育办公室"
    assert d.suggest("新建幼儿园5所")[0].name == "学前教育办公室"
    # an explicit path wins over the environment
    assert "基础教育科" in load_directory(DEFAULT_FILE).names()
