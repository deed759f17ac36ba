"""Turning an analyst's note into safe HTML.

Markdown may contain raw HTML and links of any scheme, so its output always goes through
nh3, an allow-list sanitiser: no scripts, no event handlers, no images, and links only
to http(s) and mailto.
"""

import markdown
import nh3
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_body(body, body_format):
    """HTML for a note: plain text keeps its line breaks, Markdown is sanitised."""
    if body_format == "markdown":
        html = markdown.markdown(body or "", extensions=["sane_lists"])
        return mark_safe(sanitise_html(html))  # noqa: S308 - sanitised by nh3
    return mark_safe(linebreaks(body or "", autoescape=True))  # noqa: S308 - escaped
