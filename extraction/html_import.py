"""Reading an uploaded article: plain text, Markdown, or a saved web page.

A saved page goes through trafilatura, which keeps the main text and reads the title,
site name, author and date from the page itself. It is handed the page's bytes, never
an address, so nothing is fetched.
"""

import datetime
from dataclasses import dataclass

import trafilatura

HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class UnreadableArticle(ValueError):
    pass


@dataclass
class ImportedArticle:
    text: str
    title: str = ""
    publisher: str = ""
    author: str = ""
    published_on: datetime.date | None = None
    url: str = ""


def _decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_saved_page(html):
    """The main text and metadata of a saved page (``str`` or ``bytes``)."""
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None or not (document.text or "").strip():
        raise UnreadableArticle("No article text was found in this page.")
    text = document.text.strip()
    title = (document.title or "").strip()
    # trafilatura repeats the headline as the text's first line.
    first_line, _, rest = text.partition("\n")
    if title and first_line.strip() == title and rest.strip():
        text = rest.strip()
    published_on = None
    if document.date:
        try:
            published_on = datetime.date.fromisoformat(document.date[:10])
        except ValueError:
            published_on = None
    url = document.url or ""
    return ImportedArticle(
        text=text.replace("\n", "\n\n"),
        title=title,
        publisher=(document.sitename or "").strip(),
        author=(document.author or "").strip(),
        published_on=published_on,
        url=url if url.startswith(("http://", "https://")) else "",
    )


def read_upload(upload):
    """An uploaded ``.txt``, ``.md`` or ``.html`` file as an article."""
    name = (upload.name or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise UnreadableArticle("The file is larger than 2 MB.")
    data = upload.read()
    if name.endswith(HTML_SUFFIXES):
        return read_saved_page(data)
    if name.endswith(TEXT_SUFFIXES):
        text = _decode(data).replace("\r\n", "\n").strip()
        if not text:
            raise UnreadableArticle("The file is empty.")
        first_line = text.split("\n", 1)[0].lstrip("# ").strip()
        return ImportedArticle(text=text, title=first_line[:300])
    raise UnreadableArticle("Upload a .txt, .md or .html file.")
