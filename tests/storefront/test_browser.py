"""A shopper in a real browser (Playwright driving Debian's Chromium) against a live
server: browse a pavilion, search 小米, add two grades, check out to a Chinese address, pay
at the local Alipay test gateway (which posts the signed notice to /alipay/notify/ and
sends the browser back), see the order paid; then open a trace code shipped on an order.

Screenshots of every page at a phone's size (390x844) go to ``artifacts/screenshots/``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from shop import services as shop_services
from shop.models import Order, ShippingMethod
from tests.browser import Phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_carriers(demo):
    """The demo data's carriers (load_demo_data makes 邮政 and 顺丰)."""
    return {"post": ShippingMethod.objects.get(channel__slug="default", carrier="ems"),
            "sf": ShippingMethod.objects.get(channel__slug="default", carrier="sf")}


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo_data", verbosity=0)
    return Path(settings.MEDIA_ROOT)


def test_shopper_browses_searches_buys_two_grades_and_pays_with_alipay(
        chromium, live_server, demo, demo_carriers, cashier):
    phone = Phone(chromium, demo)
    page = phone.page

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "县域特色馆"
    phone.shot("01-home")

    page.get_by_role("link", name=re.compile("渑池")).first.click()
    page.wait_for_url(re.compile(r"/p/mianchi/"))
    assert "渑池" in page.locator("h1").inner_text()
    phone.shot("02-pavilion")

    page.goto(live_server.url + "/c/grain-oil/?sort=price")
    assert page.locator(".card").count() >= 2
    phone.shot("03-category")

    search = page.get_by_label("搜索商品")
    search.fill("小米")
    suggestions = page.locator("#suggestions a")
    suggestions.first.wait_for()
    assert any("小米" in text for text in suggestions.all_inner_texts())
    phone.shot("04-typeahead")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert "小米" in page.locator("h1").inner_text()
    phone.shot("05-search")

    page.locator(".card a", has_text="渑池仰韶小米").first.click()
    page.wait_for_url(re.compile(r"/product/mianchi-yangshao-millet/"))
    assert page.locator("picture source[type='image/webp']").count() >= 1
    assert "/thumbnail/" in page.locator(".gallery img").first.get_attribute("src")
    phone.shot("06-product")

    grades = page.locator("input[name=variant]")
    assert grades.count() >= 2
    grades.nth(0).check()
    page.get_by_label("数量").fill("2")
    page.get_by_role("button", name="加入购物车").click()
    page.wait_for_url(re.compile(r"/product/"))
    assert "已加入购物车" in page.locator(".messages").inner_text()
    page.locator("input[name=variant]").nth(1).check()
    page.get_by_label("数量").fill("1")
    page.get_by_role("button", name="立即购买").click()
    page.wait_for_url(re.compile(r"/cart/"))
    assert page.locator("li.line").count() == 2
    phone.shot("07-cart")

    page.get_by_role("link", name="去结算").click()
    page.wait_for_url(re.compile(r"/checkout/"))
    page.get_by_label("电子邮箱（用于订单通知）").fill("shopper@example.com")
    page.get_by_label("收货人姓名").fill("王小明")
    page.get_by_label("手机号码").fill("1381234567")  # one digit short
    page.get_by_label("省份").select_option("河南省")
    page.get_by_label("城市").select_option("三门峡市")
    page.get_by_label("区县").select_option("渑池县")
    page.get_by_label("详细地址").fill("仰韶路 12 号")
    page.get_by_role("button", name="保存地址").click()
    error = page.locator(".has-error .error")
    assert "手机号" in error.inner_text()
    assert page.get_by_label("收货人姓名").input_value() == "王小明"
    assert page.locator(".summary li").count() == 2  # nothing lost from the cart
    phone.shot("08-checkout-phone-error")

    page.get_by_label("手机号码").fill("13812345678")
    page.get_by_role("button", name="保存地址").click()
    page.wait_for_url(re.compile(r"/checkout/#delivery"))
    page.get_by_label(re.compile("顺丰速运")).check()
    phone.shot("09-checkout-carrier")
    page.get_by_role("button", name="提交订单并用支付宝付款").click()

    page.wait_for_url(re.compile(re.escape(cashier.url)))
    order = Order.objects.get()
    assert order.status == Order.Status.UNPAID and order.lines.count() == 2
    assert page.locator("#amount").inner_text() == f"¥{order.total_amount}"
    phone.shot("10-alipay-cashier")

    page.locator("#pay").click()
    page.wait_for_url(re.compile(r"/pay/return/\?"))
    assert cashier.notice_answers == ["success"]
    assert page.locator("h1").inner_text() == "支付成功"
    assert page.locator("#order-status").inner_text() == "已付款"
    phone.shot("11-payment-return")

    page.get_by_role("link", name="查看订单").click()
    page.wait_for_url(re.compile(rf"/orders/{order.number}/"))
    assert page.locator("#order-status").inner_text() == "已付款"
    phone.shot("12-order")
    page.get_by_role("link", name="订单", exact=True).first.click()
    assert page.locator(".orders li").count() == 1
    phone.shot("13-orders")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.total_charged_amount == order.total_amount
    phone.context.close()


def test_shopper_registers_signs_in_and_opens_a_trace_code_of_their_order(
        chromium, live_server, settings, tmp_path, persimmon, coop, coop_user, packing_run,
        shipping_methods):
    """Trace codes come from the supply chain: a packing run of the 渑池柿饼 grade is shipped
    on the shopper's order (``supplychain.services.ship_codes``) and shown on the order."""
    from supplychain import services as supply_services

    settings.MEDIA_ROOT = str(tmp_path)
    phone = Phone(chromium, tmp_path)
    page = phone.page
    page.goto(live_server.url + "/account/register/")
    page.get_by_label("电子邮箱").fill("buyer@example.com")
    page.get_by_label("密码（至少 8 位）").fill("123")
    page.get_by_role("button", name="注册").click()
    assert page.locator(".has-error .error").count() >= 1
    phone.shot("14-register-error")
    page.get_by_label("密码（至少 8 位）").fill("Walnut-Persimmon-2024")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("button", name="退出").click()
    page.goto(live_server.url + "/account/sign-in/")
    page.get_by_label("电子邮箱").fill("buyer@example.com")
    page.get_by_label("密码").fill("Walnut-Persimmon-2024")
    page.get_by_role("button", name="登录").last.click()
    page.wait_for_url(live_server.url + "/")

    buyer = __import__("shop.models", fromlist=["User"]).User.objects.get(email="buyer@example.com")
    variant = packing_run.variant
    checkout = shop_services.create_checkout(
        "default", user=buyer, email=buyer.email, lines=[{"variant_id": variant.pk, "quantity": 2}],
        shipping_address={"first_name": "王小明", "street_address_1": "仰韶路 12 号",
                          "city": "三门峡市", "city_area": "渑池县", "country_area": "河南省",
                          "phone": "13812345678"})
    shop_services.update_checkout_delivery_method(checkout, shipping_methods["post"].pk)
    order = shop_services.complete_checkout(checkout.token, user=buyer)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    line = order.lines.get()
    codes = list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True)[:2])
    shop_services.fulfill_order_lines(order, coop, [{"order_line_id": line.pk, "quantity": 2}],
                                      carrier="中国邮政", tracking_number="EMS1234567890CN",
                                      user=coop_user)
    supply_services.ship_codes(line, codes, user=coop_user)

    page.goto(live_server.url + "/orders/")
    page.get_by_role("link", name=re.compile(str(order.number))).click()
    assert "发货" in page.locator("#order-status").inner_text()
    assert "EMS1234567890CN" in page.locator("main").inner_text()
    phone.shot("15-order-shipped")
    page.get_by_role("link", name=codes[0]).click()
    page.wait_for_url(re.compile(rf"/t/{codes[0]}"))
    assert "渑池柿饼" in page.locator("body").inner_text()
    phone.shot("16-trace-page")
    phone.context.close()
