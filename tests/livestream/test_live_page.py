"""Buying live in the shop (Django's test client through the real views): ``/live/`` in the
shop's layout, the regular price before and after the broadcast, during it the live price
(struck-through regular price only when lower), the units left, the flash-sale countdown,
and a buy button that starts a broadcast checkout; refusals come back with the reason."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from livestream import services
from livestream.models import LineupItem
from shop.models import Order
from tests.factories import SERVICE_ADDRESS as ADDRESS

pytestmark = pytest.mark.django_db


def offer_html(html: str, item) -> str:
    match = re.search(rf'<div class="live-offer[^"]*" data-item="{item.pk}">(.*?)</div>', html,
                      re.S)
    assert match, "the line-up item is not on the page"
    return match.group(1)


def test_live_page_uses_the_shop_layout_and_prices_follow_the_broadcast(
        broadcast, item, variant, persimmon, zh_catalogue):
    client = Client()
    html = client.get("/live/").content.decode()
    assert "storefront/site.css" in html and 'id="cart-link"' in html  # the shop's layout
    assert "渑池柿饼专场" in html
    before = offer_html(html, item)
    # Before the broadcast: the regular price, the live one only announced.
    assert '<b class="price">¥39.90</b>' in before and "开播后直播价 ¥29.90" in before
    assert "<s class=" not in before and "live-tag" not in before and "live-buy" not in before
    assert "正在直播销售" not in client.get(f"/product/{persimmon.slug}/").content.decode()

    services.start_broadcast(broadcast)
    html = client.get("/live/").content.decode()
    during = offer_html(html, item)
    assert "直播价" in during and "¥29.90" in during
    assert '<s class="was">¥39.90</s>' in during
    assert "直播剩余 5 件" in during and "以直播价购买" in during
    assert "正在直播" in html
    product = client.get(f"/product/{persimmon.slug}/").content.decode()
    assert "正在直播销售" in product
    assert '<s class="was">¥39.90</s>' in offer_html(product, item)

    # A flash sale in five minutes: the countdown, and the regular price until it starts.
    services.update_lineup_item(item, flash_sale_starts_at=timezone.now() + timedelta(minutes=5),
                                flash_sale_seconds=300)
    waiting = offer_html(client.get("/live/").content.decode(), item)
    assert "开始秒杀" in waiting and "data-countdown=" in waiting
    seconds = int(re.search(r'data-countdown="(\d+)"', waiting).group(1))
    assert 0 < seconds <= 300
    assert "¥39.90" in waiting and "<s class=" not in waiting and "从本场直播购买" in waiting
    LineupItem.objects.filter(pk=item.pk).update(
        flash_sale_starts_at=timezone.now() - timedelta(seconds=1))
    on = offer_html(client.get("/live/").content.decode(), item)
    assert "秒杀进行中" in on and '<s class="was">¥39.90</s>' in on

    # Ended: off the schedule, and the product page sells at the regular price again.
    services.end_broadcast(broadcast)
    assert f'data-item="{item.pk}"' not in client.get("/live/").content.decode()
    assert "正在直播销售" not in client.get(f"/product/{persimmon.slug}/").content.decode()


def test_no_strike_through_when_the_live_price_is_not_lower(broadcast, persimmon, channel):
    same = persimmon.variants.order_by("sku").first()
    price = same.channel_listings.get().price_amount
    equal = services.add_lineup_item(broadcast, variant=same, live_price=price, quantity=2)
    services.start_broadcast(broadcast)
    html = offer_html(Client().get("/live/").content.decode(), equal)
    assert f"¥{price}" in html and "<s class=" not in html


def test_buy_button_starts_a_broadcast_checkout_at_the_live_price(
        broadcast, item, variant, shipping, alipay_gateway, zh_catalogue):
    client = Client()
    # Not live yet: refused with the reason, nothing in the cart.
    response = client.post(f"/buy/live/{broadcast.pk}/", {"item": item.pk, "quantity": 1,
                                                           "next": "/live/"}, follow=True)
    assert "本场直播当前未在进行" in response.content.decode()
    services.start_broadcast(broadcast)
    # Over the per-buyer limit of 2: the limit, and nothing added.
    response = client.post(f"/buy/live/{broadcast.pk}/", {"item": item.pk, "quantity": 3,
                                                           "next": "/live/"}, follow=True)
    assert "最多" in response.content.decode()
    response = client.post(f"/buy/live/{broadcast.pk}/", {"item": item.pk, "quantity": 2})
    assert response["Location"] == "/checkout/"
    html = client.get("/checkout/").content.decode()
    assert "¥59.80" in html  # 2 × 29.90
    client.post("/checkout/", {"step": "address", "email": "live@example.com", **ADDRESS})
    paid = client.post("/checkout/", {"step": "pay", "method": shipping["post"].pk})
    assert paid["Location"].startswith(alipay_gateway.url)
    line = Order.objects.get().lines.get()
    assert (line.unit_price_amount, line.undiscounted_unit_price_amount) == (
        Decimal("29.90"), Decimal("39.90"))
    assert (line.source, line.source_ref) == ("broadcast", str(broadcast.pk))
    item.refresh_from_db()
    assert item.quantity_remaining == 3
    html = offer_html(client.get("/live/").content.decode(), item)
    assert "直播剩余 3 件" in html
