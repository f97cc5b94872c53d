"""The contracts' tests: a PDF read back as text, page by page (documents, sealed signed
copies, scans)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


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
