"""Paying from inside WeChat, whose browser does not open Alipay: the order is placed and
kept, the shopper sees the guide to open the page in the phone's browser, and the link it
gives resumes the payment there (a browser with no session of WeChat's). And a shop whose
Alipay keys are missing tells the shopper only that Alipay is unavailable for now, while
the log says what is wrong."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from shop.models import Order, Stock
from tests.clients import WECHAT_UA
from tests.factories import SERVICE_ADDRESS as ADDRESS

pytestmark = pytest.mark.django_db
PHONE_UA = ("Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/116.0.0.0 Mobile Safari/537.36")


def place_order(client, persimmon, shipping, quantity=2):
    variant = persimmon.variants.order_by("sku").first()
    client.post(f"/product/{persimmon.slug}/", {"variant": variant.pk, "quantity": quantity})
    client.post("/checkout/", {"step": "address", "email": "wx@example.com", **ADDRESS})
    return client.post("/checkout/", {"step": "pay", "method": shipping["post"].pk}), variant


def test_checkout_in_wechat_shows_the_guide_and_the_browser_resumes_the_payment(
        persimmon, shipping, alipay_gateway, zh_catalogue):
    wechat = Client(HTTP_USER_AGENT=WECHAT_UA)
    response, variant = place_order(wechat, persimmon, shipping)
    assert response.status_code == 302
    guide_path = response["Location"]
    assert guide_path.startswith("/pay/open/") and alipay_gateway.url not in guide_path
    order = Order.objects.get()
    assert order.status == Order.Status.UNPAID and order.payments.count() == 0
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 2

    html = wechat.get(guide_path).content.decode()
    assert "请在手机浏览器中打开并支付" in html and "在浏览器打开" in html
    assert f"您的订单 {order.number} 已保留" in html
    assert f'value="http://localhost:8000{guide_path}"' in html or guide_path in html
    # The order page's pay button inside WeChat leads to the same guide.
    again = wechat.post(f"/orders/{order.number}/", {"action": "pay"})
    assert again["Location"].startswith("/pay/open/")

    # The phone's browser: no session, yet the link goes straight on to Alipay's cashier.
    browser = Client(HTTP_USER_AGENT=PHONE_UA)
    cashier = browser.get(guide_path)
    assert cashier.status_code == 302 and cashier["Location"].startswith(alipay_gateway.url)
    assert order.payments.count() == 1
    # The guest's order is now this browser's too (the page after paying links to it).
    assert browser.get(f"/orders/{order.number}/").status_code == 200

    # A forged or altered link opens nothing.
    assert browser.get("/pay/open/forged/").status_code == 404
    assert browser.get(guide_path[:-3] + "xx/").status_code == 404


def test_missing_alipay_keys_show_a_plain_message_and_log_the_cause(
        client, persimmon, shipping, settings, caplog, zh_catalogue):
    settings.ALIPAY_APP_ID = ""
    with caplog.at_level(logging.ERROR, logger="storefront"):
        response, _variant = place_order(client, persimmon, shipping)
    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.number}/"
    html = client.get(response["Location"]).content.decode()
    assert "暂时无法使用支付宝支付，请稍后再试" in html
    assert "ALIPAY_APP_ID" not in html
    assert any("ALIPAY_APP_ID" in record.getMessage() for record in caplog.records)
