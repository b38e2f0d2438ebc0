"""On a phone (Chromium at 390 px): the order list offers 待付余款 and its button, and an
unpaid order's own; the shopper opens Alipay's cashier from the list, cancels the order
in another tab, and the cashier left open can no longer take the money (the trade was
closed at the local gateway after the cancel): 交易已关闭, no notice, nothing to refund.
Screenshots in ``artifacts/screenshots/``."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from shop import services as shop_services
from shop.models import Order, User
from shop.transactions import TradeClosure
from tests.browser import Phone
from tests.clients import GraphQLClient
from tests.factories import ready_checkout
from tests.payments import partly_paid_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def buyer(db):
    return User.objects.create_user("li@example.com", "a-Strong-pass-123")


def test_a_cashier_left_open_cannot_take_the_money_after_the_cancel(
        chromium, live_server, cashier, channel, variant, shipping, buyer, tmp_path):
    part = partly_paid_order(GraphQLClient(buyer), ready_checkout(
        channel, variant, shipping, user=buyer, email=buyer.email), cashier)
    order = shop_services.complete_checkout(ready_checkout(
        channel, variant, shipping, user=buyer, email=buyer.email).token, buyer)
    client = Client()
    client.force_login(buyer)
    phone = Phone(chromium, tmp_path)
    phone.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                "url": live_server.url}])
    page = phone.page
    page.goto(live_server.url + "/orders/")
    assert page.locator(f"#balance-due-{part.number}").inner_text() == "待付余款 ¥27.90"
    for number, label in ((part.number, "使用支付宝支付余款"), (order.number, "使用支付宝付款")):
        button = page.locator(f"#pay-{number}")
        assert button.inner_text() == label
        box = button.bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("stale-cashier-01-list")

    page.locator(f"#pay-{order.number}").click()
    page.wait_for_url(re.compile(re.escape(cashier.url)))
    assert page.locator("#amount").inner_text() == "¥47.90"
    trade = next(iter(t for t in cashier.trades.values() if t["total_amount"] == "47.90"))
    phone.shot("stale-cashier-02-cashier")

    # Another tab: the shopper calls the order off.
    other = phone.context.new_page()
    other.on("dialog", lambda dialog: dialog.accept())
    other.goto(f"{live_server.url}/orders/{order.number}/")
    other.get_by_role("button", name="取消订单").click()
    other.wait_for_load_state()
    assert "订单已取消" in other.content()
    other.close()
    assert TradeClosure.objects.get(out_trade_no=trade["out_trade_no"]).outcome == "closed"

    # Back in the cashier's tab, paying is refused.
    page.locator("#pay").click()
    page.wait_for_load_state()
    assert "交易已关闭" in page.content()
    phone.shot("stale-cashier-03-closed")
    assert cashier.notice_answers == [] and cashier.refunds == {}
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.total_charged_amount == 0
    phone.context.close()
