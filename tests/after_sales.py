"""What the after-sales tests share: an order paid for real through the local Alipay
gateway (so a refund goes through ``alipay.trade.refund``), shipped by its seller, and a
photo as a shopper's phone would send it; the fixtures ``buyer`` (a signed-up shopper),
``shipped`` (their order of 2 × 渑池柿饼, paid and shipped) and ``traced_order`` (two
coded packages, shipped with their codes and received), which a test module imports to
use."""

from __future__ import annotations

import io
from urllib.request import urlopen

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shop import services as shop_services
from shop.models import Order, User
from supplychain import services as supplychain_services
from tests.factories import PASSWORD, ready_checkout

REQUEST = """mutation($order: ID!, $token: UUID, $input: OrderReturnRequestCreateInput!) {
  orderReturnRequestCreate(order: $order, token: $token, input: $input) {
    returnRequest { id type reason status amount { amount } note
                    lines { quantity orderLine { productName } } photoUrls }
    order { pavilionStatus }
    errors { field code message } } }"""
DECIDE = """mutation($id: ID!) { %s(id: $id) {
  returnRequest { status refusalReason returnAddress amount { amount } refund { status } }
  order { pavilionStatus totalRefunded { amount } }
  errors { field code message } } }"""
REFUSE = """mutation($id: ID!, $reason: String!) {
  orderReturnRequestRefuse(id: $id, reason: $reason) {
  returnRequest { status refusalReason } errors { field code message } } }"""


def pay(order: Order, gateway) -> Order:
    """The buyer pays at the gateway's cashier and Alipay's notice arrives."""
    payment, url = shop_services.start_payment(order)
    assert urlopen(url).status == 200  # the cashier knows the trade from now on
    assert shop_services.handle_alipay_notice(gateway.pay(payment.out_trade_no)) == "accepted"
    order.refresh_from_db()
    return order


def ship(order: Order, organization, user=None) -> Order:
    """The seller ships all of its lines of the order in one package."""
    lines = [{"order_line_id": line.pk, "quantity": line.quantity_unfulfilled}
             for line in order.lines.filter(organization=organization)]
    shop_services.fulfill_order_lines(order, organization, lines, carrier="中国邮政",
                                      tracking_number="EMS1234567890CN", user=user)
    order.refresh_from_db()
    return order


def photo(name="broken.jpg", size=(64, 48), fmt="JPEG") -> SimpleUploadedFile:
    """A small picture as a phone's camera would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 60, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def buyer(db):
    return User.objects.create_user("buyer@example.com", PASSWORD)


@pytest.fixture
def shipped(channel, variant, shipping, buyer, coop, coop_user, alipay_gateway):
    """2 x 渑池柿饼 at 39.90 + 8.00 邮政, bought by ``buyer``, paid at the gateway and
    shipped by the cooperative."""
    checkout = ready_checkout(channel, variant, shipping, quantity=2, user=buyer)
    order = pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway)
    return ship(order, coop, coop_user)


@pytest.fixture
def traced_order(packing_run, channel, shipping, buyer, coop, coop_user, alipay_gateway):
    """Two coded packages of the packing run's variant bought by ``buyer``, paid, shipped
    with their codes (``order.codes``) and received."""
    checkout = ready_checkout(channel, packing_run.variant, shipping, quantity=2, user=buyer)
    order = pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway)
    codes = list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True)[:2])
    supplychain_services.fulfill_with_codes(
        order, coop, [{"order_line_id": order.lines.get().pk, "codes": codes}],
        carrier="中国邮政", tracking_number="EMS1CN", user=coop_user)
    shop_services.confirm_receipt(order, user=buyer)
    order.refresh_from_db()
    order.codes = codes
    return order
