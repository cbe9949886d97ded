from episodes.diff import fold_unchanged, transcript_diff


def test_changed_paragraph_is_compared_character_by_character():
    rows = transcript_diff(
        "第一段。\n\n商汤科技裁员了。\n\n第三段。", "第一段。\n\n商汤集团裁员了。\n\n第三段。"
    )

    assert rows == [
        ("same", "第一段。"),
        ("changed", "商汤<del>科技</del><ins>集团</ins>裁员了。"),
        ("same", "第三段。"),
    ]


def test_added_and_removed_paragraphs():
    rows = transcript_diff("甲\n\n乙", "甲\n\n丙\n\n丁")

    assert rows == [("same", "甲"), ("changed", "<del>乙</del><ins>丙</ins>"), ("added", "<ins>丁</ins>")]
    assert transcript_diff("甲\n\n乙", "甲") == [("same", "甲"), ("removed", "<del>乙</del>")]


def test_markup_in_the_text_is_escaped():
    rows = transcript_diff("<b>旧</b>", "<script>新</script>")

    html = rows[0][1]
    assert "<script" not in html and "<b>" not in html
    assert html.startswith("&lt;<del>b</del><ins>script</ins>&gt;")


def test_unchanged_paragraphs_far_from_a_change_are_folded():
    old = "\n\n".join(f"第{i}段" for i in range(10))
    new = old.replace("第5段", "第五段")

    rows = fold_unchanged(transcript_diff(old, new))

    assert rows == [
        ("folded", "…… 4 段未改动"),
        ("same", "第4段"),
        ("changed", "第<del>5</del><ins>五</ins>段"),
        ("same", "第6段"),
        ("folded", "…… 3 段未改动"),
    ]
