"""A 7-day no-reason return walked on two phones (Playwright driving Debian's Chromium
against a live server): the shopper asks, the cooperative agrees, the shopper gives the
parcel's carrier and tracking number, the cooperative sees them, takes the goods back in
stock and the refund goes through the local Alipay gateway; the shopper reads the answer,
in Chinese and, as a 泽库 shopper would, in Tibetan. Each page fits the phone, with
thumb-sized targets.

Screenshots go to ``artifacts/screenshots/walkthroughs/`` (``after-sales-return-*``)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils.translation import override

from shop import services as shop_services
from shop.models import Stock, User
from shop.returns import ReturnRequest
from tests.after_sales import pay, ship
from tests.browser import PHONE
from tests.factories import PASSWORD, ready_checkout
from tests.walkthroughs.phone_checks import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(chromium):
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                   is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def _sign_in(page, url, email, target):
    page.goto(f"{url}/account/sign-in/?next={target}")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_url(f"{url}{target}")


def test_a_return_with_its_tracking_number_on_two_phones(
        live_server, chromium, channel, variant, shipping, coop, coop_user, alipay_gateway):
    buyer = User.objects.create_user("zhuoma@example.com", PASSWORD)
    with override("zh-hans"):  # the order's history is written in the shop's language
        checkout = ready_checkout(channel, variant, shipping, quantity=2, user=buyer)
        order = ship(pay(shop_services.complete_checkout(checkout.token, buyer),
                         alipay_gateway), coop, coop_user)
    url = live_server.url
    shopper_context, shopper = _phone(chromium)
    seller_context, seller = _phone(chromium)
    order_page = f"/orders/{order.number}/"

    # The shopper asks to send one bag back, no reason given.
    _sign_in(shopper, url, buyer.email, order_page)
    shopper.locator("summary", has_text=f"向{coop.name}申请售后").click()
    shopper.fill(f"#qty-{order.lines.get().pk}", "1")
    shopper.get_by_role("radio", name="退货退款").check()
    shopper.select_option(f"#reason-{coop.pk}", "no_reason")
    shot(shopper, "after-sales-return-01-shopper-asks")
    shopper.get_by_role("button", name="提交申请").click()
    shopper.wait_for_url(re.compile(order_page))
    request = ReturnRequest.objects.get()
    section = shopper.locator(f"#return-request-{request.pk}")
    assert "等待卖家处理" in section.inner_text()

    # The cooperative agrees from its request page.
    _sign_in(seller, url, coop_user.email, f"/work/orders/after-sales/{request.pk}/")
    assert "七天无理由退货" in seller.locator("#return-request").inner_text()
    # No address on file yet: agreeing needs one, which the seller types once.
    assert seller.input_value("#return-address") == ""
    seller.fill("#return-address", "青海省黄南州泽库县泽曲镇 12 号 合作社仓库")
    shot(seller, "after-sales-return-02-seller-address")
    seller.get_by_role("button", name="同意退货").click()
    seller.wait_for_load_state("networkidle")
    assert "买家尚未填写退货运单号" in seller.locator("#return-request").inner_text()
    shot(seller, "after-sales-return-03-seller-agreed")

    # The shopper reads where to send it and gives the parcel's tracking number.
    shopper.reload()
    text = section.inner_text()
    assert "等待买家退回商品" in text and str(order.number) in text
    assert "请将商品寄至 青海省黄南州泽库县泽曲镇 12 号 合作社仓库" in text
    shopper.fill(f"#return-carrier-{request.pk}", "中国邮政")
    shopper.fill(f"#return-tracking-{request.pk}", "ems7788990011cn")
    section.scroll_into_view_if_needed()
    shot(shopper, "after-sales-return-04-shopper-tracking")
    shopper.get_by_role("button", name="我已寄回商品").click()
    shopper.wait_for_url(re.compile(order_page))
    assert "EMS7788990011CN" in section.inner_text().upper()
    request.refresh_from_db()
    assert (request.return_carrier, request.return_tracking_number.upper()) == (
        "中国邮政", "EMS7788990011CN")

    # The cooperative sees the parcel, takes the bag back in stock: the shopper is refunded.
    stock_before = Stock.objects.get(product_variant=variant).quantity
    seller.reload()
    assert "EMS7788990011CN" in seller.locator("#return-parcel").inner_text().upper()
    seller.locator("#receipt").scroll_into_view_if_needed()
    shot(seller, "after-sales-return-05-seller-parcel")
    seller.get_by_role("button", name="已收到退货，退款").click()
    seller.wait_for_load_state("networkidle")
    assert "已退款" in seller.locator("#return-status").inner_text()
    request.refresh_from_db()
    assert request.status == ReturnRequest.Status.REFUNDED and request.restocked
    assert Stock.objects.get(product_variant=variant).quantity == stock_before + 1
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("39.90")]
    seller_context.close()

    shopper.reload()
    assert "已退款 ¥39.90 至您的支付宝账户" in section.inner_text()
    section.scroll_into_view_if_needed()
    shot(shopper, "after-sales-return-06-shopper-refunded")

    # A 泽库 shopper reads the same request in Tibetan.
    shopper.locator('nav.lang a[lang="bo"]').click()
    shopper.wait_for_selector('html[lang="bo"]')
    text = section.inner_text()
    assert "ཐོན་རྫས་ཕྱིར་སྐྱེལ་དང་རིན་ཕྱིར་སློག" in text  # return and refund
    assert "ཉིན་བདུན་རྒྱུ་མཚན་མེད་པར་ཕྱིར་སློག" in text  # 7-day no-reason return
    assert "རིན་ཕྱིར་སློག་བྱས་ཟིན།" in text  # refunded
    for chinese in ("退货退款", "七天无理由", "已退款"):
        assert chinese not in text
    section.scroll_into_view_if_needed()
    shot(shopper, "after-sales-return-07-shopper-refunded-bo")
    shopper_context.close()
