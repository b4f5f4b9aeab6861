from duban.plan.spans import inside, title_spans


def test_title_spans_and_inside() -> None:
    text = "学习《规划》，落实《3年行动计划》5所"
    spans = title_spans(text)
    assert [text[a:b] for a, b in spans] == ["《规划》", "《3年行动计划》"]
    assert inside(text.index("3年"), spans)
    assert not inside(text.index("5所"), spans)
    assert not inside(text.index("《"), spans)  # the bracket itself is not inside
    assert not inside(0, []) and title_spans("没有书名") == []
