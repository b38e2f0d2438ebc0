"""In a real browser with WeChat's user agent: the checkout places the order and shows the
guide to open the page in the phone's browser instead of an Alipay page that never loads;
the phone's browser opens the guide's link and pays at the (local) Alipay cashier."""

from __future__ import annotations

import re

import pytest

from shop.models import Order
from tests.browser import SHOTS, Phone
from tests.clients import WECHAT_UA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class WithUserAgent:
    """The browser, whose new contexts (pages) send ``agent`` as their user agent."""

    def __init__(self, browser, agent: str):
        self.browser, self.agent = browser, agent

    def new_context(self, **options):
        return self.browser.new_context(user_agent=self.agent, **options)


def test_wechat_shopper_sees_the_guide_and_pays_in_the_phone_browser(
        chromium, live_server, settings, tmp_path, persimmon, shipping_methods,
        cashier):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PUBLIC_URL = live_server.url  # links and Alipay's return address
    (SHOTS / "shop").mkdir(parents=True, exist_ok=True)
    wechat = Phone(WithUserAgent(chromium, WECHAT_UA), tmp_path)
    page = wechat.page
    page.goto(f"{live_server.url}/product/{persimmon.slug}/")
    page.get_by_role("button", name="立即购买").click()
    page.wait_for_url(re.compile(r"/cart/"))
    page.get_by_role("link", name="去结算").click()
    page.get_by_label("电子邮箱（用于订单通知）").fill("wx@example.com")
    page.get_by_label("收货人姓名").fill("才让")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("省份").select_option("河南省")
    page.get_by_label("城市").select_option("三门峡市")
    page.get_by_label("区县").select_option("渑池县")
    page.get_by_label("详细地址").fill("仰韶路 12 号")
    page.get_by_role("button", name="保存地址").click()
    page.wait_for_url(re.compile(r"/checkout/#delivery"), wait_until="domcontentloaded")
    page.get_by_label(re.compile("中国邮政")).check()
    page.get_by_role("button", name="提交订单并用支付宝付款").click()

    page.wait_for_url(re.compile(r"/pay/open/"))
    assert cashier.url not in page.url
    guide = page.locator("#wechat-guide")
    assert "在浏览器打开" in guide.inner_text()
    order = Order.objects.get()
    assert f"您的订单 {order.number} 已保留" in guide.inner_text()
    assert order.status == Order.Status.UNPAID
    wechat.shot("shop/wechat-guide")
    link = page.url
    wechat.context.close()

    # The phone's own browser (no WeChat, no session): the link resumes the payment.
    phone = Phone(chromium, tmp_path)
    phone.page.goto(link)
    phone.page.wait_for_url(re.compile(re.escape(cashier.url)))
    assert phone.page.locator("#amount").inner_text() == f"¥{order.total_amount}"
    phone.page.locator("#pay").click()
    phone.page.wait_for_url(re.compile(r"/pay/return/\?"))
    assert phone.page.locator("#order-status").inner_text() == "已付款"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    phone.context.close()
