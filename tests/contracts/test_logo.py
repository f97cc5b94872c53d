"""The brand's logo on its contracts: in the title block of the HTML preview and of the
PDF (embedded, read back with pdfimages), in French and English; a contract of a brand
without a logo renders as before; the logo is the one data: URI the PDF may read."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image

from app.brands.logo import read_logo
from app.brands.service import set_logo
from app.contracts.document.render import manifest
from app.contracts.rendering import render_html, render_pdf
from tests.factories import make_contract


def logo_png(size=(240, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#0f766e").save(out, format="PNG")
    return out.getvalue()


def embedded_images(pdf: bytes, tmp_path) -> list[tuple[int, int, int]]:
    path = tmp_path / "contract.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)],  # noqa: S603, S607
                             capture_output=True, check=True).stdout.decode()
    return [(int(cells[0]), int(cells[3]), int(cells[4]))
            for cells in (line.split() for line in listing.splitlines()[2:])
            if cells[2] == "image"]


def test_template_version_was_bumped_for_the_logo():
    assert manifest()["ambassador"]["version"] == "2026.12-2"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_preview_shows_the_logo_as_a_data_uri(db, language):
    contract = make_contract(language=language)
    assert "brand-logo" not in render_html(contract)
    set_logo(contract.brand, read_logo(logo_png()))
    html = render_html(contract)
    alt = "Logo de Maison Lumière" if language == "fr" else "Logo of Maison Lumière"
    assert '<img class="brand-logo" src="data:image/png;base64,' in html
    assert f'alt="{alt}"' in html


@pytest.mark.slow
def test_pdf_embeds_the_logo_and_fetches_nothing_else(db, tmp_path, pdf_text):
    contract = make_contract()
    plain = render_pdf(contract)
    assert embedded_images(plain.pdf, tmp_path) == []
    set_logo(contract.brand, read_logo(logo_png()))
    asked: list[str] = []
    first = render_pdf(contract, asked=asked.append)
    assert (1, 240, 80) in embedded_images(first.pdf, tmp_path)
    assert [url.rsplit("/", 1)[-1] for url in asked] == ["contract.css"]
    assert "Maison Lumière" in pdf_text(first.pdf)
    assert first.template_version == "2026.12-2"
    assert render_pdf(contract).sha256 == first.sha256  # still the same bytes every time
    assert first.sha256 != plain.sha256


def test_contract_preview_page_shows_the_logo(viewer_client, db):
    contract = make_contract()
    set_logo(contract.brand, read_logo(logo_png()))
    response = viewer_client.get(f"/contracts/{contract.id}/preview/")
    assert response.status_code == 200
    assert 'src="data:image/png;base64,' in response.get_data(as_text=True)
