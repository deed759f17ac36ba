import pytest
from django.utils.safestring import SafeString

from annotations.markup import render_body


def test_markdown_renders_emphasis_lists_and_safe_links():
    html = render_body(
        "**Key** point\n\n- one\n- [two](https://example.org)", "markdown"
    )
    assert "<strong>Key</strong>" in html
    assert "<li>one</li>" in html
    assert (
        '<a href="https://example.org" rel="noopener noreferrer nofollow">two</a>'
        in html
    )


def test_plain_text_keeps_line_breaks_and_escapes_markup():
    html = render_body("a <b>\nc", "plain")
    assert html == "<p>a &lt;b&gt;<br>c</p>"
    assert isinstance(html, SafeString)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "![x](javascript:alert(1))",
        "![x](https://tracker.example/pixel.png)",
        "<img src=x onerror=alert(1)>",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src=https://example.org></iframe>",
    ],
)
def test_markdown_output_is_sanitised(body):
    html = render_body(body, "markdown").lower()
    for needle in ("<script", "javascript:", "<img", "onerror", "onclick", "<iframe"):
        assert needle not in html
