"""A shopper in a real browser (Playwright, Debian's Chromium) buys a line-up item from
``/live/`` during a broadcast, pays at the local Alipay cashier and sees the live price on
the paid order. Screenshots at 390x844 under ``artifacts/screenshots/shop/``."""

from __future__ import annotations

import re

import pytest

from livestream import services
from shop.models import Order
from tests.browser import SHOTS, Phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shopper_buys_from_a_live_broadcast_and_pays_the_live_price(
        chromium, live_server, settings, tmp_path, broadcast, item, persimmon,
        shipping_methods, cashier):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PUBLIC_URL = live_server.url  # links and Alipay's return address
    (SHOTS / "shop").mkdir(parents=True, exist_ok=True)
    services.start_broadcast(broadcast)
    phone = Phone(chromium, tmp_path)
    page = phone.page
    page.goto(f"{live_server.url}/product/{persimmon.slug}/")
    assert "正在直播销售" in page.locator(".product-live").inner_text()
    phone.shot("shop/product-live")

    page.goto(f"{live_server.url}/live/")
    offer = page.locator(f'.live-offer[data-item="{item.pk}"]')
    assert offer.locator(".price").inner_text() == "¥29.90"
    assert offer.locator("s.was").inner_text() == "¥39.90"
    assert "直播剩余 5 件" in offer.inner_text()
    assert page.locator("header.top .logo").count() == 1  # the shop's navigation
    phone.shot("shop/live")
    offer.get_by_role("button", name="以直播价购买").click()

    page.wait_for_url(re.compile(r"/checkout/"))
    page.get_by_label("电子邮箱（用于订单通知）").fill("live@example.com")
    page.get_by_label("收货人姓名").fill("王小明")
    page.get_by_label("手机号码").fill("13812345678")
    page.get_by_label("省份").select_option("河南省")
    page.get_by_label("城市").select_option("三门峡市")
    page.get_by_label("区县").select_option("渑池县")
    page.get_by_label("详细地址").fill("仰韶路 12 号")
    page.get_by_role("button", name="保存地址").click()
    page.wait_for_url(re.compile(r"/checkout/#delivery"), wait_until="domcontentloaded")
    page.get_by_label(re.compile("中国邮政")).check()
    page.get_by_role("button", name="提交订单并用支付宝付款").click()
    page.wait_for_url(re.compile(re.escape(cashier.url)))
    page.locator("#pay").click()
    page.wait_for_url(re.compile(r"/pay/return/\?"))
    assert page.locator("h1").inner_text() == "支付成功"
    page.get_by_role("link", name="查看订单").click()
    order = Order.objects.get()
    page.wait_for_url(re.compile(rf"/orders/{order.number}/"))
    assert "¥29.90" in page.locator(".lines").inner_text()
    # The order's timeline: the notifications sent, with their Chinese subjects.
    timeline = page.locator(".events").inner_text()
    assert f"您的订单 {order.number} 已提交" in timeline
    assert f"订单 {order.number} 已收到您的付款" in timeline
    phone.shot("shop/live-order-paid")
    line = order.lines.get()
    assert order.status == Order.Status.PAID
    assert (str(line.unit_price_amount), line.source) == ("29.90", "broadcast")
    phone.context.close()
