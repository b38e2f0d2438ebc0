"""Free shipping reads 包邮 wherever a shopper sees a shipping price of nothing, through the
real pages: the carrier's choice and the totals at checkout, and the order's page (in
Tibetan too); a paid delivery keeps its price."""

from __future__ import annotations

import pytest

from shop import services as shop_services
from shop.models import Checkout, Order
from tests.factories import SERVICE_ADDRESS as ADDRESS

pytestmark = pytest.mark.django_db


def _to_checkout(client, persimmon, variant, quantity):
    client.post(f"/product/{persimmon.slug}/", {"variant": variant.pk, "quantity": quantity})
    assert client.post("/checkout/", {"step": "address", "email": "guest@example.com",
                                      **ADDRESS}).status_code == 302


def test_free_shipping_reads_baoyou_at_checkout_and_on_the_order(
        client, persimmon, variant, shipping, alipay_gateway):
    _to_checkout(client, persimmon, variant, 3)  # 119.70 元: 邮政 is free from 99 元
    html = client.get("/checkout/").content.decode()
    assert "中国邮政 · 包邮" in html and "¥0.00" not in html
    assert "顺丰速运 · ¥" in html  # never free
    # The carrier chosen (a shopper back from the cashier): the totals say 包邮 too.
    shop_services.update_checkout_delivery_method(Checkout.objects.get(), shipping["post"].pk)
    html = client.get("/checkout/").content.decode()
    assert '<b id="shipping-price">包邮</b>' in html and "¥119.70" in html
    response = client.post("/checkout/", {"step": "pay", "method": shipping["post"].pk})
    assert response["Location"].startswith(alipay_gateway.url)
    order = Order.objects.get()
    assert order.shipping_price_amount == 0
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert '<span id="shipping-price">包邮</span>' in html and "¥0.00" not in html
    client.cookies["django_language"] = "bo"
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert '<span id="shipping-price">སྐྱེལ་གླ་མི་དགོས།</span>' in html


def test_a_paid_delivery_keeps_its_price(client, persimmon, variant, shipping,
                                         alipay_gateway):
    _to_checkout(client, persimmon, variant, 1)  # 39.90 元: under 99
    html = client.get("/checkout/").content.decode()
    assert "中国邮政 · ¥8.00" in html and "包邮" not in html
    client.post("/checkout/", {"step": "pay", "method": shipping["post"].pk})
    order = Order.objects.get()
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert '<span id="shipping-price">¥8.00</span>' in html and "包邮" not in html
