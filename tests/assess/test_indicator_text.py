from duban.assess.indicator_text import normalize, similarity, units_compatible


def test_time_scope_and_verbs_are_stripped():
    assert normalize("到2020年大班额比例") == "大班额比例"
    assert normalize("全市学前三年毛入园率") == "学前三年毛入园率"
    assert normalize("截至目前市级文明校园") == "市级文明校园"
    assert normalize("义务教育阶段入学率保持") == "义务教育阶段入学率"
    assert normalize("确保普惠性资源覆盖率") == "普惠性资源覆盖率"
    assert normalize("随迁子女就读比例一直") == "随迁子女就读比例"
    assert normalize("学前三年毛入园率比上一年度") == "学前三年毛入园率"
    assert normalize("教育经费投入同比") == "教育经费投入"  # 同比增长4.8% is a change of the same indicator
    assert normalize("教育经费投入与上年相比") == "教育经费投入"
    assert normalize("义务教育巩固率超出全省平均水平") == "义务教育巩固率"
    assert normalize("新建、改扩建幼儿园") == "新建改扩建幼儿园"
    assert normalize("“双师型”教师比例") == "双师型教师比例"
    # never below two characters
    assert normalize("全市") == "全市"


def test_same_head_required():
    assert similarity("学前三年毛入园率", "高中阶段毛入学率") < 80  # 入园率 is not 入学率
    assert similarity("义务教育阶段大班额比例", "大班额比例") >= 90  # a qualified form
    assert similarity("覆盖率", "普惠性幼儿园覆盖率") < 80  # a bare head says too little
    assert similarity("原建档立卡学生巩固率", "义务教育巩固率") < 80


def test_units():
    assert units_compatible("名", "人") and units_compatible("%", "个百分点") and units_compatible("", "所")
    assert not units_compatible("%", "所")
