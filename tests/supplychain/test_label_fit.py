"""Labels fit and say whose they are: every line of text measured with reportlab's
stringWidth stays inside the cell's text column and above the code line, however long
the product and grade names; a brand label carries the brand name and licence number;
the QR code encodes the trace page at PUBLIC_URL."""

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.pdfbase.pdfmetrics import stringWidth

from brand import services as brand_services
from brand.models import RegionalBrand
from shop.models import Organization
from supplychain import labels, services
from tests.factories import granted, make_member, make_org
from tests.qr import decode_qr

pytestmark = pytest.mark.django_db

LONG_NAME = "渑池县仰韶镇果园村高山火晶柿子手工捂霜传统工艺特级吊柿饼家庭装礼盒"
LONG_GRADE = "特级（单果≥60克、色泽橙红、无破损、霜面均匀）"


def fits(run) -> list:
    width = labels.label_text_width()
    texts = labels.label_lines(run, width)
    for line in texts:
        assert stringWidth(line.text, line.font, line.size) <= width + 1e-6, line
        assert line.below_top <= labels.label_text_height(), line
    return texts


def test_long_names_shrink_or_wrap_inside_the_cell(packing_run, persimmon, grades):
    persimmon.name = LONG_NAME
    persimmon.save(update_fields=["name"])
    grades["特级"].name = LONG_GRADE[:32]
    grades["特级"].save(update_fields=["name"])
    texts = fits(labels.PackingRun.objects.select_related(
        "variant__product", "graded_lot__grade").get(pk=packing_run.pk))
    titles = [t for t in texts if t.size <= labels.TITLE_SIZE and t.font == labels.FONT][:2]
    # The name wraps onto two lines, cut with "…" where even the smallest size is too long.
    assert len(titles) == 2 and titles[1].text.endswith("…")
    assert titles[0].size == labels.TITLE_MIN
    grade = next(t for t in texts if LONG_GRADE[:4] in t.text)
    assert grade.size < labels.INFO_SIZE  # shrunk to fit
    pdf = labels.render_label_sheet(packing_run)
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert titles[0].text in text


def test_short_names_keep_their_size(packing_run):
    texts = fits(packing_run)
    assert texts[0].size == labels.TITLE_SIZE and len(texts[0].text) < 20


@pytest.fixture
def brand_run(category, pavilion, coop, coop_user, persimmon, graded_lot):
    authority = make_org("渑池县农产品区域公用品牌管理办公室", "mianchi-brand-office",
                         Organization.Kind.BRAND_AUTHORITY)
    brand = RegionalBrand.objects.create(
        name="仰韶彩陶坊", slug="yangshao", code="MC", county="渑池县", authority=authority,
        pavilion=pavilion, default_label_quota=1000)
    brand_services.set_brand_category(brand, category.parent)
    licence = granted(brand, coop, coop_user, make_member(authority, "reviewer@example.com"),
                      products=[persimmon])
    run = services.create_packing_run(graded_lot, variant=persimmon.variants.first(),
                                      warehouse=coop.warehouses.first(), quantity=2,
                                      net_weight_kg="0.5", user=coop_user, brand_labelled=True)
    return run, licence


def test_brand_label_names_brand_and_licence_and_qr_points_at_public_url(brand_run, settings):
    settings.PUBLIC_URL = "https://pavilion.example.cn"
    run, licence = brand_run
    texts = [t.text for t in fits(run)]
    assert any(licence.brand.name in t for t in texts)
    assert any(licence.number in t for t in texts)
    pdf = pdfium.PdfDocument(labels.render_label_sheet(run))
    page = pdf[0]
    text = page.get_textpage().get_text_range()
    assert licence.number in text and licence.brand.name in text
    image: Image.Image = page.render(scale=6).to_pil()
    decoded = set(decode_qr(image))
    codes = set(run.trace_codes.values_list("code", flat=True))
    assert decoded == {f"https://pavilion.example.cn/t/{code}" for code in codes}
