from annotations.anchoring import anchor, find_passage, highlight, passage_at

TEXT = "Talks in Paris. Talks in Geneva went well. Talks in Paris resumed."


def test_offsets_are_used_when_they_still_fit():
    assert anchor(TEXT, exact="Talks in Paris", start=43) == (43, 57)


def test_context_picks_the_right_occurrence_when_offsets_no_longer_fit():
    edited = "Update. " + TEXT
    span = anchor(edited, exact="Talks in Paris", prefix="went well. ", start=43)
    assert edited[span[0] : span[1]] == "Talks in Paris"
    assert edited[span[0] - 11 : span[0]] == "went well. "


def test_nearest_occurrence_wins_without_context():
    assert anchor(TEXT, exact="Talks in Paris", start=40) == (43, 57)


def test_whitespace_and_quote_style_differences_still_match():
    text = "He said “we want\ncalm” today."
    span = anchor(text, exact='said "we want calm"')
    assert text[span[0] : span[1]] == "said “we want\ncalm”"


def test_missing_words_resolve_to_none():
    assert anchor(TEXT, exact="Talks in Berlin") is None
    assert anchor(TEXT, exact="") is None


def test_passage_keeps_context_either_side():
    passage = passage_at(TEXT, 16, 31)
    assert passage.exact == "Talks in Geneva"
    assert passage.prefix == "Talks in Paris. "
    assert passage.suffix == " went well. Talks in Paris resum"


def test_find_passage_returns_the_text_as_printed():
    passage = find_passage(TEXT, exact="Talks  in\nGeneva")
    assert passage.exact == "Talks in Geneva"


def test_highlight_escapes_text_and_marks_spans():
    html = highlight("a <b> c", [(2, 5, 7)])
    assert (
        html
        == 'a <mark class="annotation-mark" data-annotations="annotation-7">&lt;b&gt;</mark> c'
    )


def test_highlight_merges_overlapping_spans_into_well_nested_marks():
    html = highlight("abcdef", [(0, 4, 1), (2, 6, 2)])
    assert html == (
        '<mark class="annotation-mark" data-annotations="annotation-1">ab</mark>'
        '<mark class="annotation-mark" data-annotations="annotation-1 annotation-2">'
        "cd</mark>"
        '<mark class="annotation-mark" data-annotations="annotation-2">ef</mark>'
    )


def test_highlight_without_spans_is_escaped_text():
    assert highlight("<i>", []) == "&lt;i&gt;"
