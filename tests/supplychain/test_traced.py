"""每物一码 kept: a traced product's stock comes only from packing runs (hand-set counts
refused through the API and the workbench), its order lines ship only with one valid code
per unit, the product page promises a trace code only for traced products, and
brand-labelled products are always traced."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from graphql_relay import to_global_id as gid

from brand import services as brand_services
from brand.models import RegionalBrand
from catalog import traced
from catalog.models import Product
from shop import services as shop_services
from shop.models import Order, Organization, Stock
from supplychain import services
from supplychain.models import ShippedCode
from tests.factories import granted, make_member, make_org, make_paid_order

pytestmark = pytest.mark.django_db

STOCKS_UPDATE = """mutation($variantId: ID!, $stocks: [StockInput!]!) {
  productVariantStocksUpdate(variantId: $variantId, stocks: $stocks) {
    productVariant { quantityAvailable } errors { field code message } } }"""

FULFILL_WITH_CODES = """mutation($order: ID!, $lines: [OrderFulfillWithCodesLineInput!]!) {
  orderFulfillWithCodes(order: $order, input: {lines: $lines, carrier: "顺丰",
                                                trackingNumber: "SF1234567890"}) {
    order { pavilionStatus } shippedCodes { code } errors { field code message } } }"""

PLAIN_FULFIL = """mutation($order: ID!, $lines: [OrderFulfillLineInput!]!) {
  orderFulfill(order: $order, input: {lines: $lines, carrier: "顺丰",
                                      trackingNumber: "SF1234567890"}) {
    errors { field code message } } }"""


@pytest.fixture
def traced_run(packing_run, persimmon):
    traced.set_traced(persimmon, True)
    return packing_run


@pytest.fixture
def paid_order(traced_run, channel, shipping):
    return make_paid_order(channel, traced_run.variant, shipping, quantity=2)


def test_hand_set_stock_refused_for_traced_product(gql_as, traced_run, coop, coop_user):
    variant = traced_run.variant
    warehouse = coop.warehouses.first()
    stock = Stock.objects.get(product_variant=variant, warehouse=warehouse)
    before = stock.quantity
    with pytest.raises(ValidationError) as excinfo:
        shop_services.set_stock(variant, warehouse, before + 50)
    assert excinfo.value.error_dict["quantity"][0].code == "traced_stock_from_packing"
    # The same count again is no change, so a stock form saved untouched still passes.
    shop_services.set_stock(variant, warehouse, before)

    result = gql_as(coop_user).data(STOCKS_UPDATE, {
        "variantId": gid("ProductVariant", variant.pk),
        "stocks": [{"warehouse": gid("Warehouse", warehouse.pk), "quantity": before + 50}]})
    errors = result["productVariantStocksUpdate"]["errors"]
    assert errors and errors[0]["field"] == "stocks" and "packing runs" in errors[0]["message"]

    client = Client()
    client.force_login(coop_user)
    page = client.post(f"/work/variants/{variant.pk}/", {"action": "stock",
                                                         f"wh_{warehouse.pk}": before + 50})
    assert page.status_code == 400 and "实行一物一码" in page.content.decode()
    stock.refresh_from_db()
    assert stock.quantity == before

    # Packing adds stock, with one code per package.
    run = services.create_packing_run(traced_run.graded_lot, variant=variant,
                                      warehouse=warehouse, quantity=3, net_weight_kg="0.5",
                                      user=coop_user)
    stock.refresh_from_db()
    assert stock.quantity == before + 3 and run.trace_codes.count() == 3


def test_untraced_product_keeps_hand_set_stock(variant, coop):
    warehouse = coop.warehouses.first()
    assert shop_services.set_stock(variant, warehouse, 77).quantity == 77


def test_traced_line_ships_only_with_one_valid_code_per_unit(gql_as, paid_order, traced_run,
                                                             coop_user):
    client = gql_as(coop_user)
    line = paid_order.lines.get()
    codes = list(traced_run.trace_codes.order_by("serial").values_list("code", flat=True))
    order_id, line_id = gid("Order", paid_order.pk), gid("OrderLine", line.pk)
    for lines in ([{"orderLineId": line_id, "quantity": 2}],
                  [{"orderLineId": line_id, "quantity": 2, "codes": [codes[0]]}]):
        refused = client.data(FULFILL_WITH_CODES, {"order": order_id, "lines": lines})
        assert refused["orderFulfillWithCodes"]["errors"][0]["code"] == "TRACE_CODES_REQUIRED"
    # A code that was never issued is not a valid one.
    bogus = client.data(FULFILL_WITH_CODES, {"order": order_id, "lines": [
        {"orderLineId": line_id, "codes": [codes[0], "ABCDEFGHJKMNPQRS"]}]})
    assert bogus["orderFulfillWithCodes"]["errors"]
    assert ShippedCode.objects.count() == 0
    paid_order.refresh_from_db()
    assert paid_order.status == Order.Status.PAID

    # Nor through the plain fulfilment, which records no codes.
    plain = client.data(PLAIN_FULFIL, {"order": order_id, "lines": [
        {"orderLineId": line_id, "quantity": 2}]})["orderFulfill"]
    assert plain["errors"] and plain["errors"][0]["field"] == "lines"
    assert "trace code" in plain["errors"][0]["message"]
    assert ShippedCode.objects.count() == 0 and not paid_order.fulfillments.exists()

    shipped = client.data(FULFILL_WITH_CODES, {"order": order_id, "lines": [
        {"orderLineId": line_id, "codes": codes[:2]}]})["orderFulfillWithCodes"]
    assert shipped["errors"] == [] and shipped["order"]["pavilionStatus"] == "SHIPPED"
    assert [c["code"] for c in shipped["shippedCodes"]] == codes[:2]


def test_product_page_promises_codes_only_when_traced(packing_run, persimmon, channel):
    promise, sample = "每件商品都有追溯码", "查看追溯示例"
    url = f"/product/{persimmon.slug}/"
    page = Client().get(url).content.decode()
    assert promise not in page and sample not in page and "质量追溯" not in page
    traced.set_traced(persimmon, True)
    page = Client().get(url).content.decode()
    # No code looked up yet: none is shown, or a shopper's look at the sample would take
    # the first look-up of a package still to be sold.
    assert "质量追溯" in page and promise in page and sample not in page
    code = packing_run.trace_codes.order_by("serial").first().code
    assert Client().get(f"/t/{code}").status_code == 200
    cache.clear()  # the product page as a visitor gets it once the stored one has expired
    page = Client().get(url).content.decode()
    assert sample in page and f"/t/{code}" in page


@pytest.fixture
def brand(category, pavilion):
    authority = make_org("渑池县农产品区域公用品牌管理办公室", "mianchi-brand-office",
                         Organization.Kind.BRAND_AUTHORITY)
    brand = RegionalBrand.objects.create(
        name="仰韶彩陶坊", slug="yangshao", code="MC", county="渑池县", authority=authority,
        pavilion=pavilion, default_label_quota=1000)
    brand_services.set_brand_category(brand, category.parent, min_grade="一级",
                                      standard="柿饼：含水量≤35%")
    return brand


def test_brand_labelled_products_are_always_traced(brand, coop, coop_user, persimmon,
                                                   graded_lot):
    reviewer = make_member(brand.authority, "reviewer@example.com")
    assert not traced.is_traced(persimmon)
    granted(brand, coop, coop_user, reviewer, products=[persimmon])
    assert traced.is_traced(persimmon)  # covered by a licence in force, flag or not
    with pytest.raises(ValidationError) as excinfo:
        traced.set_traced(persimmon, False)
    assert excinfo.value.error_dict["is_traced"][0].code == "brand_product_traced"
    variant = persimmon.variants.order_by("sku").first()
    with pytest.raises(ValidationError):
        shop_services.set_stock(variant, coop.warehouses.first(), 500)
    services.create_packing_run(graded_lot, variant=variant, warehouse=coop.warehouses.first(),
                                quantity=2, net_weight_kg="0.5", user=coop_user,
                                brand_labelled=True)
    # The flag stays once brand labels are out, even after the licence lapses.
    assert Product.objects.get(pk=persimmon.pk).is_traced
    assert Decimal(2) == Decimal(variant.stocks.get().quantity) - 10
