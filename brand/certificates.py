"""授权证书: the PDF certificate of a licence, drawn with reportlab. Chinese text uses the
Adobe CID font STSong-Light that reportlab ships (no font file needed); the QR code (made
with ``qrcode``) opens the public verification page, which shows the live status, so a
printed certificate of a revoked licence is exposed at the first scan."""

from __future__ import annotations

import io

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from .models import Licence
from .services import verification_url

FONT = "STSong-Light"


def register_font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def certificate_pdf(licence: Licence) -> bytes:
    register_font()
    licence = Licence.objects.select_related("brand", "licensee").prefetch_related(
        "categories", "products").get(pk=licence.pk)
    brand = licence.brand
    url = verification_url(licence)
    width, height = landscape(A4)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{brand.name} {licence.number}")
    pdf.setAuthor(brand.authority.name)
    green = HexColor("#2f6b3a")
    pdf.setStrokeColor(green)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    pdf.setFillColor(green)
    pdf.setFont(FONT, 30)
    pdf.drawCentredString(width / 2, height - 42 * mm, _("Regional public brand licence"))
    pdf.setFont(FONT, 18)
    pdf.drawCentredString(width / 2, height - 54 * mm, brand.name)
    pdf.setFillColor(HexColor("#1f2a1f"))
    scope = "、".join([c.name for c in licence.categories.all()]
                     + [p.name for p in licence.products.all()])
    rows = [
        (_("Licence number"), licence.number),
        (_("Licensee"), licence.licensee.name),
        (_("Scope"), scope or "-"),
        (_("Grades"), licence.grades or "-"),
        (_("Valid"), f"{licence.valid_from.isoformat()} — {licence.valid_until.isoformat()}"),
        (_("Annual label quota"), str(licence.annual_label_quota)),
        (_("Collective trademark"), brand.trademark_number or "-"),
    ]
    y = height - 75 * mm
    for label, value in rows:
        pdf.setFont(FONT, 13)
        pdf.drawString(40 * mm, y, f"{label}:")
        pdf.drawString(85 * mm, y, value[:48])
        y -= 10 * mm
    pdf.setFont(FONT, 11)
    pdf.drawString(40 * mm, 30 * mm, _("Issued by %(authority)s on %(date)s")
                   % {"authority": brand.authority.name,
                      "date": timezone.localtime(licence.granted_at).strftime("%Y-%m-%d")})
    pdf.drawString(40 * mm, 23 * mm, _("Scan the code to check the licence's current status."))
    matrix = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    matrix.add_data(url)
    matrix.make(fit=True)
    cells = matrix.get_matrix()
    side = 48 * mm
    module = side / len(cells)
    qx, qy = width - 40 * mm - side, 30 * mm
    for r, line in enumerate(cells):
        for c, dark in enumerate(line):
            if dark:
                pdf.rect(qx + c * module, qy + side - (r + 1) * module, module, module,
                         stroke=0, fill=1)
    pdf.setFont("Courier", 7)
    pdf.drawCentredString(qx + side / 2, qy - 5 * mm, url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
