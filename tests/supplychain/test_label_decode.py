"""Every code printed on a label sheet scans back to its trace URL with a real decoder
(zxing-cpp): the sheet's PDF is rasterised with PDFium as a printer would, and each page's
codes are read from the page image. The PNG served at /t/<code>/qr.png decodes the same,
also when a longer PUBLIC_URL needs a larger QR version."""

import io

import pypdfium2
import pytest
from django.test import Client
from PIL import Image

from supplychain import labels, services
from supplychain.codes import trace_url
from tests.qr import decode_qr


@pytest.mark.django_db
def test_every_code_on_a_label_sheet_decodes_to_its_trace_url(graded_lot, persimmon, coop,
                                                               coop_user):
    # 30 labels: a full page of 24 and a second page of 6.
    run = services.create_packing_run(
        graded_lot, variant=persimmon.variants.order_by("sku").first(),
        warehouse=coop.warehouses.first(), quantity=30, net_weight_kg="0.5", user=coop_user)
    codes = list(run.trace_codes.order_by("serial").values_list("code", flat=True))
    pdf = pypdfium2.PdfDocument(labels.render_label_sheet(run))
    assert len(pdf) == 2
    decoded = []
    for page in pdf:
        decoded.extend(decode_qr(page.render(scale=4).to_pil()))
    pdf.close()
    assert sorted(decoded) == sorted(trace_url(code) for code in codes)
    assert len(decoded) == 30  # each label once, none unreadable


@pytest.mark.django_db
@pytest.mark.parametrize(("public_url", "version"), [
    ("http://localhost:8000", 3),  # 40 bytes: version 3 holds 42 at level M
    ("https://tezhiguan.zeku-county-specialty.gov.cn", 5),  # 65 bytes: over version 4's 62
])
def test_served_qr_png_decodes_at_the_version_its_url_length_needs(trace, settings,
                                                                   public_url, version):
    settings.PUBLIC_URL = public_url
    response = Client().get(f"/t/{trace.code}/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert decode_qr(image) == [f"{public_url}/t/{trace.code}"]
    # The longer URL needs the larger symbol; each stays at the smallest that fits.
    assert labels.qr_version(len(trace_url(trace.code))) == version
    assert len(labels.qr_matrix(trace.code)) == 17 + 4 * version
    assert image.size == ((17 + 4 * version + 4) * 8,) * 2  # 2 light modules each side
