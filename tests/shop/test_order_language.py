"""A guest's language travels from the checkout to the order and to every notice the
order sends, through the real /graphql/ view: a new checkout records the request's
language unless ``languageCode`` names one, ``checkoutLanguageCodeUpdate`` changes it (a
signed-in buyer's checkout only for that buyer), the order answers it as
``languageCodeEnum``, and its e-mails and the pick-up notice are written in it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from shop import services as shop_services
from shop.models import Order
from shop.services.pickup import mark_ready_for_pickup, save_pickup_point
from shop.tasks import send_order_notification
from tests.clients import GraphQLClient
from tests.factories import ADDRESS, SERVICE_ADDRESS, gid, make_member

pytestmark = pytest.mark.django_db

CREATE = """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { id languageCode } errors { field code } } }"""
LANGUAGE = """mutation($id: ID!, $code: LanguageCodeEnum!) {
  checkoutLanguageCodeUpdate(id: $id, languageCode: $code) {
    checkout { languageCode } errors { field code } } }"""
SHIP = """mutation($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) { errors { code } } }"""
CHOOSE = """mutation($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) { errors { code } } }"""
COMPLETE = """mutation($id: ID!) { checkoutComplete(id: $id) {
  order { number languageCode languageCodeEnum } errors { field code } } }"""


def _create(gql, variant, **extra):
    payload = gql.data(CREATE, {"input": {
        "channel": "default", "email": "guest@example.com",
        "lines": [{"variantId": gid("ProductVariant", variant.pk), "quantity": 1}], **extra}})
    assert payload["checkoutCreate"]["errors"] == []
    return payload["checkoutCreate"]["checkout"]


def _complete(gql, checkout_id, method_id):
    assert gql.data(SHIP, {"id": checkout_id, "address": ADDRESS})[
        "checkoutShippingAddressUpdate"]["errors"] == []
    assert gql.data(CHOOSE, {"id": checkout_id, "method": method_id})[
        "checkoutDeliveryMethodUpdate"]["errors"] == []
    done = gql.data(COMPLETE, {"id": checkout_id})["checkoutComplete"]
    assert done["errors"] == []
    return done["order"]


def test_the_request_language_or_the_given_code_is_recorded(variant):
    # Nothing named: the request's language (Accept-Language), as the shop speaks it.
    assert _create(GraphQLClient(language="bo"), variant)["languageCode"] == "BO"
    assert _create(GraphQLClient(language="fr"), variant)["languageCode"] == "ZH_HANS"
    # Named: the code as sent, whatever the request's language.
    assert _create(GraphQLClient(language="zh-hans"), variant,
                   languageCode="EN_GB")["languageCode"] == "EN_GB"


def test_a_guest_order_and_its_notices_are_in_the_guests_language(variant, shipping):
    gql = GraphQLClient(language="zh-hans")
    checkout = _create(gql, variant)
    assert checkout["languageCode"] == "ZH_HANS"
    changed = gql.data(LANGUAGE, {"id": checkout["id"], "code": "EN_US"})
    assert changed["checkoutLanguageCodeUpdate"] == {"checkout": {"languageCode": "EN_US"},
                                                     "errors": []}
    order = _complete(gql, checkout["id"], gid("ShippingMethod", shipping["post"].pk))
    assert (order["languageCode"], order["languageCodeEnum"]) == ("en", "EN")
    placed = Order.objects.get(number=order["number"])
    assert placed.user_id is None and placed.language_code == "en"

    mail.outbox.clear()
    assert send_order_notification(placed.pk, "order_placed")
    assert mail.outbox[0].subject == f"Your order {placed.number} has been placed"

    # A guest who shopped in Chinese (the request's language) is written to in Chinese.
    chinese = _create(gql, variant)
    number = _complete(gql, chinese["id"],
                       gid("ShippingMethod", shipping["post"].pk))["number"]
    send_order_notification(Order.objects.get(number=number).pk, "order_placed")
    assert mail.outbox[-1].subject.startswith("您的订单")


def test_the_pick_up_notice_to_a_guest_is_in_the_guests_language(variant, coop, coop_user,
                                                                 shipping):
    point = save_pickup_point(coop.warehouses.get(), address="渑池县果园乡果园村 12 号",
                              opening_hours="每天 8:00-18:00")
    gql = GraphQLClient(language="en")
    checkout = _create(gql, variant)
    order = _complete(gql, checkout["id"], gid("Warehouse", point.warehouse_id))
    placed = Order.objects.get(number=order["number"])
    Order.objects.filter(pk=placed.pk).update(status=Order.Status.PAID)
    mail.outbox.clear()
    mark_ready_for_pickup(placed, coop, coop_user)
    assert mail.outbox[0].subject == f"Your order {placed.number} is ready for pick-up"


def test_language_refusals(variant, coop):
    buyer = make_member(coop, "buyer@example.com")
    theirs = shop_services.create_checkout("default", user=buyer, lines=[
        {"variant_id": variant.pk, "quantity": 1}])
    recorded = theirs.language_code
    # Someone else's checkout is not found, and keeps its language.
    refused = GraphQLClient().data(LANGUAGE, {"id": gid("Checkout", theirs.token),
                                              "code": "BO"})["checkoutLanguageCodeUpdate"]
    assert refused == {"checkout": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}
    # Not one of Saleor's codes: refused by the schema.
    invalid = GraphQLClient(buyer).post(LANGUAGE, {"id": gid("Checkout", theirs.token),
                                                   "code": "TIBETAN"})
    assert invalid["errors"] and not invalid.get("data")
    theirs.refresh_from_db()
    assert theirs.language_code == recorded
    # Its owner may.
    done = GraphQLClient(buyer).data(LANGUAGE, {"id": gid("Checkout", theirs.token),
                                                "code": "BO"})["checkoutLanguageCodeUpdate"]
    assert done == {"checkout": {"languageCode": "BO"}, "errors": []}


def test_a_guest_order_placed_in_the_tibetan_storefront_is_tibetan(persimmon, shipping,
                                                                    alipay_gateway, settings):
    shopper = Client()
    shopper.cookies[settings.LANGUAGE_COOKIE_NAME] = "bo"
    variant = persimmon.variants.order_by("sku").first()
    shopper.post(f"/product/{persimmon.slug}/", {"variant": variant.pk, "quantity": 1})
    shopper.post("/checkout/", {"step": "address", "email": "dorje@example.com",
                                **SERVICE_ADDRESS})
    response = shopper.post("/checkout/", {"step": "pay", "method": shipping["post"].pk})
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.user_id is None and order.language_code == "bo"
    assert order.buyer_language() == "bo"
