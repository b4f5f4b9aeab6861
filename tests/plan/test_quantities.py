"""Quantities on small made-up sentences: one rule per test, plus a few seed sentences."""

import pytest

from duban.plan.quantities import extract_quantities


def q1(text, role="target"):
    qs = extract_quantities(text, item="1", role=role)
    assert len(qs) == 1, [(q.value, q.unit, q.text) for q in qs]
    return qs[0]


def vals(text, role="target"):
    return [(q.value, q.unit) for q in extract_quantities(text, item="1", role=role)]


# -- number forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("全市新建幼儿园5所", 5, "所"),
        ("学前三年毛入园率达到94.5%", 94.5, "%"),
        ("年测试完成1.5万人次", 1.5, "万人次"),
        ("全年教育经费投入达到294.4亿元", 294.4, "亿元"),
        ("规划总投资33120万元", 33120, "万元"),
        ("规划建筑面积93万平方米", 93, "万平方米"),
        ("购置设备79618台(件套)", 79618, "台(件套)"),
        ("举办两期培训", 2, "期"),
        ("各建设一所融合试点小学", 1, "所"),
        ("确保每天一小时校园体育活动", 1, "小时"),
        ("就业率达到百分之九十", 90, "%"),
        ("学生满意度达到９５％", 95, "%"),
        ("开展同课异构活动95个科次", 95, "个科次"),
        ("全市70万师生", 70, "万"),
        ("全年新增学位1,200个", 1200, "个"),
        ("投入资金12,500.5万元", 12500.5, "万元"),
        ("义务教育巩固率达到95 %以上", 95, "%"),
        ("培训校长300 人", 300, "人"),
    ],
)
def test_number_forms(text, value, unit):
    q = q1(text)
    assert (q.value, q.unit) == (value, unit)


def test_thousands_separator_is_not_a_list_of_numbers():
    assert vals("落实第1,2条要求") == []
    assert vals("分别于2019,2020年完成") == []
    q = q1("全年新增学位1,200个")
    assert q.text.endswith("1,200个")  # the span stays verbatim


def test_range_with_dash_and_zhi():
    q = q1("评选市级骨干教师700-800人")
    assert (q.comparator, q.value, q.value_high, q.unit) == ("range", 700, 800, "人")
    q = q1("招收公费师范生150至200人")
    assert (q.comparator, q.value, q.value_high) == ("range", 150, 200)
    q = q1("打造1—2所校企合作示范校")
    assert (q.comparator, q.value, q.value_high, q.unit) == ("range", 1, 2, "所")


def test_ratio_is_one_quantity():
    q = q1("职普招生比例稳定在4:6左右")
    assert (q.value, q.unit, q.comparator) == (0.6667, "比", "=")
    q = q1("职普招生结构比不低于4：6")
    assert (q.value, q.unit, q.comparator) == (0.6667, "比", ">=")


def test_ratio_sign():
    assert q1("师生比达到1∶13").value == 0.0769


def test_per_ten_thousand_is_a_scale_not_a_count():
    assert vals("每万人口拥有幼儿园教师不低于10人") == [(10, "人")]


def test_amount_after_a_deadline():
    assert vals("年底前5所学校完成改造") == [(5, "所")]


def test_clock_time_is_not_a_ratio():
    assert vals("上午8:30开会") == []


def test_normalized_value():
    q = q1("年测试完成1.5万人次")
    assert (q.normalized_value, q.normalized_unit) == (15000, "人次")
    q = q1("资助资金4.92亿元")
    assert (q.normalized_value, q.normalized_unit) == (492000000, "元")


@pytest.mark.parametrize(
    ("text", "unit"),
    [("学前三年毛入园率达到x%", "%"), ("共清理出无证园XX所", "所"), ("全市累计投入资金x亿元", "亿元")],
)
def test_placeholders(text, unit):
    q = q1(text, role="actual")
    assert q.placeholder and q.value is None and q.unit == unit


def test_redacted_name_is_not_a_placeholder():
    assert vals("围绕XX支柱产业布局专业") == []
    assert vals("XX市教育局") == []


# -- comparators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cmp"),
    [
        ("特色学校达到250所", "="),
        ("义务教育阶段入学率保持100%", "="),
        ("新增特殊教育资源教室30个", "="),
        ("大班额比例控制在8%以内", "<="),
        ("学前三年毛入园率力争达到95%以上", ">="),
        ("新招聘补充教师3000人以上", ">="),
        ("全年网络教研不少于150次", ">="),
        ("中等职业学校办学条件达标率不低于80%", ">="),
        ("每个乡镇至少创建1所示范园", ">="),
        ("总行程超过2000公里", ">"),
        ("民办在校生占比不超过5%", "<="),
        ("平均每班人数在45人以下", "<="),
        ("召开专题班会15000余场", ">="),
        ("培训注册2700多所学校", ">="),
        ("完成近700门课程", "<="),
        ("投入约1.5亿元", "="),
        ("中职教育在校生稳定在3.8万人左右", "="),
        ("优良率增加2个百分点", "delta+"),
        ("比上一年度提高6个百分点", "delta+"),
        ("年度招生比上一年度增加3039人", "delta+"),
        ("总体近视率每年下降1%以上", "delta-"),
        ("辍学人数减少200人", "delta-"),
        ("学位提高到5000个", "="),
        ("市级儿童青少年近视防控示范学校50所", "="),
        ("空置率不足5%", "<"),
        ("每班至多45人", "<="),
    ],
)
def test_comparators(text, cmp):
    assert q1(text).comparator == cmp


# -- role ------------------------------------------------------------------------------------


def test_role_default_and_current_situation():
    assert q1("新建幼儿园5所").role == "target"
    assert q1("新建幼儿园5所", role="actual").role == "actual"
    qs = extract_quantities("针对全市23个未开工项目、50个在建项目，加快推进", item="1", role="target")
    assert [(q.value, q.role) for q in qs] == [(23, "actual"), (50, "actual")]
    assert q1("截至目前，已建成智慧校园80所").role == "actual"
    qs = extract_quantities("现有幼儿园120所，在园幼儿3.5万人。今年新建幼儿园10所", item="1", role="target")
    assert [q.role for q in qs] == ["actual", "actual", "target"]


def test_comparison_base_is_not_a_fact():
    assert q1("招生人数比去年增加300人").role == "target"


# -- exclusions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "认真落实《2020年行动计划》和《三年攻坚5所示范校方案》",
        "承办第十四届运动会，实施第三期行动计划",
        "深入贯彻党的十九大和十九届三次全会精神",
        "2024年全市教育工作要点",
        "紧紧围绕“12991”工作思路，落实“1+6”工作机制",
        "实施“三名”工程，确保“两个只增不减”，增强“四个意识”",
        "突出两项重点工作，强力推进九项工程，打赢三大战役",
        "电话：0312-5551234，邮编071000",
        "根据冀教发〔2021〕3号文件精神",
        "统一配备，唯一一次，新一轮改革，每一位教师",
        "做到不漏一人，实行一人一档、一次性发放",
        "建设5G网络",
        "开通24小时心理热线",
        "新增5个学科进入ESI学科排名世界前1%",
        "新增幼儿园2-3岁托班",
        "庆祝新中国成立70周年",
        "实施千人计划，开展百名校长培训",
        "进入全国前10名",
        "打赢一场教育攻坚战",
        "作为一名人民教师",
        "5个工作日内办结",
    ],
)
def test_not_quantities(text):
    got = [(q.value, q.unit) for q in extract_quantities(text, item="1", role="target")]
    assert all(u not in ("年", "届", "期") for _, u in got)
    if "ESI" in text:
        assert got == [(5, "个")]
    else:
        assert got == []


def test_quoted_slogan_vs_quoted_sentence():
    assert vals("8所学校进入省“120所质量提升工程”项目校序列") == [(8, "所")]
    assert vals("完成省“县以上城市至少建有一所老年大学”的目标任务") == [(1, "所")]


def test_list_label_is_not_a_quantity():
    assert vals("1.全面完成年度工作任务") == []
    assert vals("(3)加强师德师风建设") == []


# -- shared figures and indicators ---------------------------------------------------------


def test_one_figure_shared_by_several_indicators():
    qs = extract_quantities("课后服务学校覆盖率、学生有意愿参与率100%", item="1", role="target")
    assert [q.indicator for q in qs] == ["课后服务学校覆盖率", "学生有意愿参与率"]
    qs = extract_quantities("注册率和参与度达到两个100%", item="1", role="actual")
    assert [(q.indicator, q.value) for q in qs] == [("注册率", 100), ("参与度", 100)]
    qs = extract_quantities(
        "安保人员配备率、封闭化管理、一键报警和视频监控系统配备率达到“三个100%”", item="1", role="actual"
    )
    assert len(qs) == 3 and qs[2].indicator == "一键报警和视频监控系统配备率"
    qs = extract_quantities("中小学和幼儿园分别达到100所以上", item="1", role="actual")
    assert [(q.indicator, q.comparator) for q in qs] == [("中小学", ">="), ("幼儿园", ">=")]


def test_each_distributes_over_its_subjects():
    qs = extract_quantities("落实学生每天校内校外各1小时体育活动", item="1", role="target")
    assert [(q.indicator, q.value) for q in qs] == [("学生每天校内体育活动", 1), ("学生每天校外体育活动", 1)]
    qs = extract_quantities("城区和农村学校各建设2所示范校", item="1", role="target")
    assert [q.indicator for q in qs] == ["城区示范校", "农村学校示范校"]


def test_idiom_one_x_one_y_is_not_an_amount():
    assert vals("开展“一师一优课、一课一名师”活动") == []


def test_listed_values_pair_with_listed_indicators():
    qs = extract_quantities("教师和学生家用带宽分别提速到500兆和200兆", item="1", role="actual")
    assert [(q.indicator, q.value) for q in qs] == [("教师", 500), ("学生家用带宽", 200)]


def test_several_parts_of_one_item_keep_rate_lists_together():
    qs = extract_quantities("思政课、学科思政课、班会课600节", item="1", role="target")
    assert len(qs) == 1 and qs[0].value == 600


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("学前三年毛入园率达到93.5%", "学前三年毛入园率"),
        ("课后服务覆盖率保持100%", "课后服务覆盖率"),  # 保持 is a comparator word, like 达到
        ("义务教育巩固率维持在99%", "义务教育巩固率"),
        ("学生保持率达到95%", "学生保持率"),  # but not inside a noun
        ("新建、改扩建36所幼儿园", "新建、改扩建幼儿园"),
        ("创建5所省级示范性幼儿园", "省级示范性幼儿园"),
        ("全年教育经费投入达到294.4亿元", "教育经费投入"),
        ("至少配备1名专职心理健康教师", "专职心理健康教师"),
        ("每两周1次心理健康课程", "心理健康课程"),
        ("举办党员示范培训活动3期", "党员示范培训活动"),
    ],
)
def test_indicator(text, indicator):
    assert q1(text).indicator == indicator


def test_text_is_a_verbatim_span():
    s = "加快项目建设。全市新建幼儿园5所，学前三年毛入园率达到93.5%以上。"
    for q in extract_quantities(s, item="三/17", role="target"):
        assert q.text in s and q.item == "三/17"
    assert [q.text for q in extract_quantities(s, item="x", role="target")][
        1
    ] == "学前三年毛入园率达到93.5%以上"


def test_figure_repeated_in_title_and_body_counts_once():
    s = "完成两次赴石家庄接返任务\n我局圆满完成两次赴石家庄接返任务，累计历时45个小时"
    got = vals(s, role="actual")
    assert got.count((2, "次")) == 1 and (45, "个小时") in got


# -- seed sentences ------------------------------------------------------------------------


def test_seed_sentence_plan_2024():
    s = (
        "学前三年毛入园率达到94.5%以上,普惠性幼儿园覆盖率达到89%,公办幼儿园在园幼儿占比达58%。"
        "义务教育阶段入学率保持100%,巩固率达到98%。普通高中招生人数达到9.5万人。"
    )
    got = [(q.value, q.unit, q.comparator) for q in extract_quantities(s, item="一/1", role="target")]
    assert got == [
        (94.5, "%", ">="),
        (89, "%", "="),
        (58, "%", "="),
        (100, "%", "="),
        (98, "%", "="),
        (9.5, "万人", "="),
    ]


def test_seed_sentence_report_placeholders():
    s = "全市五年累计投入资金x亿元,校舍类项目开工面积x万平方米,开工率x%,竣工面积x万平方米"
    qs = extract_quantities(s, item="三/一", role="actual")
    assert [(q.unit, q.placeholder) for q in qs] == [
        ("亿元", True),
        ("万平方米", True),
        ("%", True),
        ("万平方米", True),
    ]
    assert all(q.role == "actual" for q in qs)


@pytest.mark.parametrize("junk", ["一" * 20000, "1" * 20000, "1:" * 10000, "1.1" * 5000, "x" * 20000])
def test_long_runs_stay_linear(junk):
    import time

    t = time.perf_counter()
    extract_quantities(junk, item="", role="target")
    assert time.perf_counter() - t < 1.0


def test_full_width_text_stays_verbatim():
    s = "学前三年毛入园率达到９５％，职普比４：６"
    qs = extract_quantities(s, item="1", role="target")
    assert [(q.value, q.unit) for q in qs] == [(95, "%"), (0.6667, "比")]
    assert all(q.text in s for q in qs)


def test_figures_listed_before_a_unit_share_it() -> None:
    from duban.plan.quantities import extract_quantities

    qs = extract_quantities("维修和改造资金分别投入31、27.4万元。", item="三", role="actual")
    assert [(q.value, q.unit) for q in qs] == [(31, "万元"), (27.4, "万元")]
    assert 1 not in [q.value for q in extract_quantities("获评第1、2名", item="1", role="actual")]  # ranks
