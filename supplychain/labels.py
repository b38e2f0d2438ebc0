"""Labels: the QR code of a trace code's public URL (PNG or SVG) and the printable A4
label sheet of a packing run, drawn with reportlab. Chinese text uses the Adobe CID font
STSong-Light that reportlab ships, so no font file is needed; the QR modules are drawn as
vector rectangles from qrcode's matrix. Every code of a deployment is encoded at one
fixed version and mask, and PNGs are drawn by Pillow in one call rather than module by
module.

A product with a Tibetan name (its ``bo`` translation record, as 泽库's products have)
gets a bilingual label: the Tibetan name is drawn in Tibetan Machine Uni, embedded from
Debian's ``fonts-tibetan-machine`` package (``TIBETAN_FONT_PATH``), and shaped by HarfBuzz
(``uharfbuzz``, through reportlab's ``shapeStr``): stacked consonants and vowel signs become
the font's own positioned glyphs, as a Tibetan reader expects, rather than characters set
side by side. Without that font the label stays Chinese only, and the log says why.

The label's other lines are always Chinese, whatever the language of the member who asks
for the sheet: food labels in China must carry standard Chinese (GB 7718); the Tibetan name
is printed beside it."""

from __future__ import annotations

import functools
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from PIL import Image
from qrcode.image.svg import SvgPathImage
from qrcode.util import MODE_8BIT_BYTE, QRData
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeStr
from reportlab.pdfgen import canvas

from brand.models import LabelUse

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


# Label text never leaves its cell: each line shrinks from its size down to a minimum and
# a product name may wrap onto a second line; what still does not fit is cut with "…".
TITLE_SIZE, TITLE_MIN, TITLE_LINES = 8.0, 5.5, 2
TIBETAN_SIZE, TIBETAN_MIN = 9.5, 6.0  # Tibetan Machine Uni draws small beside STSong
INFO_SIZE, INFO_MIN = 6.5, 4.5
LEADING = 1.2
ELLIPSIS = "…"


@dataclass(frozen=True)
class LabelText:
    """One line of label text: its font, size and offset below the cell's top (points)."""

    font: str
    size: float
    text: str
    below_top: float


def shaped(text: str, font: str, size: float) -> str:
    """Tibetan text as HarfBuzz lays it out in ``font`` (a ``ShapedStr`` carrying each
    glyph's advance and offset, which the canvas draws as such); other text unchanged."""
    return shapeStr(text, font, size) if font == TIBETAN_FONT and text else text


def _width(text: str, font: str, size: float) -> float:
    text = shaped(text, font, size)
    if isinstance(text, ShapedStr):
        return sum(glyph.x_advance for glyph in text.__shapeData__) * size / 1000
    return pdfmetrics.stringWidth(text, font, size)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width``, character by character (Chinese
    has no spaces), at the last space of a line when it has one (Latin words)."""
    lines, current = [], ""
    for char in text:
        if current and _width(current + char, font, size) > width:
            cut = current.rfind(" ")
            if 0 < cut < len(current) - 1:
                lines.append(current[:cut])
                current = current[cut + 1:]
            else:
                lines.append(current)
                current = ""
            current = current.lstrip() if not current else current
        current += char
    if current.strip():
        lines.append(current)
    return lines


def _cut(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with "…" until it fits (a Tibetan name at a syllable's end)."""
    if _width(text, font, size) <= width:
        return text
    while text and _width(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
        if "་" in text and not text.endswith("་"):
            text = text[:text.rfind("་") + 1]
    return text + ELLIPSIS


def fit_text(text: str, font: str, size: float, width: float, *, min_size: float,
             max_lines: int = 1) -> tuple[float, list[str]]:
    """The largest size from ``size`` down to ``min_size`` (half-point steps) at which
    ``text`` fits ``width`` in at most ``max_lines`` lines; at the minimum, the last line
    is cut with "…"."""
    current = size
    while current >= min_size:
        lines = _wrap(text, font, current, width) or [""]
        if len(lines) <= max_lines:
            return current, lines
        current -= 0.5
    lines = _wrap(text, font, min_size, width)[:max_lines]
    rest = text[sum(len(line) for line in lines[:-1]):].lstrip()
    lines[-1] = _cut(rest, font, min_size, width)
    return min_size, lines


def brand_of(run: PackingRun):
    """The licence whose quota the run's brand labels used (``None`` for a plain run)."""
    use = (LabelUse.objects.filter(reference=f"packing-run:{run.pk}")
           .select_related("licence__brand").first())
    return use.licence if use else None


def label_lines(run: PackingRun, width: float, tibetan_font: str | None = None) -> list[LabelText]:
    """The text of every label of ``run`` (the same on each), fitted to ``width``: name
    and variant, the Tibetan name, for brand labels the brand and the licence number,
    grade, net weight, packing date and lot."""
    _register_font()
    title = f"{run.variant.product.name} {run.variant.name}".strip()
    tibetan = tibetan_name(run.variant.product) if tibetan_font else ""
    licence = brand_of(run)
    packed = timezone.localtime(run.packed_at).strftime("%Y-%m-%d")
    info = []
    with override("zh-hans"):
        if licence is not None:
            info += [_("Brand: %(brand)s") % {"brand": licence.brand.name},
                     _("Licence: %(number)s") % {"number": licence.number}]
        info += [
            _("Grade: %(grade)s") % {"grade": run.graded_lot.grade.name},
            _("Net weight: %(kg)s kg") % {"kg": run.net_weight_kg.normalize()},
            _("Packed on: %(date)s") % {"date": packed},
            _("Lot: %(lot)s") % {"lot": run.graded_lot.lot_number},
        ]
    result, below = [], 0.0
    size, lines = fit_text(title, FONT, TITLE_SIZE, width, min_size=TITLE_MIN,
                           max_lines=TITLE_LINES)
    for line in lines:
        below += size * LEADING
        result.append(LabelText(FONT, size, line, below))
    if tibetan:
        size, lines = fit_text(tibetan, tibetan_font, TIBETAN_SIZE, width, min_size=TIBETAN_MIN)
        below += size * LEADING * 1.3  # room for the stacked vowels above the line
        result.append(LabelText(tibetan_font, size, lines[0], below))
    # The information lines share one size: the largest at which all of them fit.
    size = min(fit_text(text, FONT, INFO_SIZE, width, min_size=INFO_MIN)[0] for text in info)
    for text in info:
        below += size * LEADING
        result.append(LabelText(FONT, size, fit_text(text, FONT, size, width,
                                                     min_size=size)[1][0], below))
    return result


def render_label_sheet(run: PackingRun, progress=None) -> bytes:
    """A4 sheets of labels, 3 × 8 per page: product (and its Tibetan name), the brand and
    licence number of brand labels, grade, net weight, packing date, lot, code text and QR,
    every line fitted to the cell (``label_lines``). ``progress(done, total)`` is called
    after each page."""
    _register_font()
    run = PackingRun.objects.select_related("variant__product", "graded_lot__grade").get(
        pk=run.pk)
    codes = list(run.trace_codes.order_by("serial").values_list("code", flat=True))
    total = len(codes)
    width, height = A4
    cell_w, cell_h = label_cell()
    title = f"{run.variant.product.name} {run.variant.name}".strip()
    tibetan = tibetan_name(run.variant.product)
    tibetan_font = _tibetan_font() if tibetan else None
    side = cell_h - 6 * mm
    text_width = label_text_width()
    texts = label_lines(run, text_width, tibetan_font)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    per_page = LABEL_COLS * LABEL_ROWS
    for index, code in enumerate(codes):
        slot = index % per_page
        if slot == 0 and index:
            pdf.showPage()
            if progress:
                progress(index, total)
        col, row = slot % LABEL_COLS, slot // LABEL_COLS
        x0 = LABEL_MARGIN_X + col * cell_w
        y0 = height - LABEL_MARGIN_Y - (row + 1) * cell_h
        pdf.setLineWidth(0.3)
        pdf.rect(x0 + 1, y0 + 1, cell_w - 2, cell_h - 2)
        qx, qy = x0 + 2 * mm, y0 + 3 * mm
        _draw_qr(pdf, qr_matrix(code, border=1), qx, qy, side)
        tx = qx + side + 2 * mm
        top = y0 + cell_h - 2.5 * mm
        for line in texts:
            pdf.setFont(line.font, line.size)
            pdf.drawString(tx, top - line.below_top, shaped(line.text, line.font, line.size))
        pdf.setFont(CODE_FONT, code_font_size(code, text_width))
        pdf.drawString(tx, y0 + 4 * mm, code)
    pdf.showPage()
    pdf.save()
    if progress:
        progress(total, total)
    return buffer.getvalue()


# The sheet: A4, 3 × 8 labels; the QR square on the left, the text to its right.
LABEL_COLS, LABEL_ROWS = 3, 8
LABEL_MARGIN_X, LABEL_MARGIN_Y = 8 * mm, 10 * mm
CODE_FONT, CODE_SIZE = "Courier", 6.5


def label_cell() -> tuple[float, float]:
    width, height = A4
    return ((width - 2 * LABEL_MARGIN_X) / LABEL_COLS,
            (height - 2 * LABEL_MARGIN_Y) / LABEL_ROWS)


def label_text_width() -> float:
    """The width left for text in a cell: after the QR square and gaps, 2 mm before the
    cell's right edge."""
    cell_w, cell_h = label_cell()
    side = cell_h - 6 * mm
    return cell_w - (2 * mm + side + 2 * mm) - 2 * mm


def label_text_height() -> float:
    """How far below the cell's top the text may reach: down to the code line's top."""
    _cell_w, cell_h = label_cell()
    return cell_h - 2.5 * mm - 4 * mm - CODE_SIZE


def code_font_size(code: str, width: float) -> float:
    return fit_text(code, CODE_FONT, CODE_SIZE, width, min_size=4.0)[0]
