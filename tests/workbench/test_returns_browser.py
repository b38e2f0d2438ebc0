"""After-sales on two phones (Playwright driving Debian's Chromium against a live server):
the shopper asks for a refund of a crushed package with a photo from the order page, the
cooperative opens the request from its orders page, looks at the photo and approves, the
refund goes through the local Alipay gateway, and the shopper's page says so; then the
shopper asks to refund one of two unshipped bags and withdraws the request (撤销), and
the cooperative takes a returned bag back as not for sale.

Screenshots go to ``artifacts/screenshots/work/`` (``after-sales-*``)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from PIL import Image

from shop import services as shop_services
from shop.models import Stock, User
from shop.returns import ReturnRequest
from tests.after_sales import pay, ship
from tests.browser import PHONE
from tests.factories import PASSWORD, ready_checkout
from tests.workbench.browsing import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refund_asked_on_one_phone_and_approved_on_another(
        live_server, phone, chromium, channel, variant, shipping, coop, coop_user,
        alipay_gateway, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    buyer = User.objects.create_user("wang.xiaoming@example.com", PASSWORD)
    checkout = ready_checkout(channel, variant, shipping, quantity=2, user=buyer)
    order = pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway)
    ship(order, coop, coop_user)
    picture = tmp_path / "crushed.jpg"
    Image.new("RGB", (640, 480), (190, 90, 40)).save(picture, "JPEG")
    url, page = live_server.url, phone

    # The shopper signs in and opens the order.
    page.goto(f"{url}/account/sign-in/?next=/orders/{order.number}/")
    page.fill("#id_email", buyer.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_url(f"{url}/orders/{order.number}/")
    ask = page.locator("summary", has_text=f"向{coop.name}申请售后")
    assert ask.bounding_box()["height"] >= 44
    ask.click()
    page.fill(f"#qty-{order.lines.get().pk}", "1")
    page.get_by_role("radio", name="仅退款").check()
    page.select_option(f"#reason-{coop.pk}", "damaged")
    page.fill(f"#note-{coop.pk}", "快递压坏了一袋，柿饼碎了")
    page.set_input_files(f"#photos-{coop.pk}", str(picture))
    shot(page, "after-sales-01-shopper-form")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(rf"/orders/{order.number}/"))
    assert "申请已提交给卖家" in page.locator(".messages").inner_text()
    assert "等待卖家处理" in page.locator("#after-sales").inner_text()
    shot(page, "after-sales-02-shopper-sent")

    # The cooperative's member, on another phone, sees it waiting on the orders page.
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                   is_mobile=True, has_touch=True)
    seller = context.new_page()
    seller.set_default_timeout(20_000)
    sign_in(seller, url, coop_user.email, "/work/orders/")
    link = seller.locator("#after-sales-link")
    assert "1 个待处理" in link.inner_text()
    link.click()
    seller.get_by_role("link", name=re.compile(f"订单 {order.number}")).click()
    photo = seller.locator("img[alt='买家上传的照片']")
    photo.wait_for()
    # The element is in the page before its picture has loaded (slowly, on a busy machine).
    seller.wait_for_function("img => img.complete && img.naturalWidth > 0",
                             arg=photo.element_handle())
    assert seller.evaluate("img => img.naturalWidth", photo.element_handle()) == 640
    assert "快递压坏了一袋" in seller.locator("#return-request").inner_text()
    shot(seller, "after-sales-03-seller-request")
    approve = seller.get_by_role("button", name="同意并退款")
    assert approve.bounding_box()["height"] >= 44
    approve.click()
    seller.wait_for_load_state("networkidle")
    assert "已退款" in seller.locator("#return-status").inner_text()
    shot(seller, "after-sales-04-seller-refunded")
    context.close()

    request = ReturnRequest.objects.get()
    assert request.status == ReturnRequest.Status.REFUNDED
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("39.90")]

    # Back on the shopper's phone the answer is on the order page.
    page.reload()
    assert "已退款 ¥39.90 至您的支付宝账户" in page.locator("#after-sales").inner_text()
    page.locator("#after-sales").scroll_into_view_if_needed()
    shot(page, "after-sales-05-shopper-refunded")


def test_on_phones_a_withdrawal_an_unshipped_refund_and_goods_back_not_for_sale(
        live_server, phone, chromium, channel, variant, shipping, coop, coop_user,
        alipay_gateway):
    buyer = User.objects.create_user("li.na@example.com", PASSWORD)
    checkout = ready_checkout(channel, variant, shipping, quantity=2, user=buyer)
    waiting = pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway)
    checkout = ready_checkout(channel, variant, shipping, quantity=1, user=buyer)
    sent = ship(pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway),
                coop, coop_user)
    url, page = live_server.url, phone
    page.goto(f"{url}/account/sign-in/?next=/orders/{waiting.number}/")
    page.fill("#id_email", buyer.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_url(f"{url}/orders/{waiting.number}/")

    # Nothing shipped yet: one of the two bags is no longer wanted.
    ask = page.locator("summary", has_text=f"向{coop.name}申请退款（未发货商品）")
    assert ask.bounding_box()["height"] >= 44
    ask.click()
    page.fill(f"#qty-{waiting.lines.get().pk}", "1")
    shot(page, "after-sales-06-shopper-unshipped-form")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(rf"/orders/{waiting.number}/"))
    request = ReturnRequest.objects.get(order=waiting)
    assert request.amount == Decimal("39.90")

    # The shopper changes their mind: 撤销申请, confirmed in the phone's dialog.
    withdraw = page.locator(f"#withdraw-{request.pk}")
    withdraw.scroll_into_view_if_needed()
    assert withdraw.bounding_box()["height"] >= 44
    shot(page, "after-sales-07-shopper-withdraw-button")
    page.once("dialog", lambda dialog: dialog.accept())
    withdraw.click()
    page.wait_for_url(re.compile(rf"/orders/{waiting.number}/"))
    assert "您已撤销此申请。" in page.locator(f"#return-request-{request.pk}").inner_text()
    page.locator(f"#return-request-{request.pk}").scroll_into_view_if_needed()
    shot(page, "after-sales-08-shopper-withdrawn")
    request.refresh_from_db()
    assert request.status == ReturnRequest.Status.WITHDRAWN

    # The shipped order's bag comes back crushed: the seller says it cannot be sold again.
    page.goto(f"{url}/orders/{sent.number}/")
    page.locator("summary", has_text=f"向{coop.name}申请售后").click()
    page.get_by_role("radio", name="退货退款").check()
    page.select_option(f"#reason-{coop.pk}", "quality")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(rf"/orders/{sent.number}/"))
    back = ReturnRequest.objects.get(order=sent)
    stock = Stock.objects.get(product_variant=variant)
    before = stock.quantity

    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                   is_mobile=True, has_touch=True)
    seller = context.new_page()
    seller.set_default_timeout(20_000)
    sign_in(seller, url, coop_user.email, f"/work/orders/after-sales/{back.pk}/")
    seller.fill("#return-address", "渑池县仰韶路 8 号")
    seller.get_by_role("button", name="同意退货").click()
    seller.wait_for_load_state("networkidle")
    seller.get_by_role("radio", name=re.compile("不能")).check()
    seller.locator("#receipt").scroll_into_view_if_needed()
    shot(seller, "after-sales-09-seller-receipt-choice")
    seller.get_by_role("button", name="已收到退货，退款").click()
    seller.wait_for_load_state("networkidle")
    assert "不再销售。" in seller.locator("#return-request").inner_text()
    context.close()
    back.refresh_from_db()
    stock.refresh_from_db()
    assert (back.status, back.restocked, stock.quantity) == ("refunded", False, before)
