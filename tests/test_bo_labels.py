"""泽库's bilingual label sheets: a product with a Tibetan name (its ``bo`` translation
record) gets it printed under the Chinese name, in Tibetan Machine Uni embedded from
Debian's fonts-tibetan-machine, and SHAPED by HarfBuzz: a stacked consonant with its vowel
sign (རྩེ, སྐ) is drawn as the font's own stacked glyph, not as letters set side by side.
The first label is rasterised to a PNG (pypdfium2) under artifacts/screenshots/labels/."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import uharfbuzz as hb
from django.utils import translation

from content.models import ProductTranslation
from supplychain import labels
from tests.browser import SHOTS

pytestmark = pytest.mark.django_db

NAME_BO = "རྩེ་ཁོག་གཡག་ཤ་སྐམ།"  # 泽库牦牛肉干: རྩེ and སྐ are stacks
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _glyphs(text: str, *, shaped: bool) -> list[int]:
    """The font's glyph ids for ``text``: as HarfBuzz shapes it, or one per character
    through the font's character map (what an unshaped drawing uses)."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(labels.TIBETAN_FONT_PATH))))
    if not shaped:
        return [font.get_nominal_glyph(ord(c)) for c in text]
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return [info.codepoint for info in buffer.glyph_infos]


def _tibetan_run(pdf: bytes) -> str:
    """The first page's text in the Tibetan font, as a PDF reader extracts it."""
    page = pdfium.PdfDocument(pdf)[0]
    text = page.get_textpage().get_text_range()
    return max(re.findall(r"[\u0f00-\u0fff\ue000-\uf8ff]+", text), key=len)


def test_the_tibetan_name_is_embedded_and_shaped(packing_run):
    assert labels.TIBETAN_FONT_PATH.exists(), "apt-get install fonts-tibetan-machine"
    # The font has stacked glyphs: shaping replaces རྩ and སྐ by one glyph each.
    assert len(_glyphs(NAME_BO, shaped=True)) == len(NAME_BO) - 2
    assert _glyphs(NAME_BO, shaped=True) != _glyphs(NAME_BO, shaped=False)

    plain = labels.render_label_sheet(packing_run)
    assert b"TibetanMachineUni" not in plain and b"Tibetan_Machine_Uni" not in plain
    ProductTranslation.objects.create(product=packing_run.variant.product,
                                      language_code="bo", name=NAME_BO)
    with translation.override("bo"):  # a member reading Tibetan asks for the sheet
        pdf = labels.render_label_sheet(packing_run)
    assert pdf.startswith(b"%PDF")
    assert re.search(rb"/BaseFont /[A-Z]{6}\+Tibetan_?Machine_?Uni", pdf)
    assert b"/FontFile2" in pdf  # the TrueType program itself, a subset of it
    assert b"STSong-Light" in pdf

    # What the sheet draws is HarfBuzz's glyph run: as many glyphs as shaping gives, the
    # stacks being glyphs of their own that no single character maps to (a reader sees
    # them as private-use characters), the unstacked syllables as plain letters.
    run = _tibetan_run(pdf)
    assert len(run) == len(_glyphs(NAME_BO, shaped=True))
    assert len(PRIVATE_USE.findall(run)) == 2
    assert "་ཁོག་གཡག་ཤ་" in run and "རྩེ" not in run

    # The lines other than the Tibetan name are Chinese whatever the reader's language.
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "等级" in text and "净含量" in text and "རིམ་པ" not in text

    shots = SHOTS / "labels"
    shots.mkdir(parents=True, exist_ok=True)
    (shots / "zeku-labels-bo.pdf").write_bytes(pdf)
    page = pdfium.PdfDocument(pdf)[0]
    image = page.render(scale=4).to_pil()
    cell_w, cell_h = (side * 4 for side in labels.label_cell())
    left, top = labels.LABEL_MARGIN_X * 4, labels.LABEL_MARGIN_Y * 4
    image.crop((int(left), int(top), int(left + cell_w), int(top + cell_h))).save(
        shots / "zeku-label-bo.png")
    assert Path(shots / "zeku-label-bo.png").stat().st_size > 1000


def test_the_tibetan_line_fits_its_cell_by_its_shaped_width(packing_run):
    """A long Tibetan name is measured as shaped (HarfBuzz's advances) and cut at a
    syllable's end with "…" to fit the text column."""
    long_name = "རྩེ་ཁོག་མཐོ་སྒང་གཤིས་རྒྱུན་འབྲོག་སར་གསོས་པའི་གཡག་གི་ཤ་སྐམ་ལེགས་སྐྱེས་སྒམ།"
    ProductTranslation.objects.create(product=packing_run.variant.product,
                                      language_code="bo", name=long_name)
    width = labels.label_text_width()
    lines = labels.label_lines(packing_run, width, labels._tibetan_font())
    tibetan = next(line for line in lines if line.font == labels.TIBETAN_FONT)
    assert tibetan.text.endswith("་…")
    assert labels._width(tibetan.text, tibetan.font, tibetan.size) <= width
    shaped = labels.shaped(tibetan.text, tibetan.font, tibetan.size)
    assert len(shaped) < len(tibetan.text)  # stacks became single glyphs
