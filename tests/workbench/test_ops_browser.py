"""The pavilion operator's day on a phone (Playwright driving Debian's Chromium against a
live server), through the pages only: a buyer calls about an order, the operator finds it
by mobile number, notes the call and cancels it; then takes a product off sale with a
reason and puts it in a collection (专题). Screenshots at a phone's size (390x844) go to
``artifacts/screenshots/work/``."""

from __future__ import annotations

import re

import pytest

from catalog.models import Collection, ProductModeration
from shop import services as shop_services
from shop.models import Address, Order, OrderEvent
from tests.factories import ready_checkout
from tests.workbench.browsing import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_operator_handles_a_call_and_a_takedown_on_a_phone(
        live_server, phone, operator_user, channel, shipping, variant, persimmon,
        millet_draft):
    order = shop_services.complete_checkout(
        ready_checkout(channel, variant, shipping, email="wang@example.com").token)
    Address.objects.filter(pk=order.shipping_address_id).update(phone="13907775555")
    page, url = phone, live_server.url

    sign_in(page, url, operator_user.email, "/work/ops/orders/")
    assert "全部订单" in page.inner_text("h1")
    page.fill("#id_q", "13907775555")
    page.click("main form[role=search] button:has-text('搜索')")
    page.wait_for_url(re.compile(r"q=13907775555"))
    shot(page, "ops-01-orders-found")
    page.click(f"main .rows a:has-text('{order.number}')")
    page.wait_for_url(f"{url}/work/ops/orders/{order.number}/")
    assert "渑池柿饼" in page.inner_text("main")
    page.fill("#id_note-message", "买家来电：地址写错，要求取消重下")
    page.click("main button:has-text('添加备注')")
    assert "备注已添加" in page.inner_text(".messages")
    page.fill("#id_cancel-reason", "买家要求取消")
    page.click("main button:has-text('取消订单')")
    assert f"订单 {order.number} 已取消" in page.inner_text(".messages")
    shot(page, "ops-02-order-cancelled")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.events.filter(type=OrderEvent.Type.NOTE,
                               message="买家来电：地址写错，要求取消重下").exists()

    page.click("nav.wb-tabs a:has-text('商品')")
    page.wait_for_url(f"{url}/work/ops/products/")
    page.click(f"main .rows a[href='/work/ops/products/{persimmon.pk}/']")
    page.fill("#id_reason", "检测报告过期，请上传新报告")
    page.click("main button:has-text('下架')")
    assert "已下架" in page.inner_text(".messages")
    assert "检测报告过期，请上传新报告" in page.inner_text(".timeline")
    shot(page, "ops-03-product-taken-down")
    assert ProductModeration.objects.get(product=persimmon).reason == "检测报告过期，请上传新报告"

    page.goto(f"{url}/work/ops/collections/")
    page.fill("#id_name", "年货节")
    page.click("main button:has-text('创建专题')")
    page.wait_for_url(re.compile(r"/work/ops/collections/\d+/$"))
    page.fill("#q", "小米")
    page.click("main button:has-text('查找')")
    page.check(f"input[name=product][value='{millet_draft.pk}']")
    page.click("main button:has-text('加入专题')")
    assert "已添加 1 件商品" in page.inner_text(".messages")
    shot(page, "ops-04-collection")
    assert list(Collection.objects.get(name="年货节").products.all()) == [millet_draft]


def test_the_operator_writes_the_brand_story_and_a_shopper_reads_it_on_a_phone(
        live_server, phone, operator_user, channel):
    page, url = phone, live_server.url
    sign_in(page, url, operator_user.email, "/work/ops/pages/")
    page.click("main a:has-text('写新页面')")
    page.fill("#id_title", "品牌故事")
    page.fill("#id_slug", "brand-story")
    page.fill("#id_content", "五个县的特产汇聚一馆。\n\n每件商品扫码可追溯到地块与批次。")
    page.click("main button:has-text('保存页面')")
    assert "页面“品牌故事”已保存" in page.inner_text(".messages")
    page.fill("#id_en-title", "Our story")
    page.fill("#id_en-content", "Five counties, one pavilion.")
    page.click("main button:has-text('保存英语内容')")
    assert "英语文本已保存" in page.inner_text(".messages")
    shot(page, "ops-05-story-page")

    page.goto(f"{url}/")
    page.click("footer a:has-text('品牌与产地故事')")
    page.click("main .story-list a:has-text('品牌故事')")
    page.wait_for_url(f"{url}/page/brand-story/")
    assert page.inner_text("main h1") == "品牌故事"
    assert "每件商品扫码可追溯到地块与批次。" in page.inner_text("main article")
    shot(page, "shop-story-page")
