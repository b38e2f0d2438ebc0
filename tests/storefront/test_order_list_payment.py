"""The shopper's order list (我的订单) shows what an order charged in part still owes
(待付余款 ¥27.90) and pays it from there: its button starts an Alipay payment for exactly
the balance, at the local gateway (which checks our RSA2 signature). An order waiting
for payment has its own button; a paid order, an order whose time to pay is over and
another shopper's order offer none."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from django.test import Client
from django.utils import timezone

from shop import services as shop_services
from shop.models import Order, User
from tests.clients import GraphQLClient
from tests.factories import make_paid_order, ready_checkout
from tests.payments import notify, partly_paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return User.objects.create_user("li@example.com", "a-Strong-pass-123")


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(user)
    return client


def listed(client) -> str:
    response = client.get("/orders/")
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, number: int) -> str:
    """The list item of order ``number``: its card and its pay button, if any."""
    match = re.search(rf'<li><a href="/orders/{number}/">.*?</li>', html, re.S)
    assert match, f"order {number} is not listed"
    return match.group(0)


def unpaid(channel, variant, shipping, buyer) -> Order:
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    return shop_services.complete_checkout(checkout.token, buyer)


def test_the_order_list_shows_and_pays_the_balance(channel, variant, shipping, buyer,
                                                   alipay_gateway):
    part = partly_paid_order(GraphQLClient(buyer), ready_checkout(
        channel, variant, shipping, user=buyer, email=buyer.email), alipay_gateway)
    waiting = unpaid(channel, variant, shipping, buyer)
    late = unpaid(channel, variant, shipping, buyer)
    Order.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    paid = make_paid_order(channel, variant, shipping, buyer=buyer)
    stranger = User.objects.create_user("wang@example.com", "a-Strong-pass-123")
    theirs = partly_paid_order(GraphQLClient(stranger), ready_checkout(
        channel, variant, shipping, user=stranger, email=stranger.email), alipay_gateway)

    client = signed_in(buyer)
    html = listed(client)
    shown = row(html, part.number)
    assert re.search(r"待付余款 <b[^>]*>¥27\.90</b>", shown)
    assert "待支付" in shown and "¥47.90" in shown
    assert f'action="/orders/{part.number}/"' in shown and "使用支付宝支付余款" in shown
    plain = row(html, waiting.number)
    assert "待付余款" not in plain and "使用支付宝付款" in plain
    for number in (late.number, paid.number):
        assert "支付宝" not in row(html, number) and "待付余款" not in row(html, number)
    assert f"/orders/{theirs.number}/" not in html

    # The list's button: Alipay's cashier for exactly the balance.
    response = client.post(f"/orders/{part.number}/", {"action": "pay"})
    assert response.status_code == 302
    cashier = response["Location"]
    assert cashier.startswith(alipay_gateway.url)
    biz = json.loads(parse_qs(urlsplit(cashier).query)["biz_content"][0])
    assert (biz["total_amount"], biz["product_code"]) == ("27.90", "QUICK_WAP_WAY")
    # Leaving the phone cashier without paying leads back to the order's page.
    assert biz["quit_url"].endswith(f"/orders/{part.number}/")
    assert urlopen(cashier).status == 200
    assert notify(alipay_gateway.pay(biz["out_trade_no"])) == "success"

    part.refresh_from_db()
    assert part.status == Order.Status.PAID
    assert part.total_charged_amount == Decimal("47.90")
    again = row(listed(client), part.number)
    assert "待付余款" not in again and "支付宝" not in again and "已付款" in again


def test_a_stranger_cannot_pay_from_anothers_list(channel, variant, shipping, buyer,
                                                  alipay_gateway):
    part = partly_paid_order(GraphQLClient(buyer), ready_checkout(
        channel, variant, shipping, user=buyer, email=buyer.email), alipay_gateway)
    stranger = User.objects.create_user("wang@example.com", "a-Strong-pass-123")
    client = signed_in(stranger)
    assert f"/orders/{part.number}/" not in listed(client)
    assert client.post(f"/orders/{part.number}/", {"action": "pay"}).status_code == 404
    assert Order.objects.get(pk=part.pk).payments.filter(status="pending").count() == 0
