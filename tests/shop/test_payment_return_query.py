"""Back from Alipay's phone cashier before the payment's notice (late, or lost on the
way), the shopper's return page asks Alipay (``alipay.trade.query``, RSA2 both ways at the
local gateway) and says 支付成功 at once: the order is paid then, once, whatever the
notice does later. A return whose signature fails asks Alipay nothing; a trade not paid
yet leaves the order waiting."""

from __future__ import annotations

import pytest
from django.test import Client

from shop import services as shop_services
from shop.models import Order, OrderEvent, PaymentNotice, User
from tests.factories import ready_checkout
from tests.payments import notify, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return User.objects.create_user("li@example.com", "a-Strong-pass-123")


@pytest.fixture
def waiting(channel, variant, shipping, buyer, gql_as, alipay_gateway):
    """An order of 47.90 whose phone cashier is open."""
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    order = shop_services.complete_checkout(checkout.token, buyer)
    order.trade = start(gql_as, buyer, order, device="WAP")["transaction"]["outTradeNo"]
    return order


def back_from_cashier(gateway, out_trade_no, **changes):
    """What Alipay's cashier sends the shopper's browser back with (signed)."""
    trade = gateway.trades[out_trade_no]
    params = gateway.sign_notice({
        "app_id": gateway.app_id, "charset": "utf-8", "method": "alipay.trade.wap.pay.return",
        "out_trade_no": out_trade_no, "trade_no": trade["trade_no"],
        "total_amount": trade["total_amount"], "seller_id": "2088000000000000",
        "timestamp": "2026-11-29 20:00:00", "version": "1.0", "sign_type": "RSA2"})
    params.update(changes)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    return client.get("/pay/return/", params)


def queries(gateway) -> int:
    return [method for method, _ok in gateway.received].count("alipay.trade.query")


def test_the_return_page_finds_the_payment_whose_notice_is_lost(waiting, alipay_gateway):
    late = alipay_gateway.pay(waiting.trade)  # paid; the notice is not here yet
    response = back_from_cashier(alipay_gateway, waiting.trade)
    html = response.content.decode()
    assert response.status_code == 200
    assert "支付成功" in html and "等待支付宝确认" not in html
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PAID and waiting.paid_at is not None
    paid = waiting.events.get(type=OrderEvent.Type.PAID)
    assert paid.parameters["source"] == "return"
    assert queries(alipay_gateway) == 1

    # Shown again (a reload), nothing is asked; the notice, when it comes, changes nothing.
    assert "支付成功" in back_from_cashier(alipay_gateway, waiting.trade).content.decode()
    assert queries(alipay_gateway) == 1
    assert notify(late) == "success"
    assert PaymentNotice.objects.get().outcome == PaymentNotice.Outcome.DUPLICATE
    assert waiting.events.filter(type=OrderEvent.Type.PAID).count() == 1


def test_a_trade_not_paid_yet_leaves_the_order_waiting(waiting, alipay_gateway):
    html = back_from_cashier(alipay_gateway, waiting.trade).content.decode()
    assert "支付成功" not in html and "等待支付宝确认" in html
    assert queries(alipay_gateway) == 1
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.UNPAID and waiting.paid_at is None


def test_a_forged_return_asks_alipay_nothing(waiting, alipay_gateway):
    alipay_gateway.pay(waiting.trade)
    response = back_from_cashier(alipay_gateway, waiting.trade, total_amount="0.01")
    assert response.status_code == 400
    assert "支付成功" not in response.content.decode()
    assert queries(alipay_gateway) == 0
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.UNPAID
