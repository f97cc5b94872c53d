"""A brand's logo: uploaded on the brand form, checked by its content (PNG, JPEG, SVG
rasterised), re-encoded, served to the team, removed, audited without its bytes; every bad
file is a clear form error that keeps the brand as it was."""

from __future__ import annotations

import io
import json
import struct
import time
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin
from sqlalchemy import select

from app.brands import service as brand_service
from app.brands.logo import SIDE_MAX, read_logo
from app.core.errors import ServiceError
from app.extensions import db as _db
from app.models import AuditEvent, Brand
from tests.factories import make_brand


def png(size=(64, 32), colour="#4f46e5", comment: str | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    if comment:
        info.add_text("Comment", comment)
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90°
    out = io.BytesIO()
    Image.new("RGB", (80, 40), "#e11d48").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header announces width × height (valid checksums) over a few bytes of
    pixels: a decompression bomb's shape."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr)
            + _chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + _chunk(b"IEND", b""))


SVG_OK = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="300" '
          b'height="100" viewBox="0 0 300 100"><defs><linearGradient id="g"><stop offset="0" '
          b'stop-color="#4f46e5"/></linearGradient></defs><rect width="300" height="100" '
          b'fill="url(#g)"/><circle cx="50" cy="50" r="40" fill="#fff"/></svg>')
XML_BOMB = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b'<text>&c;</text></svg>')
BAD_FILES = {
    "empty": (b"", "logo.png", "The file is empty."),
    "text renamed .png": (b"Hello, I am a text file.\n", "logo.png",
                          "This file is not a PNG, JPEG or SVG image."),
    "truncated png": (png((200, 200), "#123456")[:120], "logo.png", "cannot be read"),
    "huge dimensions": (png_header_only(100_000, 100_000), "logo.png", "too large"),
    "pdf renamed .jpg": (b"%PDF-1.7\n%\xe2\xe3\n", "logo.jpg", "not a PNG, JPEG or SVG"),
    "svg script": (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   b'<script>alert(1)</script></svg>', "logo.svg", "script"),
    "svg event handler": (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" '
                          b'onload="alert(1)"/>', "logo.svg", "script"),
    "svg external image": (b'<svg xmlns="http://www.w3.org/2000/svg" '
                           b'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
                           b'<image xlink:href="http://127.0.0.1:9/x.png" width="10" '
                           b'height="10"/></svg>', "logo.svg", "outside itself"),
    "svg local file": (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                       b'<image href="file:///etc/passwd" width="10" height="10"/></svg>',
                       "logo.svg", "outside itself"),
    "svg css import": (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                       b'<style>@import url(http://127.0.0.1:9/x.css);</style></svg>',
                       "logo.svg", "outside itself"),
    "svg css url": (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                    b'<rect width="10" height="10" style="fill: url(http://127.0.0.1:9/p)"/>'
                    b'</svg>', "logo.svg", "outside itself"),
    "svg xml bomb": (XML_BOMB, "logo.svg", "DTD"),
    "svg without size": (b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" '
                         b'height="1"/></svg>', "logo.svg", "no size"),
}


def upload(content: bytes, name: str = "logo.png"):
    return io.BytesIO(content), name


def stored(brand_id: int) -> tuple[bytes | None, str | None]:
    _db.session.expire_all()
    row = _db.session.execute(select(Brand.logo, Brand.logo_type)
                              .where(Brand.id == brand_id)).one()
    return row.logo, row.logo_type


def logo_events(brand_id: int) -> list[dict]:
    return [event.changes for event in _db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "brand",
                                 AuditEvent.entity_id == brand_id).order_by(AuditEvent.id))
        if "logo" in (event.changes or {})]


def edit_form(brand: Brand, **overrides) -> dict:
    data = {"name": brand.name, "version": str(brand.version), "tax_country": "",
            "sector": ""}
    data.update(overrides)
    return data


# --- good files -------------------------------------------------------------------------

def test_png_is_reencoded_without_metadata_and_served(member_client, viewer_client, db):
    response = member_client.post("/brands/new", data={
        "name": "Cyclo Paris", "tax_country": "", "sector": "",
        "logo_file": upload(png(comment="secret-comment"))},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.data
    brand = _db.session.scalar(select(Brand).where(Brand.name == "Cyclo Paris"))
    content, mimetype = stored(brand.id)
    assert mimetype == "image/png" and b"secret-comment" not in content
    assert Image.open(io.BytesIO(content)).size == (64, 32)

    page = viewer_client.get(f"/brands/{brand.id}").get_data(as_text=True)
    assert f'src="/brands/{brand.id}/logo?v=' in page
    served = viewer_client.get(f"/brands/{brand.id}/logo")
    assert served.status_code == 200 and served.data == content
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["ETag"]
    assert "private" in served.headers["Cache-Control"]  # kept by this browser only
    again = viewer_client.get(f"/brands/{brand.id}/logo",
                              headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_jpeg_loses_its_exif_and_is_turned_upright(member_client, db):
    brand = make_brand(name="Sephora")
    response = member_client.post(f"/brands/{brand.id}/edit", data={
        **edit_form(brand), "logo_file": upload(jpeg_with_exif(), "photo.PNG")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.data
    content, mimetype = stored(brand.id)
    image = Image.open(io.BytesIO(content))
    assert mimetype == "image/jpeg" and image.format == "JPEG"
    assert image.size == (40, 80)  # the orientation applied, then dropped
    assert not image.getexif() and b"SecretCam" not in content


def test_svg_is_rasterised_to_png(member_client, db):
    brand = make_brand(name="Decathlon")
    response = member_client.post(f"/brands/{brand.id}/edit", data={
        **edit_form(brand), "logo_file": upload(SVG_OK, "logo.svg")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.data
    content, mimetype = stored(brand.id)
    assert mimetype == "image/png" and content.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(content)).convert("RGB")
    assert image.size == (300, 100)
    assert image.getpixel((50, 50)) == (255, 255, 255)  # the circle was drawn
    assert b"<svg" not in content


def test_large_logos_are_scaled_down():
    logo = read_logo(png((3000, 1000)))
    assert (logo.width, logo.height) == (SIDE_MAX, 400)
    vector = read_logo(SVG_OK.replace(b'width="300" height="100"',
                                      b'width="30000" height="10000"'))
    assert (vector.width, vector.height) == (SIDE_MAX, 400)


# --- bad files ----------------------------------------------------------------------------

@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_a_form_error_and_keeps_the_brand(member_client, db, case):
    content, name, message = BAD_FILES[case]
    brand = make_brand(name="Cyclo Paris")
    brand_service.set_logo(brand, read_logo(png()))
    before = stored(brand.id)
    response = member_client.post(f"/brands/{brand.id}/edit", data={
        **edit_form(brand, name="Cyclo Lyon"), "logo_file": upload(content, name)},
        content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert 'value="Cyclo Lyon"' in page  # what was typed is shown back
    assert stored(brand.id) == before
    assert _db.session.get(Brand, brand.id).name == "Cyclo Paris"
    assert len(logo_events(brand.id)) == 1


def test_bad_file_on_a_new_brand_creates_nothing(member_client, db):
    response = member_client.post("/brands/new", data={
        "name": "Nouvelle", "tax_country": "", "sector": "",
        "logo_file": upload(BAD_FILES["svg script"][0], "x.svg")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert _db.session.scalar(select(Brand).where(Brand.name == "Nouvelle")) is None


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(ServiceError, match="too large"):
        read_logo(b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024))


_MAGICS = st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"<svg ",
                           b'<svg xmlns="http://www.w3.org/2000/svg">', b"<?xml ", b"GIF89a"])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=_MAGICS, tail=st.binary(max_size=600))
def test_random_bytes_never_break_the_form(member_client, db, head, tail):
    brand = make_brand(name="Aléatoire")
    response = member_client.post(f"/brands/{brand.id}/edit", data={
        **edit_form(brand), "logo_file": upload(head + tail, "logo.png")},
        content_type="multipart/form-data")
    assert response.status_code in (302, 400)
    content, mimetype = stored(brand.id)
    if response.status_code == 400:
        assert content is None and mimetype is None
    else:  # only a decodable PNG or JPEG is ever stored
        image = Image.open(io.BytesIO(content))
        image.load()
        assert image.format in ("PNG", "JPEG")


# --- removal, access, audit ---------------------------------------------------------------

def test_remove_logo(member_client, viewer_client, db):
    brand = make_brand(name="Cyclo Paris")
    brand_service.set_logo(brand, read_logo(png()))
    assert viewer_client.post(f"/brands/{brand.id}/logo/remove").status_code == 403
    response = member_client.post(f"/brands/{brand.id}/logo/remove")
    assert response.status_code == 302
    assert stored(brand.id) == (None, None)
    assert viewer_client.get(f"/brands/{brand.id}/logo").status_code == 404
    assert "Add a logo" in member_client.get(f"/brands/{brand.id}").get_data(as_text=True)


def test_logo_needs_a_login_and_an_existing_logo(client, viewer_client, db):
    brand = make_brand()
    assert viewer_client.get(f"/brands/{brand.id}/logo").status_code == 404
    assert viewer_client.get("/brands/999999/logo").status_code == 404
    brand_service.set_logo(brand, read_logo(png()))
    response = client.get(f"/brands/{brand.id}/logo")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_audit_names_the_change_never_the_bytes(member_client, db):
    brand = make_brand(name="Cyclo Paris")
    member_client.post(f"/brands/{brand.id}/edit", data={
        **edit_form(brand), "logo_file": upload(png((64, 32)))},
        content_type="multipart/form-data")
    member_client.post(f"/brands/{brand.id}/edit", data={
        **edit_form(_db.session.get(Brand, brand.id)), "logo_file": upload(png((90, 30)))},
        content_type="multipart/form-data")
    member_client.post(f"/brands/{brand.id}/logo/remove")
    assert logo_events(brand.id) == [{"logo": [None, "PNG, 64 × 32 px"]},
                                     {"logo": ["PNG, 64 × 32 px", "PNG, 90 × 30 px"]},
                                     {"logo": ["PNG, 90 × 30 px", None]}]
    everything = json.dumps([e.changes for e in _db.session.scalars(select(AuditEvent))])
    assert "PNG\\r" not in everything and "\\x89" not in everything and len(everything) < 2000
    page = member_client.get(f"/brands/{brand.id}").get_data(as_text=True)
    assert "PNG, 90 × 30 px" in page and page.count("Logo") >= 2


def test_logo_on_a_new_brand_is_one_history_entry(member_client, db):
    member_client.post("/brands/new", data={
        "name": "Cyclo Paris", "tax_country": "", "sector": "", "logo_file": upload(png())},
        content_type="multipart/form-data")
    brand = _db.session.scalar(select(Brand).where(Brand.name == "Cyclo Paris"))
    actions = {e.action_id for e in _db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "brand",
                                 AuditEvent.entity_id == brand.id))}
    assert len(actions) == 1 and len(logo_events(brand.id)) == 1


def use_bomb(levels: int = 30) -> bytes:
    """Each group draws the one before it twice: 2³⁰ rectangles from 2 kB of SVG."""
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
             ' width="100" height="100"><defs><rect id="a0" width="1" height="1"/>']
    parts += [f'<g id="a{n}"><use xlink:href="#a{n - 1}"/><use xlink:href="#a{n - 1}"/></g>'
              for n in range(1, levels)]
    parts.append(f'</defs><use xlink:href="#a{levels - 1}"/></svg>')
    return "".join(parts).encode()


@pytest.mark.slow
def test_an_svg_that_would_hold_the_processor_is_stopped(member_client, db):
    brand = make_brand(name="Cyclo Paris")
    started = time.monotonic()
    response = member_client.post(f"/brands/{brand.id}/edit", data={
        **edit_form(brand), "logo_file": upload(use_bomb(), "logo.svg")},
        content_type="multipart/form-data")
    assert time.monotonic() - started < 30  # the child's limits, not 4 minutes
    assert response.status_code == 400
    assert "too complex" in response.get_data(as_text=True)
    assert stored(brand.id) == (None, None)
