"""A brand's logo as uploaded, checked by its content and made safe to store and show.

PNG and JPEG are recognised by their first bytes (never the file's name or the browser's
type), refused before decoding when the header announces a decompression bomb, then
decoded in full and re-encoded by Pillow: no metadata survives, and what is stored is
proven to decode. An SVG is parsed by defusedxml (no DTD, so no entity and no XML bomb),
refused when it holds a script, an event handler or a reference to anything outside
itself, and rasterised to PNG by cairosvg in its safe mode, in a child process with
limits (svg_raster.py): no SVG is stored or served.
"""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from app.brands import svg_raster
from app.core.errors import ServiceError

LOGO_MAX = 2 * 1024 * 1024
PIXELS_MAX = 25_000_000  # a 5 000 × 5 000 logo; a bigger header is a decompression bomb
SIDE_MAX = 1200  # the stored logo's longest side: sharp at the size a cover prints it
SVG_ELEMENTS_MAX = 20_000
WALL_SECONDS = 15  # the child's processor limit (svg_raster.CPU_SECONDS) comes first
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the `app` package
MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
MIMETYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Elements that run or embed another document; an SVG holding one is refused.
ACTIVE = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Logo:
    content: bytes
    mimetype: str
    width: int
    height: int

    def describe(self) -> str:
        """"PNG, 120 × 60 px": what the audit trail records instead of the bytes."""
        kind = self.mimetype.removeprefix("image/").upper()
        return f"{kind}, {self.width} × {self.height} px" if self.width else kind


def read_logo(content: bytes) -> Logo:
    """The logo to store for an uploaded file, or a ServiceError saying why not."""
    if not content:
        raise ServiceError(_("The file is empty."))
    if len(content) > LOGO_MAX:
        raise ServiceError(_("The file is too large (limit: %(mb)d MB).",
                             mb=LOGO_MAX // (1024 * 1024)))
    for magic, kind in MAGIC.items():
        if content.startswith(magic):
            return _bitmap(content, kind)
    if _svg_root(content) is not None:
        return _rasterised(content)
    raise ServiceError(_("This file is not a PNG, JPEG or SVG image."))


def stored_logo(content: bytes, mimetype: str) -> Logo:
    """A stored logo with its size read from its header (0 × 0 when it cannot be read)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            return Logo(content, mimetype, image.width, image.height)
    except Exception:  # noqa: BLE001 - only for the audit's description
        return Logo(content, mimetype, 0, 0)


def data_uri(content: bytes, mimetype: str) -> str:
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"


# --- PNG and JPEG ---------------------------------------------------------------------

def _bitmap(content: bytes, kind: str) -> Logo:
    from PIL import Image

    too_large = _("This image is too large (%(mp)d megapixels at most).",
                  mp=PIXELS_MAX // 1_000_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[kind]) as image:
                if image.width * image.height > PIXELS_MAX:
                    raise ServiceError(too_large)
                image.verify()  # checksums, before decoding anything
            with Image.open(io.BytesIO(content), formats=[kind]) as image:
                image.load()
                return _reencoded(image, kind)
    except ServiceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ServiceError(too_large) from None
    except Exception:  # noqa: BLE001 - a hostile file can break a decoder in many ways
        raise ServiceError(_("This image cannot be read (damaged or incomplete file): "
                             "export it again as PNG, JPEG or SVG.")) from None


def _reencoded(image, kind: str) -> Logo:
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    if kind == "JPEG":
        image = image.convert("RGB")
    else:
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    image.thumbnail((SIDE_MAX, SIDE_MAX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        image.save(out, format="JPEG", quality=90)
    else:
        image.save(out, format="PNG", optimize=True)
    return Logo(out.getvalue(), MIMETYPES[kind], image.width, image.height)


# --- SVG --------------------------------------------------------------------------------

def _svg_root(content: bytes):
    """The parsed root when the file is an SVG document, else None; refuses a DTD (entity
    expansion, external entities) with its own message."""
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as SafeTree

    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE", b"<!doctype")):
        return None
    try:
        root = SafeTree.fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise ServiceError(_("This SVG declares a DTD or entities, which are refused: "
                             "export it again without them.")) from None
    except Exception:  # noqa: BLE001 - malformed XML, bad encodings, deep nesting
        return None
    return root if root.tag in (f"{SVG}svg", "svg") else None


def _refusal(root) -> str | None:
    """Why an SVG may not be drawn: a script, an event handler, or a reference outside
    the file (a URL, a file, even an embedded image: only `#id` is allowed)."""
    for count, element in enumerate(root.iter()):
        if count > SVG_ELEMENTS_MAX:
            return _("This SVG is too complex to be drawn: simplify it, or upload a PNG "
                     "or JPEG.")
        name = str(element.tag).rsplit("}", 1)[-1]
        if name in ACTIVE:
            return _("This SVG contains a script or an embedded document: it is refused.")
        texts = [element.text or ""] if name == "style" else []
        for key, value in element.attrib.items():
            attribute = key.rsplit("}", 1)[-1].lower()
            if attribute.startswith("on"):
                return _("This SVG contains a script or an embedded document: it is refused.")
            if key in ("href", XLINK_HREF) and not value.strip().startswith("#"):
                return _("This SVG refers to an image or address outside itself: it is "
                         "refused.")
            texts.append(value)
        for text in texts:
            if "@import" in text.lower() or any(
                    not target.startswith("#") for target in _URL.findall(text)):
                return _("This SVG refers to an image or address outside itself: it is "
                         "refused.")
    return None


def _rasterised(content: bytes) -> Logo:
    problem = _refusal(_svg_root(content))
    if problem:
        raise ServiceError(problem)
    too_complex = _("This SVG is too complex to be drawn: simplify it, or upload a PNG or "
                    "JPEG.")
    unreadable = _("This SVG cannot be drawn: export it again, or upload a PNG or JPEG.")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [_ROOT, os.environ.get("PYTHONPATH")]))}
    try:
        child = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable or "python3", "-m", "app.brands.svg_raster", str(SIDE_MAX)],
            input=content, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=environment, timeout=WALL_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ServiceError(too_complex) from None
    except OSError:
        raise ServiceError(unreadable) from None
    if child.returncode == svg_raster.NO_SIZE:
        raise ServiceError(_("This SVG has no size: give it a width and a height or a "
                             "viewBox."))
    if child.returncode < 0:  # ended by its limits (SIGXCPU, SIGKILL)
        raise ServiceError(too_complex)
    if child.returncode != 0 or not child.stdout.startswith(b"\x89PNG"):
        raise ServiceError(unreadable)
    return _bitmap(child.stdout, "PNG")
