"""The buyer's order page in a real browser (Chromium at 390x844): 确认收货 on a shipped
order, then the recall banner once the lot is recalled, and the product page without the
recalled lot's "合格". Screenshots under ``artifacts/screenshots/shop/``."""

from __future__ import annotations

import pytest

from shop.models import Order
from supplychain import services
from tests.browser import SHOTS, Phone
from tests.factories import PASSWORD, make_member, make_paid_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_sees_the_recall_on_the_order_page_and_confirms_receipt(
        chromium, live_server, settings, tmp_path, packing_run, graded_lot, coop,
        coop_user, channel, shipping, other_coop):
    settings.MEDIA_ROOT = str(tmp_path)
    (SHOTS / "shop").mkdir(parents=True, exist_ok=True)
    coop.contact_phone = "0398-4812345"
    coop.save()
    buyer = make_member(other_coop, "buyer@example.com")
    order = make_paid_order(channel, packing_run.variant, shipping, buyer=buyer)
    code = packing_run.trace_codes.order_by("serial").first().code
    services.fulfill_with_codes(order, coop, [{"order_line_id": order.lines.get().pk,
                                               "codes": [code]}],
                                carrier="顺丰", tracking_number="SF100001", user=coop_user)

    phone = Phone(chromium, tmp_path)
    page = phone.page
    page.goto(f"{live_server.url}/account/sign-in/?next=/orders/{order.number}/")
    page.get_by_label("电子邮箱").fill(buyer.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").last.click()
    page.wait_for_url(f"{live_server.url}/orders/{order.number}/")
    assert page.get_by_role("button", name="确认收货").is_visible()
    phone.shot("shop/order-confirm-receipt")

    services.recall_lot(coop, graded_lot=graded_lot, level="level_2", reason="霉菌超标",
                        user=coop_user)
    page.reload()
    banner = page.locator(".recall")
    assert "产品召回" in banner.inner_text() and code in banner.inner_text()
    assert "0398-4812345" in banner.inner_text()
    phone.shot("shop/order-recall")

    page.get_by_role("button", name="确认收货").click()
    page.wait_for_url(f"{live_server.url}/orders/{order.number}/")
    assert "已确认收货" in page.locator(".messages").inner_text()
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED
    phone.shot("shop/order-received")

    page.goto(f"{live_server.url}/product/{packing_run.variant.product.slug}/")
    facts = page.locator(".facts").inner_text()
    assert "已于" in facts and "合格" not in facts
    phone.shot("shop/product-recall")
    phone.context.close()
