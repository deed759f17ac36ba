from crisis.text import locate, normalise_for_matching, occurs_verbatim


def test_normalise_folds_typographic_quotes_and_whitespace():
    assert normalise_for_matching("  “Total”\n\n unity ’s ") == '"Total" unity \'s'


def test_occurs_verbatim_accepts_straight_quotes_for_curly_ones():
    assert occurs_verbatim('said "hysteria"', "The Kremlin said “hysteria” today.")


def test_occurs_verbatim_rejects_changed_words_and_empty_excerpts():
    assert not occurs_verbatim("said panic", "The Kremlin said “hysteria” today.")
    assert not occurs_verbatim("   ", "anything")


def test_ellipsis_matches_three_dots():
    assert occurs_verbatim("about ... reassuring", "This is about … reassuring allies")


def test_locate_returns_offsets_into_the_original_text():
    text = "Intro.\n\n“We  want calm,” he said."
    start, end = locate('"We want calm,"', text)
    assert text[start:end] == "“We  want calm,”"
    assert locate("not there", text) is None
