"""The contract document rendered in the contract's language: the plain-Python renderer
(app/contracts/document) given the app's labels of stored codes, translated in that language,
and the brand's logo as a data: URI."""

from __future__ import annotations

from flask_babel import force_locale

from app.brands.logo import data_uri
from app.contracts.document import render
from app.contracts.document.render import RenderedDocument
from app.i18n.labels import label


def brand_logo(contract) -> str | None:
    brand = contract.brand
    if brand is None or not brand.logo_type or not brand.logo:
        return None
    return data_uri(brand.logo, brand.logo_type)


def render_html(contract, stylesheet: str = "contract.css") -> str:
    with force_locale(contract.language or "fr"):
        return render.render_html(contract, label, stylesheet, brand_logo(contract))


def render_pdf(contract, asked=None) -> RenderedDocument:
    with force_locale(contract.language or "fr"):
        return render.render_pdf(contract, label, asked, brand_logo(contract))
