"""Labels: the QR code of a trace code's public URL (PNG or SVG) and the printable A4
label sheet of a packing run, drawn with reportlab. Chinese text uses the Adobe CID font
STSong-Light that reportlab ships, so no font file is needed; the QR modules are drawn as
vector squares from qrcode's matrix.

A product with a Tibetan name (its ``bo`` translation record, as 泽库's products have)
gets a bilingual label: the Tibetan name is drawn in Tibetan Machine Uni, embedded from
Debian's ``fonts-tibetan-machine`` package (``TIBETAN_FONT_PATH``). Without that font the
label stays Chinese only, and the log says why."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from qrcode.image.svg import SvgPathImage
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .codes import trace_url
from .models import PackingRun

logger = logging.getLogger(__name__)
FONT = "STSong-Light"
TIBETAN_FONT = "TibetanMachineUni"
TIBETAN_FONT_PATH = Path("/usr/share/fonts/truetype/tibetan-machine/TibetanMachineUni.ttf")


def _register_font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _tibetan_font() -> str | None:
    """The registered Tibetan font's name, or ``None`` when its file is missing."""
    if TIBETAN_FONT in pdfmetrics.getRegisteredFontNames():
        return TIBETAN_FONT
    if not TIBETAN_FONT_PATH.exists():
        logger.warning("No Tibetan font at %s (apt-get install fonts-tibetan-machine): "
                       "labels are printed in Chinese only", TIBETAN_FONT_PATH)
        return None
    pdfmetrics.registerFont(TTFont(TIBETAN_FONT, str(TIBETAN_FONT_PATH)))
    return TIBETAN_FONT


def tibetan_name(product) -> str:
    """The product's Tibetan name from its translation records, or ``""``."""
    record = product.translations.filter(language_code="bo").exclude(name="").first()
    return record.name if record else ""


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
    tibetan = tibetan_name(run.variant.product)
    tibetan_font = _tibetan_font() if tibetan else None
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
        top = 10
        if tibetan_font:
            pdf.setFont(tibetan_font, 7.5)
            pdf.drawString(tx, y0 + cell_h - 10 * mm, tibetan[:24])
            top = 13.5
        pdf.setFont(FONT, 6.5)
        for i, text in enumerate(lines):
            pdf.drawString(tx, y0 + cell_h - (top + 3.2 * i) * mm, text)
        pdf.setFont("Courier", 6.5)
        pdf.drawString(tx, y0 + 4 * mm, code)
    pdf.showPage()
    pdf.save()
    if progress:
        progress(total, total)
    return buffer.getvalue()
