"""Labels: the QR code of a trace code's public URL (PNG or SVG) and the printable A4
label sheet of a packing run, drawn with reportlab. Chinese text uses the Adobe CID font
STSong-Light that reportlab ships, so no font file is needed; the QR modules are drawn as
vector squares from qrcode's matrix."""

from __future__ import annotations

import io

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from qrcode.image.svg import SvgPathImage
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from .codes import trace_url
from .models import PackingRun

FONT = "STSong-Light"


def _register_font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _qr(code: str, box_size: int = 8, border: int = 2):
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size,
                       border=border)
    qr.add_data(trace_url(code))
    qr.make(fit=True)
    return qr


def qr_png(code: str, box_size: int = 8) -> bytes:
    """The QR image of a code's trace URL as PNG (qrcode + Pillow)."""
    buffer = io.BytesIO()
    _qr(code, box_size).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(code: str) -> bytes:
    """The same QR as SVG (qrcode's path factory)."""
    buffer = io.BytesIO()
    _qr(code, box_size=10).make_image(image_factory=SvgPathImage).save(buffer)
    return buffer.getvalue()


def render_label_sheet(run: PackingRun, progress=None) -> bytes:
    """A4 sheets of labels, 3 × 8 per page: product, grade, net weight, packing date, code
    text and QR. ``progress(done, total)`` is called after each page."""
    _register_font()
    run = PackingRun.objects.select_related("variant__product", "graded_lot__grade").get(
        pk=run.pk)
    codes = list(run.trace_codes.order_by("serial").values_list("code", flat=True))
    total = len(codes)
    cols, rows = 3, 8
    width, height = A4
    margin_x, margin_y = 8 * mm, 10 * mm
    cell_w, cell_h = (width - 2 * margin_x) / cols, (height - 2 * margin_y) / rows
    product = run.variant.product.name
    title = f"{product} {run.variant.name}".strip()
    packed = timezone.localtime(run.packed_at).strftime("%Y-%m-%d")
    lines = [
        _("Grade: %(grade)s") % {"grade": run.graded_lot.grade.name},
        _("Net weight: %(kg)s kg") % {"kg": run.net_weight_kg.normalize()},
        _("Packed on: %(date)s") % {"date": packed},
        _("Lot: %(lot)s") % {"lot": run.graded_lot.lot_number},
    ]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    per_page = cols * rows
    for index, code in enumerate(codes):
        slot = index % per_page
        if slot == 0 and index:
            pdf.showPage()
            if progress:
                progress(index, total)
        col, row = slot % cols, slot // cols
        x0 = margin_x + col * cell_w
        y0 = height - margin_y - (row + 1) * cell_h
        pdf.setLineWidth(0.3)
        pdf.rect(x0 + 1, y0 + 1, cell_w - 2, cell_h - 2)
        matrix = _qr(code, box_size=1, border=1).get_matrix()
        side = cell_h - 6 * mm
        module = side / len(matrix)
        qx, qy = x0 + 2 * mm, y0 + 3 * mm
        for r, line in enumerate(matrix):
            for c, dark in enumerate(line):
                if dark:
                    pdf.rect(qx + c * module, qy + side - (r + 1) * module, module, module,
                             stroke=0, fill=1)
        tx = qx + side + 2 * mm
        pdf.setFont(FONT, 8)
        pdf.drawString(tx, y0 + cell_h - 6 * mm, title[:14])
        pdf.setFont(FONT, 6.5)
        for i, text in enumerate(lines):
            pdf.drawString(tx, y0 + cell_h - (10 + 3.2 * i) * mm, text)
        pdf.setFont("Courier", 6.5)
        pdf.drawString(tx, y0 + 4 * mm, code)
    pdf.showPage()
    pdf.save()
    if progress:
        progress(total, total)
    return buffer.getvalue()
