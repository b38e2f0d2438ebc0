"""The demo ships 每物一码 ready to scan: regional brands with their authority's reviewer
and active licences, traced brand products whose only stock is their packing runs' codes,
and a code that opens its trace page with 泽库's whole chain; a second run issues no
code."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client

from brand.models import Licence, RegionalBrand
from catalog.models import Product
from catalog.traced import is_traced
from demo.traced import TRACED_PRODUCTS
from shop.models import Membership, Stock
from supplychain.models import TraceCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_demo_traced_products_scan_straight_away(media_root):
    call_command("load_demo_data", stdout=io.StringIO())
    assert RegionalBrand.objects.count() == 5
    for brand in RegionalBrand.objects.all():
        assert Membership.objects.filter(organization=brand.authority).exists()
    for slug in TRACED_PRODUCTS:
        product = Product.objects.get(slug=slug)
        assert product.is_traced and is_traced(product)
        licence = Licence.objects.get(products=product)
        assert licence.is_in_force() and licence.number.startswith(licence.brand.code)
        codes = TraceCode.objects.filter(packing_run__variant__product=product).count()
        stock = Stock.objects.filter(product_variant__product=product).aggregate(
            n=Sum("quantity"))["n"]
        assert 0 < stock <= codes  # no unit without its code (other demo data may sell some)
    code = TraceCode.objects.filter(
        packing_run__variant__product__slug="zeku-yak-meat").order_by("pk").first().code
    page = Client().get(f"/t/{code}")
    html = page.content.decode()
    assert page.status_code == 200 and "泽库牦牛肉" in html
    # The whole chain: drugs with their withdrawal period, slaughter, the cold chain.
    for text in ("伊维菌素注射液", "泽库县定点屠宰场", "ZK-LOG-07", '<span class="bad">'):
        assert text in html, text
    before = TraceCode.objects.count()
    call_command("load_demo_data", stdout=io.StringIO())
    assert TraceCode.objects.count() == before
