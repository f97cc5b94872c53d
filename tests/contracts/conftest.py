"""The contracts' tests: a PDF read back as text, page by page (documents, sealed signed
copies, scans), and the pages' HTML and text (test_pages*.py)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.extensions import db


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split())
            for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture()
def pdf_pages():
    """Each page's text, white space folded to single spaces (a value may wrap across
    lines): `pdf_pages(content)[-1]` is the last page."""
    return _pages


@pytest.fixture()
def pdf_text():
    """The whole PDF's text, white space folded to single spaces."""
    return lambda pdf: " ".join(_pages(pdf))


def _html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture()
def html():
    """`html(response)`: the response's body as text."""
    return _html


def _page_text(response) -> str:
    """The page's words, tags dropped (an apostrophe is escaped in the HTML)."""
    import html as html_lib

    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", _html(response))))


@pytest.fixture()
def page_text():
    """`page_text(response)`: the page's words, tags dropped, entities unescaped."""
    return _page_text


def _fresh(record):
    """The record as the requests left it (they ran in sessions of their own)."""
    db.session.refresh(record)
    return record


@pytest.fixture()
def fresh():
    """`fresh(record)`: the record as the requests left it (sessions of their own)."""
    return _fresh
