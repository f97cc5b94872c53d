"""Contract documents: the templates of `contracts/` → HTML (the preview) → PDF
(WeasyPrint, through the fetcher of app/core/pdf.py that serves nothing but `contracts/`).

The same contract and template version give the same bytes: the PDF's dates come from the
contract (see context.document_date), its file identifier from the contract number,
amendment and template version, and nothing reads the clock. The SHA-256 of the bytes
therefore identifies a document.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.contracts.document.context import Label, document_context
from app.core.pdf import restricted_fetcher

CONTRACTS = Path(__file__).resolve().parents[3] / "contracts"
MANIFEST = "templates.json"


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    sha256: str
    template_name: str
    template_version: str
    pages: int


@cache
def environment(root: Path = CONTRACTS) -> Environment:
    """One Jinja environment over `contracts/`, apart from the app's: autoescape for every
    file (a contract template is HTML whatever its name), undefined names are errors so a
    misspelt key fails the rendering instead of printing nothing in a legal text."""
    return Environment(loader=FileSystemLoader(root), undefined=StrictUndefined,
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True)


def manifest(root: Path = CONTRACTS) -> dict:
    """contracts/templates.json: per template name, its version and a file per language."""
    return json.loads((root / MANIFEST).read_text(encoding="utf-8"))


def template_for(contract, root: Path = CONTRACTS) -> tuple[str, str, str]:
    """(template name, version, file) for the contract's template and language."""
    entries = manifest(root)
    name = contract.template if contract.template in entries else "ambassador"
    entry = entries[name]
    files = entry["files"]
    return name, entry["version"], files.get(contract.language) or files["fr"]


def template_label(name: str, language: str, root: Path = CONTRACTS) -> str:
    """The template's name in `language` (templates.json "names"), printed on the
    document; its code when the manifest gives none."""
    entry = manifest(root).get(name) or {}
    names = entry.get("names") or {}
    return names.get(language) or names.get("en") or name


def render_html(contract, label: Label, stylesheet: str = "contract.css",
                logo: str | None = None) -> str:
    """The whole HTML document; `label` names stored codes in the contract's language;
    `stylesheet` is the URL of contracts/contract.css as the reader will fetch it (relative
    to `contracts/` for the PDF, a route for a web page); `logo` the brand's logo as a
    data: URI."""
    name, version, file = template_for(contract)
    context = document_context(contract, label, name, version,
                               template_label(name, contract.language or "fr"), logo)
    return environment().get_template(file).render(**context, stylesheet=stylesheet)


def _pdf_identifier(contract, version: str) -> bytes:
    key = f"{contract.number}|{contract.amendment}|{version}".encode()
    return hashlib.sha256(key).hexdigest()[:32].encode()


def serving_images(fetcher, images: Iterable[str]):
    """`fetcher`, which also serves the data: URIs of `images` (the app's own, built from
    bytes it checked and re-encoded: the brand's logo) and still refuses any other data:
    URI a document may hold."""
    from weasyprint.urls import URLFetcherResponse

    known = {uri for uri in images if uri}
    fetch = fetcher.fetch

    def fetch_known(url: str, headers=None):
        if url not in known:
            return fetch(url, headers)
        head, _comma, body = url.partition(",")
        kind = head.removeprefix("data:").split(";")[0]
        return URLFetcherResponse(url, base64.b64decode(body), {"Content-Type": kind})

    fetcher.fetch = fetch_known
    return fetcher


def html_to_pdf(html: str, identifier: bytes, asked=None,
                images: Iterable[str] = ()) -> tuple[bytes, int]:
    """The PDF of a contract-folder HTML document and its page count; relative URLs
    resolve inside `contracts/`, which is all the fetcher serves, with `images`."""
    from weasyprint import HTML

    fetcher = serving_images(restricted_fetcher(CONTRACTS, asked), images)
    document = HTML(string=html, base_url=CONTRACTS.as_uri() + "/",
                    url_fetcher=fetcher).render()
    return document.write_pdf(pdf_identifier=identifier), len(document.pages)


def render_pdf(contract, label: Label, asked=None, logo: str | None = None) -> RenderedDocument:
    """The contract's PDF; `asked` (tests) hears every URL WeasyPrint wanted to fetch but
    the logo's."""
    name, version, _file = template_for(contract)
    pdf, pages = html_to_pdf(render_html(contract, label, logo=logo),
                             _pdf_identifier(contract, version), asked, [logo] if logo else [])
    return RenderedDocument(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
                            template_name=name, template_version=version, pages=pages)
