"""The report PDF, read back with poppler: a cover page first (the brand's logo, the
campaign, its brand and period, the day it was made, in the reader's language), and one
page size for every page."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import pytest
from babel.dates import format_date
from PIL import Image
from pypdf import PdfReader

from app.brands.logo import data_uri, read_logo
from app.brands.service import set_logo
from app.campaigns.report import output
from app.extensions import db as _db
from tests import factories


def png(size=(300, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#4f46e5").save(out, format="PNG")
    return out.getvalue()


def poppler(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, check=True).stdout.decode()  # noqa: S603


def page_text(path, page: int) -> str:
    text = poppler("pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-")
    return re.sub(r"\s+", " ", text)


def images(path) -> list[tuple[int, int, int]]:
    """(page, width, height) of each image embedded (pdfimages -list)."""
    found = []
    for line in poppler("pdfimages", "-list", str(path)).splitlines()[2:]:
        cells = line.split()
        if cells[2] == "image":  # not the soft masks of transparent images
            found.append((int(cells[0]), int(cells[3]), int(cells[4])))
    return found


def page_sizes(data: bytes) -> set[tuple[int, int]]:
    return {(round(float(page.mediabox.width)), round(float(page.mediabox.height)))
            for page in PdfReader(io.BytesIO(data)).pages}


def fetch_pdf(client, campaign, tmp_path):
    response = client.get(f"/campaigns/{campaign.id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    return response.data, path


@pytest.mark.slow
def test_cover_with_logo_then_one_page_size(viewer_client, small, tmp_path):
    set_logo(small.campaign.brand, read_logo(png()))
    data, path = fetch_pdf(viewer_client, small.campaign, tmp_path)
    cover = page_text(path, 1)
    today = format_date(date.today(), "long", locale="en")
    for expected in ("CAMPAIGN REPORT", "Printemps vélo", "Cyclo Paris",
                     "Period March 1, 2026 – March 31, 2026", f"Produced on {today} by Relais."):
        assert expected in cover, (expected, cover)
    assert "Key figures" not in cover and "Key figures" in page_text(path, 2)
    assert (1, 300, 100) in images(path)  # the logo, on the cover
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert pages >= 3
    sizes = page_sizes(data)
    assert len(sizes) == 1, sizes  # the wide participant table no longer turns its pages
    (width, height), = sizes
    assert (width, height) == (842, 595)  # A4 landscape, in points


@pytest.mark.slow
def test_cover_in_french_without_logo(client_as, small, tmp_path):
    reader = client_as(factories.make_user("viewer", locale="fr"))
    small.campaign.starts_on, small.campaign.ends_on = date(2026, 4, 1), None
    _db.session.commit()
    _data, path = fetch_pdf(reader, small.campaign, tmp_path)
    cover = page_text(path, 1)
    today = format_date(date.today(), "long", locale="fr")
    for expected in ("RAPPORT DE CAMPAGNE", "Printemps vélo", "Cyclo Paris",
                     "Période À partir du 1 avril 2026", f"Généré le {today} par Relais."):
        assert expected in cover, (expected, cover)
    assert images(path) == []


def test_report_page_shows_the_logo(viewer_client, small):
    page = viewer_client.get(f"/campaigns/{small.campaign.id}/report").get_data(as_text=True)
    assert 'class="report-logo"' not in page
    set_logo(small.campaign.brand, read_logo(png()))
    page = viewer_client.get(f"/campaigns/{small.campaign.id}/report").get_data(as_text=True)
    assert f'src="/brands/{small.campaign.brand.id}/logo?v=' in page
    assert 'alt="Logo of Cyclo Paris"' in page


@pytest.mark.slow
def test_only_the_logo_is_served_among_data_uris(tmp_path):
    logo = read_logo(png((40, 20)))
    uri, other = data_uri(logo.content, logo.mimetype), data_uri(png((30, 30)), "image/png")
    pdf = output.render_pdf(f'<html><body><img src="{uri}"><img src="{other}"></body></html>',
                            uri)
    path = tmp_path / "two.pdf"
    path.write_bytes(pdf)
    assert [(width, height) for _page, width, height in images(path)] == [(40, 20)]
