"""自提: a cooperative's pick-up point is a free delivery choice at checkout (the storefront
and the API) for a cart of its own goods only; when the cooperative marks the paid order
ready (the workbench button or ``orderReadyForPickup``), the buyer is told once, by a
notification and a text message to the order's mobile number, and the order page says
where and when to collect it."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

from shop import services as shop_services
from shop.models import Notification, Order
from shop.services.pickup import save_pickup_point
from tests.clients import GraphQLClient
from tests.factories import SERVICE_ADDRESS, gid, make_member, make_product
from tests.sms_api import FakeSmsApi

pytestmark = pytest.mark.django_db

READY = """mutation($id: ID!) { orderReadyForPickup(id: $id) {
  readyAt order { number } errors { field code message } } }"""
METHODS = """query($id: ID!) { checkout(id: $id) {
  availableShippingMethods { id name carrier price { amount } } } }"""
CHOOSE = """mutation($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { deliveryMethod { ... on ShippingMethod { name } ... on Warehouse { name } }
               shippingPrice { gross { amount } } }
    errors { field code message } } }"""


@pytest.fixture
def point(coop):
    return save_pickup_point(coop.warehouses.get(), address="渑池县果园乡果园村 12 号",
                             opening_hours="每天 8:00-18:00", phone="0398-4812345")


@pytest.fixture
def sms(settings):
    api = FakeSmsApi()
    api.configure(settings, {"pickup_ready": "SMS_480009"})
    yield api
    api.close()


def _checkout(variant, quantity=1):
    checkout = shop_services.create_checkout(
        "default", email="buyer@example.com", shipping_address=SERVICE_ADDRESS,
        lines=[{"variant_id": variant.pk, "quantity": quantity}])
    return checkout


def test_the_storefront_offers_pick_up_and_the_order_page_says_where(
        point, persimmon, shipping, alipay_gateway, zh_catalogue):
    shopper = Client()
    variant = persimmon.variants.order_by("sku").first()
    shopper.post(f"/product/{persimmon.slug}/", {"variant": variant.pk, "quantity": 1})
    shopper.post("/checkout/", {"step": "address", "email": "buyer@example.com",
                                **SERVICE_ADDRESS})
    page = shopper.get("/checkout/").content.decode()
    assert ("到店自提（渑池县果园柿饼专业合作社）：渑池县果园乡果园村 12 号，每天 8:00-18:00"
            " · ¥0.00") in page
    response = shopper.post("/checkout/", {"step": "pay", "method": point.method_id})
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.shipping_price_amount == 0 and order.shipping_method_id == point.method_id
    html = shopper.get(f"/orders/{order.number}/").content.decode()
    assert 'id="pickup"' in html and "渑池县果园乡果园村 12 号" in html
    assert "每天 8:00-18:00" in html and "0398-4812345" in html
    assert "订单备好后我们会通知您提货" not in html  # not paid yet


def test_the_api_offers_pick_up_only_for_the_cooperatives_own_goods(
        point, persimmon, other_coop, product_type, category, channel, shipping):
    gql = GraphQLClient(language="zh-hans")
    own = _checkout(persimmon.variants.order_by("sku").first())
    methods = gql.data(METHODS, {"id": gid("Checkout", own.token)})["checkout"][
        "availableShippingMethods"]
    pickup = next(m for m in methods if m["carrier"] == "pickup")
    assert pickup["price"]["amount"] == 0 and "渑池县果园乡果园村 12 号" in pickup["name"]
    chosen = gql.data(CHOOSE, {"id": gid("Checkout", own.token), "method": pickup["id"]})[
        "checkoutDeliveryMethodUpdate"]
    assert chosen["errors"] == []
    assert chosen["checkout"]["shippingPrice"]["gross"]["amount"] == 0

    millet = make_product(other_coop, product_type, category, channel, "仰韶小米",
                          "yangshao-millet", ["20.00"])
    mixed = _checkout(millet.variants.get())
    methods = gql.data(METHODS, {"id": gid("Checkout", mixed.token)})["checkout"][
        "availableShippingMethods"]
    assert "pickup" not in {m["carrier"] for m in methods} and methods
    refused = gql.data(CHOOSE, {"id": gid("Checkout", mixed.token), "method": pickup["id"]})[
        "checkoutDeliveryMethodUpdate"]
    assert refused["checkout"] is None
    assert refused["errors"][0]["code"] == "DELIVERY_METHOD_NOT_APPLICABLE"
    assert "只交付本合作社的商品" in refused["errors"][0]["message"]


def _pickup_order(point, persimmon, user=None):
    checkout = _checkout(persimmon.variants.order_by("sku").first())
    shop_services.update_checkout_delivery_method(checkout, point.method_id)
    order = shop_services.complete_checkout(checkout.token, user)
    return order


def test_ready_for_pick_up_tells_the_buyer_once_by_notice_and_text(
        point, persimmon, coop, coop_user, other_coop_user, sms, zh_catalogue):
    buyer = make_member(coop, "buyer@example.com")
    order = _pickup_order(point, persimmon, user=buyer)
    # Not paid yet: nothing to collect.
    early = GraphQLClient(coop_user, language="zh-hans").data(READY, {"id": gid("Order", order.pk)})
    assert early["orderReadyForPickup"]["errors"][0]["code"] == "INVALID"
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    # Another cooperative's member may not.
    denied = GraphQLClient(other_coop_user).post(READY, {"id": gid("Order", order.pk)})
    assert denied["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"

    mail.outbox.clear()
    result = GraphQLClient(coop_user, language="zh-hans").data(
        READY, {"id": gid("Order", order.pk)})["orderReadyForPickup"]
    assert result["errors"] == [] and result["readyAt"]
    notice = Notification.objects.get(user=buyer, kind="pickup_ready")
    assert notice.subject == f"您的订单 {order.number} 已可自提"
    assert "渑池县果园乡果园村 12 号" in notice.body and "每天 8:00-18:00" in notice.body
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    [text] = sms.requests
    assert text["PhoneNumbers"] == "13812345678" and text["TemplateCode"] == "SMS_480009"
    assert json.loads(text["TemplateParam"])["number"] == str(order.number)

    # Asking again tells nobody again.
    again = GraphQLClient(coop_user).data(READY, {"id": gid("Order", order.pk)})
    assert again["orderReadyForPickup"]["readyAt"] == result["readyAt"]
    assert Notification.objects.filter(kind="pickup_ready").count() == 1
    assert len(sms.requests) == 1 and len(mail.outbox) == 1

    shopper = Client()
    shopper.force_login(buyer)
    html = shopper.get(f"/orders/{order.number}/").content.decode()
    assert "您的订单已于" in html and "可以提货" in html and "渑池县果园乡果园村 12 号" in html


def test_the_workbench_button_marks_the_order_ready(point, persimmon, coop_user, sms,
                                                    zh_catalogue):
    order = _pickup_order(point, persimmon)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    mail.outbox.clear()
    member = Client()
    member.force_login(coop_user)
    page = member.get(f"/work/orders/{order.number}/").content.decode()
    assert "已备好：通知买家自提" in page and "渑池县果园乡果园村 12 号" in page
    response = member.post(f"/work/orders/{order.number}/", {"action": "ready_for_pickup"},
                           follow=True)
    html = response.content.decode()
    assert f"已通知订单 {order.number} 的买家提货" in html and "已于" in html
    assert "已备好：通知买家自提" not in html
    # A guest's order: e-mailed to the address on the order, and texted.
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert len(sms.requests) == 1 and sms.requests[0]["PhoneNumbers"] == "13812345678"
