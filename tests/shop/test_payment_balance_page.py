"""The order page of an order charged only in part: 待付余款 and its button, which starts an
Alipay payment for exactly the balance (the gateway checks our RSA2 signature), paid by its
notice; cancelling it there says the part paid goes back, and then that it went back. A
phone in Chromium pays the balance at the local cashier (screenshots in
``artifacts/screenshots/``)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from django.test import Client
from django.urls import reverse

from shop.models import Order, User
from tests.browser import Phone
from tests.clients import GraphQLClient
from tests.factories import ready_checkout
from tests.payments import notify, partly_paid_order


@pytest.fixture
def buyer(db):
    return User.objects.create_user("li@example.com", "a-Strong-pass-123")


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(user)
    return client


def page_text(client, order) -> str:
    response = client.get(reverse("storefront:order", args=[order.number]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_order_page_pays_the_balance(channel, variant, shipping, buyer, alipay_gateway):
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    order = partly_paid_order(GraphQLClient(buyer), checkout, alipay_gateway)
    client = signed_in(buyer)
    html = page_text(client, order)
    assert re.search(r"待付余款</span> <b[^>]*>¥27\.90</b>", html)
    assert "已付 ¥20.00，订单共 ¥47.90。" in html
    assert "使用支付宝支付余款" in html

    response = client.post(reverse("storefront:order", args=[order.number]), {"action": "pay"})
    assert response.status_code == 302
    cashier = response["Location"]
    assert cashier.startswith(alipay_gateway.url)
    biz = json.loads(parse_qs(urlsplit(cashier).query)["biz_content"][0])
    assert (biz["total_amount"], biz["product_code"]) == ("27.90", "QUICK_WAP_WAY")
    assert urlopen(cashier).status == 200
    assert alipay_gateway.received[-1] == ("alipay.trade.wap.pay", True)

    assert notify(alipay_gateway.pay(biz["out_trade_no"])) == "success"
    back = client.get(reverse("storefront:payment-return"), alipay_gateway.sign_notice(
        {"out_trade_no": biz["out_trade_no"], "total_amount": "27.90",
         "app_id": alipay_gateway.app_id, "method": "alipay.trade.wap.pay.return",
         "sign_type": "RSA2"})).content.decode()
    assert "支付成功" in back and '<dd id="payment-amount">¥27.90</dd>' in back
    html = page_text(client, order)
    assert '<span class="status status-paid" id="order-status">已付款</span>' in html
    assert "待付余款" not in html and "支付余款" not in html
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.total_charged_amount == Decimal("47.90")


@pytest.mark.django_db
@pytest.mark.parametrize("gateway_up", [True, False])
def test_cancelling_on_the_page_says_the_part_paid_goes_back(
        gateway_up, channel, variant, shipping, buyer, alipay_gateway,
        django_capture_on_commit_callbacks):
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    order = partly_paid_order(GraphQLClient(buyer), checkout, alipay_gateway)
    client = signed_in(buyer)
    assert "已付款项将原路退回您的支付宝账户" in page_text(client, order)  # the confirm()
    if not gateway_up:
        alipay_gateway.refuse_refunds = 1
    with django_capture_on_commit_callbacks(execute=True):  # the refund, after the commit
        response = client.post(reverse("storefront:order", args=[order.number]),
                               {"action": "cancel"})
    assert response.status_code == 302
    html = page_text(client, order)
    assert "订单已取消。您已支付的 ¥20.00 将原路退回您的支付宝账户。" in html
    assert "未扣任何款项" not in html
    if gateway_up:
        assert "您已支付的 ¥20.00 已原路退回您的支付宝账户。" in html
    else:  # refused: retried by the beat, and the shopper reads that it is under way
        assert "您已支付的 ¥20.00 正在原路退回您的支付宝账户。" in html
    assert "待付余款" not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_pays_the_balance_at_the_cashier(chromium, live_server, cashier, channel,
                                                 variant, shipping, buyer, tmp_path):
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    order = partly_paid_order(GraphQLClient(buyer), checkout, cashier)
    session = signed_in(buyer).cookies["sessionid"]
    phone = Phone(chromium, tmp_path)
    phone.context.add_cookies([{"name": "sessionid", "value": session.value,
                                "url": live_server.url}])
    page = phone.page
    page.goto(live_server.url + reverse("storefront:order", args=[order.number]))
    assert page.locator("#balance-due").inner_text() == "待付余款 ¥27.90"
    button = page.get_by_role("button", name="使用支付宝支付余款")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 390  # a thumb's target, on screen
    phone.shot("balance-01-order")

    button.click()
    page.wait_for_url(re.compile(re.escape(cashier.url)))
    assert page.locator("#amount").inner_text() == "¥27.90"
    phone.shot("balance-02-cashier")
    page.locator("#pay").click()
    page.wait_for_url(re.compile(r"/pay/return/\?"))
    assert cashier.notice_answers == ["success"]
    assert page.locator("#order-status").inner_text() == "已付款"
    phone.shot("balance-03-paid")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.total_charged_amount == Decimal("47.90")
    phone.context.close()
