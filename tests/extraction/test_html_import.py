import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from extraction.html_import import UnreadableArticle, read_saved_page, read_upload

PAGE = Path(__file__).parent / "fixtures" / "saved_page.html"


def test_saved_page_gives_main_text_and_metadata():
    article = read_saved_page(PAGE.read_bytes())
    assert article.title == "Observers head north as talks resume"
    assert article.publisher == "The Baltic Ledger"
    assert article.author == "Mira Castell"
    assert article.published_on == datetime.date(2023, 3, 14)
    assert "Norway and Denmark recently decided" in article.text
    assert "“We came to listen,”" in article.text


def test_saved_page_leaves_navigation_and_footer_out():
    text = read_saved_page(PAGE.read_bytes()).text
    assert "Subscribe" not in text
    assert "All rights reserved" not in text
    assert "recipes" not in text


def test_reading_a_saved_page_fetches_nothing(monkeypatch):
    """Links to scripts and styles in the page are never requested."""
    import urllib3

    def refuse(*args, **kwargs):
        raise AssertionError("the import tried to fetch a URL")

    monkeypatch.setattr(urllib3.PoolManager, "request", refuse)
    monkeypatch.setattr(urllib3.PoolManager, "urlopen", refuse)
    assert read_saved_page(PAGE.read_bytes()).title


def test_text_upload_keeps_the_text_and_takes_the_first_line_as_title():
    upload = SimpleUploadedFile("report.md", b"# Talks resume\n\nThe envoys met.")
    article = read_upload(upload)
    assert article.title == "Talks resume"
    assert article.text.endswith("The envoys met.")


def test_other_file_types_are_refused_with_a_message():
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4")
    with pytest.raises(UnreadableArticle, match=r"\.txt, \.md or \.html"):
        read_upload(upload)


def test_page_without_text_is_refused():
    with pytest.raises(UnreadableArticle):
        read_saved_page(b"<html><head><title>Empty</title></head><body></body></html>")
