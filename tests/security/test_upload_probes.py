"""Files a member uploads through the API that are not what their names say: an SVG with a
script, an HTML page, a PNG of 40,000 x 40,000 pixels in a few kilobytes (a decompression
bomb), each sent under an image or PDF name and type, to every upload a member controls
(an inspection report, a brand application's document, a product photo). Each is refused
with a typed error and nothing is stored."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from brand.models import ApplicationDocument
from catalog.models import ProductMedia
from supplychain.models import Inspection
from tests.clients import GraphQLClient
from tests.factories import draft, gid

pytestmark = pytest.mark.django_db

SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
       b'height="10"><script>alert(document.cookie)</script></svg>')
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def _png_bomb(side=40_000) -> bytes:
    """A valid PNG header and a compressed stream of zeros: tiny on disc, 1.6 billion
    pixels once decoded."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (side + 1) * 64, 9)  # the start of the image is enough
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))




HOSTILE = {
    "svg-as-png": ("report.png", "image/png", SVG),
    "svg-as-svg": ("report.svg", "image/svg+xml", SVG),
    "html-as-pdf": ("report.pdf", "application/pdf", HTML),
    "bomb-as-png": ("report.png", "image/png", _png_bomb()),
}

INSPECTION = """mutation($lot: ID!, $report: Upload) {
  inspectionCreate(sourcingLot: $lot, report: $report,
                   input: {lab: "三门峡市检测中心", result: PASSED, inspectedOn: "2026-11-20"}) {
    inspection { id } errors { field code message } } }"""
DOCUMENT = """mutation($application: ID!, $file: Upload!) {
  licenceApplicationDocumentAdd(application: $application, file: $file,
                                input: {kind: CERTIFICATION, title: "绿色食品证书"}) {
    document { id } errors { field code message } } }"""
MEDIA = """mutation($product: ID!, $image: Upload) {
  productMediaCreate(input: {product: $product, image: $image, alt: "柿饼"}) {
    media { id } errors { field code message } } }"""


def _refused(result, name, field, code="INVALID"):
    assert not result.get("errors"), result
    payload = result["data"][name]
    assert [(e["field"], e["code"]) for e in payload["errors"]][:1] == [(field, code)], payload
    return payload


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_an_inspection_report_must_be_a_real_pdf_or_photo(kind, coop_user, sourcing_lot):
    name, content_type, content = HOSTILE[kind]
    result = GraphQLClient(coop_user).post_multipart(
        INSPECTION, {"lot": gid("SourcingLot", sourcing_lot.pk), "report": None},
        {"report": SimpleUploadedFile(name, content, content_type)})
    _refused(result, "inspectionCreate", "report")
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_brand_application_document_must_be_a_real_pdf_or_photo(kind, brand, coop,
                                                                     coop_user, persimmon):
    application = draft(brand, coop, coop_user, products=[persimmon])
    before = ApplicationDocument.objects.count()
    name, content_type, content = HOSTILE[kind]
    result = GraphQLClient(coop_user).post_multipart(
        DOCUMENT, {"application": gid("LicenceApplication", application.pk), "file": None},
        {"file": SimpleUploadedFile(name, content, content_type)})
    _refused(result, "licenceApplicationDocumentAdd", "file")
    assert ApplicationDocument.objects.count() == before


@pytest.mark.parametrize("kind", ["svg-as-png", "svg-as-svg", "html-as-pdf"])
def test_a_product_photo_must_be_a_real_image(kind, coop_user, persimmon, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    name, content_type, content = HOSTILE[kind]
    result = GraphQLClient(coop_user).post_multipart(
        MEDIA, {"product": gid("Product", persimmon.pk), "image": None},
        {"image": SimpleUploadedFile(name.replace("report", "photo"), content, content_type)})
    _refused(result, "productMediaCreate", "image", "NOT_PRODUCTS_IMAGE")
    assert not ProductMedia.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
