"""A new shopper's and a member's first steps in the shop on a phone (Playwright driving
Debian's Chromium against a live server), where a first walk found them stuck: a signed-in
header whose long e-mail squeezed "购物车" into a column of single characters, an unpaid
order with no way to call it off, no word on whom to ask about an order, and a member in
the shop with no way back to the workbench.

Screenshots go to ``artifacts/screenshots/`` (``walk-*``)."""

from __future__ import annotations

import re

import pytest

from shop.models import Order, Organization, Stock
from tests.browser import Phone
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _register(page, url, email):
    page.goto(f"{url}/account/register/")
    page.fill("#id_email", email)
    for field in page.locator("main input[type=password]").all():
        field.fill("a-Strong-pass-123")
    page.click("main form button")
    page.wait_for_url(f"{url}/")


def _place_order(page):
    """From the cart: check out to a 渑池 address by post; the order page opens."""
    page.get_by_role("link", name="去结算").click()
    page.wait_for_url(re.compile(r"/checkout/"))
    page.wait_for_load_state("networkidle")  # the address script listens before we choose
    page.get_by_label("收货人姓名").fill("王小明")
    page.get_by_label("手机号码").fill("13812345678")
    page.get_by_label("省份").select_option("河南省")
    page.get_by_label("城市").select_option("三门峡市")
    page.get_by_label("区县").select_option("渑池县")
    page.get_by_label("详细地址").fill("仰韶路 12 号")
    page.get_by_role("button", name="保存地址").click()
    page.get_by_label(re.compile("中国邮政")).check()
    page.get_by_role("button", name="提交订单并用支付宝付款").click()
    page.wait_for_url(re.compile(r"/orders/\d+/"))


def test_a_new_shopper_places_an_order_then_calls_it_off_and_sees_whom_to_ask(
        chromium, live_server, persimmon, variant, shipping, coop, tmp_path):
    Organization.objects.filter(pk=coop.pk).update(contact_phone="0398-4812345")
    phone = Phone(chromium, tmp_path)
    page, url = phone.page, live_server.url
    _register(page, url, "wang.xiaoming.from.mianchi@example.com")

    # The header keeps its links on one line beside a long e-mail, each thumb-sized.
    cart = page.locator("header nav a", has_text="购物车")
    box = cart.bounding_box()
    assert box["width"] > box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("walk-01-signed-in-header")
    # A shopper is no member: no workbench link in the footer.
    assert page.locator("footer a", has_text="工作台").count() == 0

    page.goto(f"{url}/product/{persimmon.slug}/")
    page.locator(f"input[name=variant][value='{variant.pk}']").check()
    page.get_by_role("button", name="立即购买").click()
    page.wait_for_url(re.compile(r"/cart/"))
    assert page.get_by_role("button", name="移除").bounding_box()["height"] >= 44
    _place_order(page)
    order = Order.objects.get(user__email="wang.xiaoming.from.mianchi@example.com")
    reserved = Stock.objects.get(product_variant=variant).quantity_allocated
    assert reserved == 1

    # Whom to ask about the order, with a number to tap.
    help_section = page.locator("#help")
    assert coop.name in help_section.inner_text()
    assert help_section.locator("a[href='tel:0398-4812345']").count() == 1

    # Calling the unpaid order off asks first; declining keeps it.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="取消订单").click()
    order.refresh_from_db()
    assert order.status == Order.Status.UNPAID
    phone.shot("walk-02-unpaid-order")
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="取消订单").click()
    page.wait_for_load_state("networkidle")
    assert messages == ["确定取消此订单吗？商品将重新上架销售。"]
    assert "订单已取消，未扣任何款项。" in page.locator(".messages").inner_text()
    assert page.locator("#order-status").inner_text() == "已取消"
    assert page.get_by_role("button", name="取消订单").count() == 0
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert Stock.objects.get(product_variant=variant).quantity_allocated == 0
    phone.shot("walk-03-cancelled-order")


def test_a_paid_order_is_not_cancelled_by_the_shopper(
        chromium, live_server, persimmon, variant, shipping, channel, tmp_path):
    """A forged "cancel" on a paid order is refused with what to do instead."""
    phone = Phone(chromium, tmp_path)
    page, url = phone.page, live_server.url
    _register(page, url, "paid@example.com")
    page.goto(f"{url}/product/{persimmon.slug}/")
    page.get_by_role("button", name="立即购买").click()
    page.wait_for_url(re.compile(r"/cart/"))
    _place_order(page)
    order = Order.objects.get(user__email="paid@example.com")
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    page.reload()
    assert page.get_by_role("button", name="取消订单").count() == 0
    # The form a stale page would still post.
    page.evaluate("""() => { const f = document.createElement('form'); f.method = 'post';
        f.innerHTML = `<input name=csrfmiddlewaretoken value="${document.querySelector(
        '[name=csrfmiddlewaretoken]').value}"><input name=action value=cancel>`;
        document.body.append(f); f.submit(); }""")
    page.wait_for_load_state("networkidle")
    assert "此订单已不能在这里取消" in page.locator(".messages").inner_text()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_member_in_the_shop_finds_the_way_back_to_the_workbench(
        chromium, live_server, coop, tmp_path):
    member = make_member(coop, "member@example.com")
    phone = Phone(chromium, tmp_path)
    page, url = phone.page, live_server.url
    page.goto(f"{url}/account/sign-in/?next=/")
    page.fill("#id_email", member.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_url(f"{url}/")
    page.locator("footer a", has_text="我的工作台").click()
    page.wait_for_url(f"{url}/work/")
    assert coop.name in page.inner_text("h1")


def test_empty_search_and_empty_orders_lead_somewhere(chromium, live_server, persimmon,
                                                      tmp_path):
    phone = Phone(chromium, tmp_path)
    page, url = phone.page, live_server.url
    page.goto(f"{url}/search/?q=xyzxyz")
    empty = page.locator(".grid .empty")
    # The hint spans the grid, not one of its two columns.
    assert empty.bounding_box()["width"] > 300
    phone.shot("walk-04-search-empty")
    empty.get_by_role("link", name="逛逛各县特色馆").click()
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/orders/")
    page.locator("main").get_by_role("link", name="去逛逛").click()
    page.wait_for_url(f"{url}/")
