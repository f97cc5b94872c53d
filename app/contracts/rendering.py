"""The contract document rendered in the contract's language: the plain-Python renderer
(app/contracts/document) given the app's labels of stored codes, translated in that language."""

from __future__ import annotations

from flask_babel import force_locale

from app.contracts.document import render
from app.contracts.document.render import RenderedDocument
from app.i18n.labels import label


def render_html(contract, stylesheet: str = "contract.css") -> str:
    with force_locale(contract.language or "fr"):
        return render.render_html(contract, label, stylesheet)


def render_pdf(contract, asked=None) -> RenderedDocument:
    with force_locale(contract.language or "fr"):
        return render.render_pdf(contract, label, asked)
