"""A shopper's first visit, on a phone: from the pavilion's home to 购物帮助 (every shop
page's footer), which says in plain Chinese how to buy and pay (with the payment window),
how to scan a package's trace code and what its page shows, and the after-sales rules
(the no-reason return window, refund-only fresh goods); then a package's code scanned,
whose page says what the help said it would; then registering from the footer and the
empty order list, which leads back to shopping.

Screenshots: ``artifacts/screenshots/walkthroughs/first-shopper-*``."""

from __future__ import annotations

import pytest

from tests.walkthroughs.phone_checks import no_dead_end, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_shopper_reads_the_help_scans_a_code_and_registers(
        live_server, phone, pavilion, persimmon, trace, settings):
    settings.RETURN_REFUND_ONLY_CATEGORIES = [persimmon.category.slug]
    page, url = phone, live_server.url
    page.goto(f"{url}/")
    shot(page, "first-shopper-01-home")
    page.click("footer a:has-text('购物帮助')")
    page.wait_for_url(f"{url}/help/")
    text = page.inner_text("main")
    for words in ("30 分钟内用支付宝付款", "一物一码", "扫一扫", "检测", "首次查询",
                  "签收后 7 天内", "七天无理由退货", f"包括：{persimmon.category.name}"):
        assert words in text, words
    shot(page, "first-shopper-02-help")
    no_dead_end(page, "/")

    # The package's code: its page says what the help said it would (a first look-up).
    page.goto(f"{url}/t/{trace.code}")
    body = page.inner_text("body")
    assert "这是此码的首次查询" in body and trace.code in body
    assert "产地" in body and "质量检测" in body
    shot(page, "first-shopper-03-trace")

    # An account from the footer; the empty order list leads back to shopping.
    page.goto(f"{url}/")
    page.click("footer a:has-text('注册')")
    page.fill("#id_email", "new-shopper@example.com")
    page.fill("#id_password", "longenough-123")
    page.click("main form button")
    assert "欢迎" in page.inner_text(".messages")
    page.click("header a:has-text('订单')")
    page.wait_for_url(f"{url}/orders/")
    shot(page, "first-shopper-04-no-orders")
    page.click("main a.button")
    page.wait_for_url(f"{url}/")
