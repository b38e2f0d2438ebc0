"""A shopper's checkout through the real /graphql/ view, in Saleor's shapes."""

import pytest

from shop.models import Checkout, CheckoutLine, Order, Stock
from tests.factories import ADDRESS, COMPLETE, gid, ready_checkout

pytestmark = pytest.mark.django_db

CHECKOUT_FIELDS = """
  id token email quantity
  lines { id quantity variant { id sku } unitPrice { gross { amount currency } }
          totalPrice { gross { amount } } }
  shippingAddress { firstName countryArea city cityArea streetAddress1 postalCode phone
                    country { code } }
  shippingMethods { id name price { amount currency } }
  deliveryMethod { ... on ShippingMethod { id name } }
  subtotalPrice { gross { amount currency } }
  shippingPrice { gross { amount } }
  totalPrice { gross { amount currency } }
"""

CREATE = """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { %s } errors { field code message } } }""" % CHECKOUT_FIELDS
ADD = """mutation($id: ID, $lines: [CheckoutLineInput!]!) { checkoutLinesAdd(id: $id, lines: $lines) {
  checkout { %s } errors { field code message } } }""" % CHECKOUT_FIELDS
UPDATE = """mutation($id: ID, $lines: [CheckoutLineUpdateInput!]!) {
  checkoutLinesUpdate(id: $id, lines: $lines) { checkout { %s } errors { field code message } } }
""" % CHECKOUT_FIELDS
DELETE = """mutation($id: ID, $ids: [ID!]!) { checkoutLinesDelete(id: $id, linesIds: $ids) {
  checkout { quantity } errors { field code message } } }"""
EMAIL = """mutation($id: ID, $email: String!) { checkoutEmailUpdate(id: $id, email: $email) {
  checkout { email } errors { field code message } } }"""
SHIPPING_ADDRESS = """mutation($id: ID, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { %s } errors { field code message } } }""" % CHECKOUT_FIELDS
BILLING_ADDRESS = """mutation($id: ID, $address: AddressInput!) {
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address) {
    checkout { billingAddress { city } } errors { field code message } } }"""
DELIVERY = """mutation($id: ID, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { %s } errors { field code message } } }""" % CHECKOUT_FIELDS


def test_guest_checkout_from_basket_to_order(gql, channel, variant, shipping, coop):
    lines = [{"variantId": gid("ProductVariant", variant.pk), "quantity": 2}]
    created = gql.data(CREATE, {"input": {"channel": "default", "email": "Guest@Example.com",
                                          "lines": lines}})["checkoutCreate"]
    assert created["errors"] == []
    checkout = created["checkout"]
    assert checkout["email"] == "guest@example.com"
    assert checkout["quantity"] == 2
    assert checkout["subtotalPrice"]["gross"] == {"amount": 79.8, "currency": "CNY"}
    assert checkout["shippingMethods"] == []  # no address yet
    cid = checkout["id"]

    added = gql.data(ADD, {"id": cid, "lines": lines})["checkoutLinesAdd"]
    assert added["checkout"]["lines"][0]["quantity"] == 4
    updated = gql.data(UPDATE, {"id": cid, "lines": [
        {"lineId": added["checkout"]["lines"][0]["id"], "quantity": 1}]})["checkoutLinesUpdate"]
    assert updated["errors"] == [] and updated["checkout"]["quantity"] == 1
    assert gql.data(EMAIL, {"id": cid, "email": "buyer@example.com"})[
        "checkoutEmailUpdate"]["checkout"]["email"] == "buyer@example.com"

    with_address = gql.data(SHIPPING_ADDRESS, {"id": cid, "address": ADDRESS})[
        "checkoutShippingAddressUpdate"]
    assert with_address["errors"] == []
    address = with_address["checkout"]["shippingAddress"]
    assert (address["countryArea"], address["city"], address["cityArea"]) == (
        "河南省", "三门峡市", "渑池县")
    methods = {m["name"]: m["price"]["amount"] for m in with_address["checkout"]["shippingMethods"]}
    assert methods == {"中国邮政": 8.0, "顺丰速运": 12.0}

    sf_id = gid("ShippingMethod", shipping["sf"].pk)
    chosen = gql.data(DELIVERY, {"id": cid, "method": sf_id})["checkoutDeliveryMethodUpdate"]
    assert chosen["errors"] == []
    assert chosen["checkout"]["deliveryMethod"]["name"] == "顺丰速运"
    assert chosen["checkout"]["totalPrice"]["gross"] == {"amount": 51.9, "currency": "CNY"}

    completed = gql.data(COMPLETE, {"id": cid})["checkoutComplete"]
    assert completed["errors"] == []
    assert completed["confirmationNeeded"] is False
    order = completed["order"]
    assert (order["status"], order["pavilionStatus"]) == ("UNFULFILLED", "UNPAID")
    assert order["total"]["gross"] == {"amount": 51.9, "currency": "CNY"}
    assert order["userEmail"] == "buyer@example.com"
    assert order["number"].isdigit() and len(order["number"]) == 6
    line = order["lines"][0]
    assert (line["productName"], line["variantName"], line["productSku"], line["quantity"]) == (
        "渑池柿饼", variant.name, "mianchi-shibing-1", 1)
    assert line["unitPrice"]["gross"]["amount"] == 39.9
    assert line["seller"]["name"] == coop.name
    assert order["shippingMethodName"] == "顺丰速运"
    assert [e["type"] for e in order["events"]] == ["PLACED"]
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (10, 1)
    assert not Checkout.objects.exists()


def test_complete_is_idempotent(gql, channel, variant, shipping):
    checkout = ready_checkout(channel, variant, shipping, quantity=2)
    cid = gid("Checkout", checkout.token)
    first = gql.data(COMPLETE, {"id": cid})["checkoutComplete"]["order"]
    second = gql.data(COMPLETE, {"id": cid})["checkoutComplete"]
    assert second["errors"] == []
    assert second["order"]["id"] == first["id"]
    assert Order.objects.count() == 1
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 2


def test_remote_province_and_free_shipping(gql, channel, variant, shipping):
    checkout = ready_checkout(channel, variant, shipping, quantity=1)
    cid = gid("Checkout", checkout.token)
    tibet = dict(ADDRESS, countryArea="青海省", city="黄南藏族自治州", cityArea="泽库县",
                 postalCode="811400")
    data = gql.data(SHIPPING_ADDRESS, {"id": cid, "address": tibet})[
        "checkoutShippingAddressUpdate"]["checkout"]
    assert {m["name"]: m["price"]["amount"] for m in data["shippingMethods"]} == {
        "中国邮政": 15.0, "顺丰速运": 25.0}
    # 3 × 39.90 = 119.70 reaches 邮政's 99 元 threshold: shipping is free.
    data = gql.data(ADD, {"id": cid, "lines": [
        {"variantId": gid("ProductVariant", variant.pk), "quantity": 2}]})[
        "checkoutLinesAdd"]["checkout"]
    assert {m["name"]: m["price"]["amount"] for m in data["shippingMethods"]} == {
        "中国邮政": 0.0, "顺丰速运": 25.0}
    assert data["totalPrice"]["gross"]["amount"] == 119.7


@pytest.mark.parametrize("change, field, code", [
    ({"phone": "12345678901"}, "phone", "INVALID"),
    ({"phone": ""}, "phone", "REQUIRED"),
    ({"postalCode": "47240"}, "postalCode", "INVALID"),
    ({"countryArea": "火星省"}, "countryArea", "INVALID"),
    ({"city": "西安市"}, "city", "INVALID"),
    ({"cityArea": "朝阳区"}, "cityArea", "INVALID"),
    ({"country": "US"}, "country", "INVALID"),
    ({"streetAddress1": ""}, "streetAddress1", "REQUIRED"),
])
def test_bad_addresses_are_refused_in_chinese_and_change_nothing(
        gql, channel, variant, shipping, change, field, code):
    checkout = ready_checkout(channel, variant, shipping)
    before = checkout.shipping_address_id
    result = gql.data(SHIPPING_ADDRESS, {"id": gid("Checkout", checkout.token),
                                         "address": dict(ADDRESS, **change)})[
        "checkoutShippingAddressUpdate"]
    assert result["checkout"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, code)]
    assert result["errors"][0]["message"]
    checkout.refresh_from_db()
    assert checkout.shipping_address_id == before


def test_municipality_and_phone_formats_are_accepted(gql, channel, variant, shipping):
    checkout = ready_checkout(channel, variant, shipping)
    beijing = dict(ADDRESS, countryArea="北京市", city="北京市", cityArea="海淀区",
                   postalCode="100080", phone="+86 138-1234-5678")
    result = gql.data(BILLING_ADDRESS, {"id": gid("Checkout", checkout.token),
                                        "address": beijing})["checkoutBillingAddressUpdate"]
    assert result["errors"] == []
    assert result["checkout"]["billingAddress"]["city"] == "北京市"
    checkout.refresh_from_db()
    assert checkout.billing_address.phone == "13812345678"


def test_line_errors(gql, channel, variant, shipping, millet_draft):
    vid = gid("ProductVariant", variant.pk)
    too_many = gql.data(CREATE, {"input": {"channel": "default", "email": "a@example.com",
                                           "lines": [{"variantId": vid, "quantity": 11}]}})
    assert too_many["checkoutCreate"]["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    draft = millet_draft.variants.first()
    unlisted = gql.data(CREATE, {"input": {"channel": "default", "email": "a@example.com", "lines": [
        {"variantId": gid("ProductVariant", draft.pk), "quantity": 1}]}})
    assert unlisted["checkoutCreate"]["errors"][0]["code"] == "UNAVAILABLE_VARIANT_IN_CHANNEL"
    wrong_channel = gql.data(CREATE, {"input": {"channel": "nope", "lines": []}})
    assert wrong_channel["checkoutCreate"]["errors"][0]["code"] == "NOT_FOUND"
    bad_email = gql.data(CREATE, {"input": {"channel": "default", "email": "not-an-email",
                                            "lines": [{"variantId": vid, "quantity": 1}]}})
    assert bad_email["checkoutCreate"]["errors"][0]["field"] == "email"
    assert not Checkout.objects.exists()

    checkout = ready_checkout(channel, variant, shipping)
    cid = gid("Checkout", checkout.token)
    line = checkout.lines.get()
    zero = gql.data(ADD, {"id": cid, "lines": [{"variantId": vid, "quantity": 0}]})
    assert zero["checkoutLinesAdd"]["errors"][0]["code"] == "INVALID"
    deleted = gql.data(DELETE, {"id": cid, "ids": [gid("CheckoutLine", line.pk)]})
    assert deleted["checkoutLinesDelete"]["checkout"]["quantity"] == 0
    empty = gql.data(COMPLETE, {"id": cid})["checkoutComplete"]
    assert empty["order"] is None and empty["errors"][0]["code"] == "NO_LINES"
    missing = gql.data(COMPLETE, {"id": gid("Checkout", "6f1c1b8e-0000-4000-8000-000000000000")})
    assert missing["checkoutComplete"]["errors"][0]["code"] == "NOT_FOUND"
    assert not Order.objects.exists()


def test_complete_requires_address_and_method(gql, channel, variant):
    from shop import services

    checkout = services.create_checkout("default", email="a@example.com",
                                        lines=[{"variant_id": variant.pk, "quantity": 1}])
    result = gql.data(COMPLETE, {"id": gid("Checkout", checkout.token)})["checkoutComplete"]
    assert result["errors"][0]["code"] == "SHIPPING_ADDRESS_NOT_SET"
    assert CheckoutLine.objects.filter(checkout=checkout).count() == 1
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 0


def test_signed_in_checkout_belongs_to_the_buyer(gql_as, channel, variant, shipping,
                                                 coop_user, other_coop_user):
    buyer = gql_as(coop_user)
    created = buyer.data(CREATE, {"input": {"channel": "default", "lines": [
        {"variantId": gid("ProductVariant", variant.pk), "quantity": 1}]}})["checkoutCreate"]
    cid = created["checkout"]["id"]
    assert created["checkout"]["email"] == coop_user.email
    stranger = gql_as(other_coop_user).data(EMAIL, {"id": cid, "email": "x@example.com"})
    assert stranger["checkoutEmailUpdate"]["errors"][0]["code"] == "NOT_FOUND"
    query = "query($id: ID) { checkout(id: $id) { email } }"
    assert gql_as(other_coop_user).data(query, {"id": cid})["checkout"] is None
    assert buyer.data(query, {"id": cid})["checkout"]["email"] == coop_user.email


def test_every_address_message_has_a_chinese_translation():
    """Address errors are English msgids; each has a Simplified Chinese translation in the
    project's catalogue (written in Chinese characters, not left in English)."""
    import re
    from pathlib import Path

    import polib

    root = Path(__file__).resolve().parents[2]
    source = (root / "shop" / "addresses.py").read_text()
    msgids = set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', source))
    po = polib.pofile(str(root / "config" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    catalogue = {entry.msgid: entry.msgstr for entry in po}
    assert msgids and msgids <= set(catalogue)
    assert all(re.search("[\u4e00-\u9fff]", catalogue[m]) for m in msgids)
