"""Labels: the QR code of a trace code's public URL (PNG or SVG) and the printable A4
label sheet of a packing run, drawn with reportlab. Chinese text uses the Adobe CID font
STSong-Light that reportlab ships, so no font file is needed; the QR modules are drawn as
vector rectangles from qrcode's matrix. Every code of a deployment is encoded at one
fixed version and mask, and PNGs are drawn by Pillow in one call rather than module by
module.

A product with a Tibetan name (its ``bo`` translation record, as 泽库's products have)
gets a bilingual label: the Tibetan name is drawn in Tibetan Machine Uni, embedded from
Debian's ``fonts-tibetan-machine`` package (``TIBETAN_FONT_PATH``). Without that font the
label stays Chinese only, and the log says why."""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from qrcode.image.svg import SvgPathImage
from qrcode.util import MODE_8BIT_BYTE, QRData
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


# Error correction M: 15% of the modules may be lost (a scuffed or creased package) while
# the code stays at the smallest version that fits, so its modules print larger on a label.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
# Any of the eight masks decodes. Choosing the "best" one means drawing and scoring all
# eight for every code, which was most of the rendering time; the codes are random, so no
# mask is better on average and one fixed mask is used.
MASK_PATTERN = 0


@functools.lru_cache(maxsize=8)
def qr_version(length: int) -> int:
    """The smallest QR version holding a ``length``-byte URL at ``ERROR_CORRECTION``. All
    trace URLs of a deployment (``PUBLIC_URL`` + ``/t/`` + 16 characters) have the same
    length, so this is worked out once instead of fitted per code."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECTION)
    qr.add_data(QRData(b"x" * length, mode=MODE_8BIT_BYTE))
    return qr.best_fit()


def _qr(code: str, box_size: int = 8, border: int = 2) -> qrcode.QRCode:
    """The encoded QR of a code's trace URL: one byte-mode segment at the fixed version
    and mask (no fitting, no mask scoring)."""
    url = trace_url(code).encode("utf-8")
    qr = qrcode.QRCode(version=qr_version(len(url)), error_correction=ERROR_CORRECTION,
                       box_size=box_size, border=border, mask_pattern=MASK_PATTERN)
    qr.add_data(QRData(url, mode=MODE_8BIT_BYTE))
    qr.make(fit=False)
    return qr


def qr_matrix(code: str, border: int = 0) -> list[list[bool]]:
    """The QR's modules (``True`` = dark), with ``border`` light modules around."""
    return _qr(code, box_size=1, border=border).get_matrix()


def qr_image(code: str, box_size: int = 8, border: int = 2) -> Image.Image:
    """The QR as a 1-bit Pillow image: the modules become one pixel each in a single
    call, scaled up without smoothing and pasted inside the light border."""
    modules = qr_matrix(code)
    count = len(modules)
    pixels = bytes(0 if dark else 255 for row in modules for dark in row)
    small = Image.frombytes("L", (count, count), pixels).convert("1")
    side = (count + 2 * border) * box_size
    image = Image.new("1", (side, side), 1)
    image.paste(small.resize((count * box_size, count * box_size), Image.NEAREST),
                (border * box_size, border * box_size))
    return image


def qr_png(code: str, box_size: int = 8) -> bytes:
    """The QR image of a code's trace URL as PNG. A 1-bit image compresses to a few
    hundred bytes even at the fastest zlib level."""
    buffer = io.BytesIO()
    qr_image(code, box_size).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def qr_svg(code: str) -> bytes:
    """The same QR as SVG (qrcode's path factory)."""
    buffer = io.BytesIO()
    _qr(code, box_size=10).make_image(image_factory=SvgPathImage).save(buffer)
    return buffer.getvalue()


def _draw_qr(pdf, matrix, x: float, y: float, side: float):
    """Draw ``matrix`` as vector squares filling ``side`` with its lower left at (x, y);
    each row's runs of dark modules are one rectangle (fewer operators, no seams)."""
    module = side / len(matrix)
    for r, line in enumerate(matrix):
        top = y + side - (r + 1) * module
        c = 0
        while c < len(line):
            if not line[c]:
                c += 1
                continue
            start = c
            while c < len(line) and line[c]:
                c += 1
            pdf.rect(x + start * module, top, (c - start) * module, module, stroke=0, fill=1)


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
        side = cell_h - 6 * mm
        qx, qy = x0 + 2 * mm, y0 + 3 * mm
        _draw_qr(pdf, qr_matrix(code, border=1), qx, qy, side)
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
