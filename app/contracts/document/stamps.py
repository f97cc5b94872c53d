"""The signature blocks of the sealed copy: each block of article 16 names who signed it
and when, printed on a transparent page laid over the signed page.

The contract templates give each block's signing line an id (`sign-brand`,
`sign-influencer`, `sign-representative-1`…); WeasyPrint turns ids into the PDF's named
destinations, which say on which page and where each line is. A document without them
(an older template, a scan) is left as it is: the evidence pages still name everyone.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from app.contracts.document.render import environment, html_to_pdf

LIFT = 20.0  # points above the signing line: the blank space the block leaves to sign in


def _anchor_names(signers) -> dict[str, object]:
    """Destination name → the signer whose block it is (only those who signed)."""
    names: dict[str, object] = {}
    representatives = 0
    for signer in signers:
        if signer.role == "representative":
            representatives += 1
            name = f"sign-representative-{representatives}"
        else:
            name = f"sign-{signer.role}"
        if signer.signed_at is not None and name not in names:
            names[name] = signer
    return names


def _stamps_by_page(reader: PdfReader, signers, when) -> dict[int, list[dict]]:
    wanted = _anchor_names(signers)
    pages: dict[int, list[dict]] = {}
    for name, destination in reader.named_destinations.items():
        signer = wanted.get(str(name))
        if signer is None or destination.top is None:
            continue
        number = reader.get_destination_page_number(destination)
        height = float(reader.pages[number].mediabox.height)
        pages.setdefault(number, []).append({
            "left": round(float(destination.left or 0), 2),
            "top": round(height - float(destination.top) - LIFT, 2),
            "name": signer.name, "method": signer.method, "when": when(signer.signed_at)})
    return pages


def stamp_signatures(writer: PdfWriter, document_bytes: bytes, signers, language: str,
                     when, identifier: bytes) -> None:
    """Lay each signer's stamp over their block on the document's pages in `writer` (its
    first pages are the document's); `when` formats a signature's time."""
    reader = PdfReader(io.BytesIO(document_bytes))
    for number, stamps in sorted(_stamps_by_page(reader, signers, when).items()):
        box = reader.pages[number].mediabox
        html = environment().get_template("stamps.html").render(
            language=language, stamps=sorted(stamps, key=lambda s: (s["top"], s["left"])),
            width=round(float(box.width), 3), height=round(float(box.height), 3))
        overlay, _pages = html_to_pdf(html, identifier)
        writer.pages[number].merge_page(PdfReader(io.BytesIO(overlay)).pages[0])
