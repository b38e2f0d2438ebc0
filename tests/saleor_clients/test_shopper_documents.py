"""A Saleor storefront's shopper journey, sent as such a client sends it (the documents in
``documents/``, Saleor's names, fragments and variables) through the real ``/graphql/``
view: browsing and a product page, a guest's cart up to an order without paying, then a
signed-in shopper's address book, account and orders."""

from __future__ import annotations

import pytest
from graphql import validate

from api.schema import schema
from shop.models import Order, Stock, User
from tests.clients import GraphQLClient
from tests.factories import ADDRESS, gid

from .conftest import definitions, document, operation_document

CHANNEL = "default"
ADDRESS_IN_XI = {**ADDRESS, "firstName": "李华", "streetAddress1": "淮河路 3 号",
                 "city": "信阳市", "cityArea": "息县", "postalCode": "464300"}


def run(client, name, **variables):
    return client.data(document(name), variables)


def test_every_shopper_document_validates_against_the_schema():
    operations, _fragments = definitions()
    assert len(operations) >= 25
    failures = {name: [e.message for e in validate(schema.graphql_schema,
                                                    operation_document(name))]
                for name in operations}
    assert {name: errors for name, errors in failures.items() if errors} == {}


@pytest.mark.django_db
def test_a_guest_browses_fills_a_cart_and_completes_it_into_an_unpaid_order(
        persimmon, variant, category, shipping):
    guest = GraphQLClient()
    channels = run(guest, "ChannelsList")["channels"]
    assert [c["slug"] for c in channels] == [CHANNEL] and channels[0]["currencyCode"] == "CNY"

    page = run(guest, "ProductListPaginated", first=10, channel=CHANNEL)["products"]
    assert page["totalCount"] == 1 and not page["pageInfo"]["hasNextPage"]
    card = page["edges"][0]["node"]
    assert card["slug"] == "mianchi-shibing"
    assert card["pricing"]["priceRange"]["start"]["gross"] == {"amount": 39.9, "currency": "CNY"}
    assert card["pricing"]["priceRange"]["stop"]["gross"]["amount"] == 58.0
    in_category = run(guest, "ProductListByCategory", slug=category.slug, channel=CHANNEL)
    assert [e["node"]["slug"] for e in in_category["category"]["products"]["edges"]] == \
        ["mianchi-shibing"]

    product = run(guest, "ProductDetails", slug="mianchi-shibing", channel=CHANNEL,
                  languageCode="EN")["product"]
    assert product["isAvailable"] and product["translation"] is None
    chosen = next(v for v in product["variants"] if v["id"] == gid("ProductVariant", variant.pk))
    assert chosen["quantityAvailable"] == 10
    assert chosen["pricing"]["price"]["gross"]["amount"] == 39.9

    created = run(guest, "CheckoutCreate", channel=CHANNEL, email="guest@example.com",
                  languageCode="EN",
                  lines=[{"variantId": chosen["id"], "quantity": 1}])["checkoutCreate"]
    assert created["errors"] == []
    checkout = created["checkout"]
    checkout_id = checkout["id"]
    assert checkout["quantity"] == 1 and checkout["isShippingRequired"]

    added = run(guest, "CheckoutAddLine", id=checkout_id, languageCode="EN",
                lines=[{"variantId": chosen["id"], "quantity": 2}])["checkoutLinesAdd"]
    assert added["errors"] == [] and added["checkout"]["quantity"] == 3
    line_id = added["checkout"]["lines"][0]["id"]
    updated = run(guest, "CheckoutLinesUpdate", id=checkout_id, languageCode="EN",
                  lines=[{"lineId": line_id, "quantity": 2}])["checkoutLinesUpdate"]
    assert updated["errors"] == [] and updated["checkout"]["quantity"] == 2

    # Too many for the stock: a typed error, the cart unchanged.
    refused = run(guest, "CheckoutLinesUpdate", id=checkout_id, languageCode="EN",
                  lines=[{"lineId": line_id, "quantity": 999}])["checkoutLinesUpdate"]
    assert refused["checkout"] is None
    assert [e["field"] for e in refused["errors"]] == ["quantity"]

    addressed = run(guest, "CheckoutShippingAddressUpdate", id=checkout_id, languageCode="EN",
                    address=ADDRESS)["checkoutShippingAddressUpdate"]
    assert addressed["errors"] == []
    checkout = addressed["checkout"]
    assert checkout["shippingAddress"]["cityArea"] == "渑池县"
    # A checkout's address is not in any address book.
    assert checkout["shippingAddress"]["isDefaultShippingAddress"] is None
    methods = {m["name"]: m for m in checkout["shippingMethods"]}
    assert set(methods) == {"中国邮政", "顺丰速运"}
    assert methods["中国邮政"]["translation"] is None
    billed = run(guest, "CheckoutBillingAddressUpdate", id=checkout_id, languageCode="EN",
                 address=ADDRESS_IN_XI)["checkoutBillingAddressUpdate"]
    assert billed["errors"] == [] and billed["checkout"]["billingAddress"]["cityArea"] == "息县"

    chosen_method = run(guest, "CheckoutDeliveryMethodUpdate", id=checkout_id,
                        languageCode="EN", deliveryMethodId=methods["中国邮政"]["id"]
                        )["checkoutDeliveryMethodUpdate"]
    assert chosen_method["errors"] == []
    checkout = chosen_method["checkout"]
    assert checkout["deliveryMethod"] == {"__typename": "ShippingMethod",
                                          "id": methods["中国邮政"]["id"], "name": "中国邮政"}
    assert checkout["totalPrice"]["gross"]["amount"] == pytest.approx(
        checkout["subtotalPrice"]["gross"]["amount"] + checkout["shippingPrice"]["gross"]["amount"])
    found = run(guest, "CheckoutFind", id=checkout_id, languageCode="EN")["checkout"]
    assert found["totalPrice"] == checkout["totalPrice"]

    completed = run(guest, "CheckoutComplete", id=checkout_id)["checkoutComplete"]
    assert completed["errors"] == [] and completed["confirmationNeeded"] is False
    order = completed["order"]
    assert order["isPaid"] is False and order["paymentStatus"] == "NOT_CHARGED"
    # Older storefronts link an order by its token and read it back with orderByToken.
    assert order["token"] == checkout["token"]
    assert order["total"] == checkout["totalPrice"]
    assert [(line["productName"], line["quantity"]) for line in order["lines"]] == \
        [("渑池柿饼", 2)]
    assert Order.objects.get(number=order["number"]).user_email == "guest@example.com"

    # Completing again answers the same order (a client retrying after a lost answer).
    again = run(guest, "CheckoutComplete", id=checkout_id)["checkoutComplete"]
    assert again["order"]["id"] == order["id"] and again["errors"] == []


@pytest.mark.django_db
def test_a_signed_in_shopper_keeps_an_address_book_and_sees_its_orders(persimmon, variant,
                                                                       shipping):
    User.objects.create_user("li@example.com", "a-Strong-pass-123")
    anonymous = GraphQLClient()
    signed = run(anonymous, "TokenCreate", email="li@example.com",
                 password="a-Strong-pass-123")["tokenCreate"]
    assert signed["errors"] == [] and signed["token"]
    shopper = GraphQLClient()
    shopper.token = signed["token"]

    first = run(shopper, "AccountAddressCreate", address=ADDRESS,
                type="SHIPPING")["accountAddressCreate"]
    assert first["errors"] == []
    assert first["address"]["isDefaultShippingAddress"] is True
    second = run(shopper, "AccountAddressCreate", address=ADDRESS_IN_XI,
                 type=None)["accountAddressCreate"]
    home, xi = first["address"]["id"], second["address"]["id"]
    flags = {a["id"]: (a["isDefaultShippingAddress"], a["isDefaultBillingAddress"])
             for a in second["user"]["addresses"]}
    # The first address became the default of both kinds (as in Saleor).
    assert flags == {home: (True, True), xi: (False, False)}

    moved = run(shopper, "AccountSetDefaultAddress", id=xi,
                type="BILLING")["accountSetDefaultAddress"]
    flags = {a["id"]: (a["isDefaultShippingAddress"], a["isDefaultBillingAddress"])
             for a in moved["user"]["addresses"]}
    assert flags == {home: (True, False), xi: (False, True)}
    renamed = run(shopper, "AccountAddressUpdate", id=xi,
                  address={**ADDRESS_IN_XI, "firstName": "李小华"})["accountAddressUpdate"]
    assert renamed["errors"] == [] and renamed["address"]["firstName"] == "李小华"
    me = run(shopper, "CurrentUser")["me"]
    assert me["email"] == "li@example.com" and me["avatar"] is None
    assert me["defaultShippingAddress"]["id"] == home
    assert me["defaultBillingAddress"]["id"] == xi
    assert me["defaultBillingAddress"]["isDefaultBillingAddress"] is True

    # A cart bought as a guest is attached to the account, then completed.
    checkout = run(anonymous, "CheckoutCreate", channel=CHANNEL, email="li@example.com",
                   languageCode="ZH_HANS",
                   lines=[{"variantId": gid("ProductVariant", variant.pk), "quantity": 1}]
                   )["checkoutCreate"]["checkout"]
    attached = run(shopper, "CheckoutCustomerAttach", id=checkout["id"],
                   languageCode="ZH_HANS")["checkoutCustomerAttach"]
    assert attached["errors"] == []
    run(shopper, "CheckoutShippingAddressUpdate", id=checkout["id"], languageCode="ZH_HANS",
        address=ADDRESS)
    run(shopper, "CheckoutDeliveryMethodUpdate", id=checkout["id"], languageCode="ZH_HANS",
        deliveryMethodId=gid("ShippingMethod", shipping["sf"].pk))
    order = run(shopper, "CheckoutComplete", id=checkout["id"])["checkoutComplete"]["order"]
    assert order["userEmail"] == "li@example.com"

    orders = run(shopper, "CurrentUserOrderList", first=10)["me"]["orders"]
    assert orders["totalCount"] == 1
    assert orders["edges"][0]["node"]["number"] == order["number"]
    assert run(shopper, "OrderDetails", id=order["id"])["order"]["number"] == order["number"]
    # Someone else signed in, or nobody, gets nothing for the same ID.
    assert run(anonymous, "OrderDetails", id=order["id"])["order"] is None
    User.objects.create_user("wang@example.com", "a-Strong-pass-123")
    assert run(GraphQLClient(User.objects.get(email="wang@example.com")), "OrderDetails",
               id=order["id"])["order"] is None

    gone = run(shopper, "AccountAddressDelete", id=xi)["accountAddressDelete"]
    assert [a["id"] for a in gone["user"]["addresses"]] == [home]


@pytest.mark.django_db
def test_the_older_storefront_operations_remove_a_line_choose_a_carrier_and_read_the_shop(
        persimmon, variant, shipping, pavilion):
    guest = GraphQLClient()
    shop = run(guest, "ShopInfo", languageCode="ZH_HANS")["shop"]
    assert shop["name"] == pavilion.name and shop["channelCurrencies"] == ["CNY"]
    assert shop["countries"] == [{"code": "CN", "country": "中国"}]
    assert shop["companyAddress"] is None and shop["permissions"] == []

    lines = [{"variantId": gid("ProductVariant", v.pk), "quantity": 2}
             for v in persimmon.variants.order_by("sku")]
    checkout = run(guest, "CheckoutCreate", channel=CHANNEL, email="guest@example.com",
                   languageCode="EN", lines=lines)["checkoutCreate"]["checkout"]
    first = checkout["lines"][0]["id"]
    removed = run(guest, "CheckoutLineDelete", checkoutId=checkout["id"], lineId=first,
                  languageCode="EN")["checkoutLineDelete"]
    assert removed["errors"] == [] and first not in [
        line["id"] for line in removed["checkout"]["lines"]]
    assert removed["checkout"]["quantity"] == 2

    addressed = run(guest, "CheckoutShippingAddressUpdate", id=checkout["id"],
                    languageCode="EN", address=ADDRESS)["checkoutShippingAddressUpdate"]
    method = next(m for m in addressed["checkout"]["shippingMethods"] if m["name"] == "中国邮政")
    chosen = run(guest, "CheckoutShippingMethodUpdate", checkoutId=checkout["id"],
                 shippingMethodId=method["id"], languageCode="EN")["checkoutShippingMethodUpdate"]
    assert chosen["errors"] == []
    assert chosen["checkout"]["deliveryMethod"]["id"] == method["id"]

    # Sold out in the meantime: react-storefront is told which variant.
    left = removed["checkout"]["lines"][0]["variant"]["id"]
    Stock.objects.filter(product_variant__product=persimmon).update(quantity=1)
    completed = run(guest, "CheckoutCompleteByToken",
                    checkoutToken=checkout["token"])["checkoutComplete"]
    assert completed["order"] is None
    assert [(e["field"], e["variants"], e["addressType"]) for e in completed["errors"]] == [
        ("quantity", [left], None)]
