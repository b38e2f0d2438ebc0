"""The sold-out gate's refusal through the real checkoutComplete: answered from the
checkout's card in the cache (no statement), naming exactly the lines sold out in the
message and in Saleor's ``variants``, following every change of the checkout's lines and
owner, never standing in the way of a checkout completed already, and read from the
database again when the cache lost the card. Stock refusals elsewhere in the checkout name
their variant too."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop import services
from shop.models import Order, Stock, User
from tests.clients import GraphQLClient
from tests.factories import PASSWORD, SERVICE_ADDRESS, gid, make_product, ready_checkout
from tests.flash_sales import GATE_COMPLETE, complete, refused_without_touching_a_row

LINES_DELETE = """mutation($id: ID, $ids: [ID!]!) { checkoutLinesDelete(id: $id, linesIds: $ids) {
  checkout { lines { variant { id } } } errors { code } } }"""
ATTACH = """mutation($id: ID) { checkoutCustomerAttach(id: $id) { errors { code } } }"""
CREATE = """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { token } errors { field code message variants } } }"""
LINES_ADD = """mutation($id: ID, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) { checkout { token }
    errors { field code message variants } } }"""


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other(persimmon):
    """The 58.00 元 grade of 渑池柿饼, 特级 500g (10 in stock)."""
    return persimmon.variants.get(sku="mianchi-shibing-0")


def sell_out(channel, variant, shipping) -> dict:
    """Leave one unit of ``variant`` free and have a buyer take it, which closes its gate
    as their order commits; returns that buyer's payload."""
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, stock.quantity_allocated + 1)
    payload = complete(ready_checkout(channel, variant, shipping, email="last@example.com"))
    assert payload["order"], payload
    return payload


def two_line_checkout(channel, variant, other, shipping):
    checkout = services.create_checkout(
        channel.slug, email="both@example.com", shipping_address=SERVICE_ADDRESS,
        lines=[{"variant_id": other.pk, "quantity": 1}, {"variant_id": variant.pk, "quantity": 1}])
    return services.update_checkout_delivery_method(checkout, shipping["post"].pk)


@pytest.mark.django_db(transaction=True)
def test_the_refusal_names_exactly_the_line_sold_out_and_follows_the_lines(
        channel, variant, other, shipping):
    both = two_line_checkout(channel, variant, other, shipping)
    sell_out(channel, variant, shipping)

    error = refused_without_touching_a_row(both, variant.name, [variant])
    assert other.name not in error["message"]

    # The buyer takes the sold-out line out: the gate no longer stands in the way, and
    # the rest of the checkout is bought.
    line = both.lines.get(variant=variant)
    client = GraphQLClient()
    left = client.data(LINES_DELETE, {"id": gid("Checkout", both.token),
                                      "ids": [gid("CheckoutLine", line.pk)]})
    assert left["checkoutLinesDelete"]["checkout"]["lines"] == [
        {"variant": {"id": gid("ProductVariant", other.pk)}}]
    bought = complete(both)
    assert bought["order"], bought
    assert [(line["productSku"], line["quantity"]) for line in bought["order"]["lines"]] == [
        (other.sku, 1)]


@pytest.mark.django_db(transaction=True)
def test_completing_the_last_unit_again_returns_its_order(channel, variant, shipping):
    """The buyer of the last unit closes the gate; their app retries the completion (a
    lost answer): it gets the same order, not a sold-out refusal."""
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 1)
    mine, late = (ready_checkout(channel, variant, shipping, email=f"{n}@example.com")
                  for n in ("mine", "late"))
    first = complete(mine)
    assert first["order"]
    refused_without_touching_a_row(late, variant.product.name, [variant])
    again = complete(mine)
    assert again["errors"] == [] and again["order"]["number"] == first["order"]["number"]
    assert Order.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_card_the_cache_lost_is_read_from_the_database_once(channel, variant, shipping):
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 2)
    checkout = ready_checkout(channel, variant, shipping, email="late@example.com")
    sell_out(channel, variant, shipping)
    for key in (f"checkoutcard:{checkout.token}", f"checkoutstamp:{checkout.token}"):
        cache.delete(key)

    with CaptureQueriesContext(connection) as queries:
        refused = GraphQLClient().post(GATE_COMPLETE, {"id": gid("Checkout", checkout.token)})
    error = refused["data"]["checkoutComplete"]["errors"]
    assert [(e["code"], e["variants"]) for e in error] == [
        ("INSUFFICIENT_STOCK", [gid("ProductVariant", variant.pk)])]
    assert len(queries.captured_queries) == 1
    assert "FOR UPDATE" not in queries.captured_queries[0]["sql"]
    refused_without_touching_a_row(checkout, variant.product.name, [variant])


@pytest.mark.django_db(transaction=True)
def test_a_checkout_attached_to_a_buyer_is_no_strangers_even_once_sold_out(
        channel, variant, shipping):
    """A guest's checkout becomes a signed-in buyer's: from then on a stranger with its ID
    is told it does not exist, sold out or not; its owner is told it is sold out."""
    buyer = User.objects.create_user("buyer@example.com", PASSWORD)
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 2)
    checkout = ready_checkout(channel, variant, shipping, email="buyer@example.com")
    cid = {"id": gid("Checkout", checkout.token)}
    sell_out(channel, variant, shipping)
    refused_without_touching_a_row(checkout, variant.product.name, [variant])

    assert GraphQLClient(buyer).data(ATTACH, cid)["checkoutCustomerAttach"]["errors"] == []
    stranger = GraphQLClient().data(GATE_COMPLETE, cid)["checkoutComplete"]
    assert [e["code"] for e in stranger["errors"]] == ["NOT_FOUND"]
    assert variant.product.name not in stranger["errors"][0]["message"]
    own = GraphQLClient(buyer).data(GATE_COMPLETE, cid)["checkoutComplete"]
    assert [(e["code"], e["variants"]) for e in own["errors"]] == [
        ("INSUFFICIENT_STOCK", [gid("ProductVariant", variant.pk)])]


@pytest.mark.django_db
def test_asking_for_more_than_the_stock_names_the_variant(channel, variant, shipping):
    """checkoutCreate and checkoutLinesAdd refuse more units than are free with the
    variant in Saleor's ``variants``."""
    client = GraphQLClient()
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 2)
    line = {"variantId": gid("ProductVariant", variant.pk), "quantity": 3}
    created = client.data(CREATE, {"input": {"channel": channel.slug, "lines": [line]}})
    assert created["checkoutCreate"]["checkout"] is None
    assert created["checkoutCreate"]["errors"] == [{
        "field": "quantity", "code": "INSUFFICIENT_STOCK",
        "message": f"Insufficient product stock: {variant.product.name} {variant.name}",
        "variants": [gid("ProductVariant", variant.pk)]}]

    ok = client.data(CREATE, {"input": {"channel": channel.slug,
                                        "lines": [{**line, "quantity": 2}]}})
    token = ok["checkoutCreate"]["checkout"]["token"]
    added = client.data(LINES_ADD, {"id": gid("Checkout", token), "lines": [
        {**line, "quantity": 1}]})["checkoutLinesAdd"]
    assert added["checkout"] is None
    assert [(e["code"], e["variants"]) for e in added["errors"]] == [
        ("INSUFFICIENT_STOCK", [gid("ProductVariant", variant.pk)])]


PRODUCT_DELETE = """mutation($id: ID!) { productDelete(id: $id) { errors { code } } }"""


@pytest.mark.django_db(transaction=True)
def test_a_product_deleted_from_carts_is_no_longer_named_by_the_gate(
        channel, coop, coop_user, product_type, category, variant, shipping):
    """A checkout holds a sold-out line; its seller deletes that product: the line leaves
    the checkout, and completing it buys the rest instead of refusing the line that went."""
    apricot = make_product(coop, product_type, category, channel, "仰韶杏", "yangshao-apricot",
                           ["20.00"]).variants.get()
    services.set_stock(apricot, Stock.objects.get(product_variant=apricot).warehouse, 1)
    both = two_line_checkout(channel, apricot, variant, shipping)
    probe = ready_checkout(channel, apricot, shipping, email="probe@example.com")
    services.set_stock(apricot, Stock.objects.get(product_variant=apricot).warehouse, 0)
    assert complete(probe)["errors"][0]["code"] == "INSUFFICIENT_STOCK"  # closes the gate
    refused_without_touching_a_row(both, apricot.product.name, [apricot])

    deleted = GraphQLClient(coop_user).data(PRODUCT_DELETE,
                                            {"id": gid("Product", apricot.product_id)})
    assert deleted["productDelete"]["errors"] == []
    bought = complete(both)
    assert bought["errors"] == [], bought
    assert [(line["productSku"], line["quantity"]) for line in bought["order"]["lines"]] == [
        (variant.sku, 1)]
