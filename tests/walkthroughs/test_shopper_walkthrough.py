"""A new shopper on a phone, in the demo pavilion (Playwright driving Debian's Chromium
against a live server): from the home page through a pavilion, a category and a search
(a word, a typo, a word with nothing behind it), a product, the cart, registering, an
address, Alipay's cashier and the paid order; then the trace code on a package, in
Chinese, and 泽库's pages in Tibetan and English.

Screenshots go to ``artifacts/screenshots/`` (``shopper-*``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from shop.models import Order
from supplychain.models import TraceCode
from tests.browser import Phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo_data", verbosity=0)
    return Path(settings.MEDIA_ROOT)


def _fits(page):
    """Nothing wider than the phone: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _thumb_sized(locator):
    for box in (locator.nth(i).bounding_box() for i in range(locator.count())):
        assert box["height"] >= 44, box


def _scroll(page, pixels):
    page.evaluate(f"window.scrollBy(0, {pixels})")
    page.wait_for_timeout(300)  # a repaint before the screenshot


def _zeku_code():
    return TraceCode.objects.filter(
        packing_run__variant__product__slug="zeku-yak-meat").order_by("pk").first().code


def _search(page, words):
    search = page.get_by_label("搜索商品")
    search.fill(words)
    search.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def test_a_new_shopper_finds_buys_pays_and_sees_the_order(chromium, live_server, demo,
                                                          cashier):
    phone = Phone(chromium, demo)
    page, url = phone.page, live_server.url

    # Home: the counties' pavilions and the categories, each a thumb-sized target.
    page.goto(url + "/")
    assert page.locator("h1").inner_text() == "县域特色馆"
    assert page.locator(".pavilions a").count() == 5
    _thumb_sized(page.locator(".chips a"))
    _fits(page)
    phone.shot("shopper-01-home")
    # An empty cart leads back to shopping with a thumb-sized button.
    page.locator("header nav a", has_text="购物车").click()
    page.wait_for_url(re.compile(r"/cart/"))
    assert "购物车是空的" in page.locator("main").inner_text()
    _thumb_sized(page.locator("main").get_by_role("link", name="去逛逛"))
    page.locator("main").get_by_role("link", name="去逛逛").click()
    page.wait_for_url(url + "/")
    page.locator(".pavilions a", has_text="泽库").click()
    page.wait_for_url(re.compile(r"/p/zeku/"))
    assert "泽库特色馆" in page.locator("h1").inner_text()
    assert page.locator(".grid .card").count() >= 4
    _fits(page)
    phone.shot("shopper-02-pavilion")

    page.goto(url + "/")
    page.locator(".chips a", has_text="干果坚果").click()
    page.wait_for_url(re.compile(r"/c/"))
    assert page.locator("h1").inner_text() == "干果坚果"
    assert page.locator(".grid .card").count() >= 2
    _thumb_sized(page.locator("main .chips a"))
    _fits(page)
    phone.shot("shopper-03-category")

    # Search: a word, a slip of the keyboard, a word with nothing behind it, nothing at all.
    _search(page, "牦牛肉")
    assert page.locator(".grid .card", has_text="泽库牦牛肉").count() >= 1
    _fits(page)
    phone.shot("shopper-04-search")
    _search(page, "冰箱")
    assert "没有找到商品" in page.locator(".grid .empty").inner_text()
    # Nothing to filter: no filter panel, but the categories to browse instead.
    assert page.locator("details.filters").count() == 0
    assert page.locator("#browse-h").inner_text() == "或者按分类逛逛"
    _thumb_sized(page.locator(".grid .empty a"))
    phone.shot("shopper-05-search-empty")
    page.goto(url + "/search/?q=")
    assert "输入商品名称或拼音" in page.locator("main").inner_text()
    page.locator("main .chips a", has_text="肉类").click()
    page.wait_for_url(re.compile(r"/c/"))
    assert page.locator(".grid .card", has_text="牦牛").count() >= 1
    phone.shot("shopper-06-search-blank-to-category")
    page.goto(url + "/search/?q=" + "柿" * 200)
    assert page.locator("main .error").count() == 1
    _fits(page)

    # The product, straight to the cart.
    page.goto(url + "/product/zeku-yak-meat/")
    assert page.locator("h1").inner_text().startswith("泽库牦牛肉")
    _fits(page)
    phone.shot("shopper-07-product")
    page.get_by_role("button", name="立即购买").click()
    page.wait_for_url(re.compile(r"/cart/"))
    assert page.locator("li.line").count() == 1
    _fits(page)
    phone.shot("shopper-08-cart")

    # A guest at the checkout is offered to sign in or register first, and comes back.
    page.get_by_role("link", name="去结算").click()
    page.wait_for_url(re.compile(r"/checkout/"))
    offer = page.locator("#sign-in-first")
    assert "已有账号？登录后下单" in offer.inner_text()
    _thumb_sized(offer.locator("a"))
    phone.shot("shopper-09-checkout-guest")
    offer.get_by_role("link", name="注册").click()
    page.wait_for_url(re.compile(r"/account/register/\?next="))
    page.get_by_label("电子邮箱").fill("zhuoma@example.com")
    page.get_by_label("密码（至少 8 位）").fill("123")
    page.get_by_role("button", name="注册").click()
    errors = page.locator(".has-error .error").all_inner_texts()
    assert "密码太短，至少需要 8 个字符。" in errors
    assert not any(re.search("[A-Za-z]{4}", e) for e in errors), errors  # no English
    assert page.get_by_label("电子邮箱").input_value() == "zhuoma@example.com"
    phone.shot("shopper-10-register-error")
    page.get_by_label("密码（至少 8 位）").fill("Yak-Meat-Plateau-2026")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(re.compile(r"/checkout/"))
    assert page.locator("#sign-in-first").count() == 0
    assert page.locator(".summary li").count() == 1  # the cart came along

    page.wait_for_load_state("networkidle")  # the address script listens before we choose
    page.get_by_label("收货人姓名").fill("卓玛")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("省份").select_option("青海省")
    page.get_by_label("城市").select_option("黄南藏族自治州")
    page.get_by_label("区县").select_option("泽库县")
    page.get_by_label("详细地址").fill("泽曲镇 8 号")
    page.get_by_role("button", name="保存地址").click()
    page.wait_for_url(re.compile(r"/checkout/#delivery"))
    _fits(page)
    phone.shot("shopper-11-carrier")
    page.get_by_label(re.compile("中国邮政")).check()
    page.get_by_role("button", name="提交订单并用支付宝付款").click()
    page.wait_for_url(re.compile(re.escape(cashier.url)))
    order = Order.objects.get(user__email="zhuoma@example.com")
    assert page.locator("#amount").inner_text() == f"¥{order.total_amount}"
    phone.shot("shopper-12-cashier")
    page.locator("#pay").click()
    page.wait_for_url(re.compile(r"/pay/return/\?"))
    assert page.locator("h1").inner_text() == "支付成功"
    phone.shot("shopper-13-paid")
    page.get_by_role("link", name="查看订单").click()
    page.wait_for_url(re.compile(rf"/orders/{order.number}/"))
    assert page.locator("#order-status").inner_text() == "已付款"
    assert "泽库牦牛肉" in page.locator("main").inner_text()
    _fits(page)
    phone.shot("shopper-14-order")
    page.goto(url + "/orders/")
    assert page.locator(".orders li").count() == 1
    phone.shot("shopper-15-orders")

    # The code on a package: where it came from, in Chinese.
    code = _zeku_code()
    page.goto(url + f"/t/{code}")
    body = page.locator("body").inner_text()
    for seen in ("泽库牦牛肉", "这是此码的首次查询", "生产者", "产地", "质量检测", "合格",
                 "从养殖种植到包装", "流转记录"):
        assert seen in body, seen
    _fits(page)
    phone.shot("shopper-16-trace")
    _scroll(page, 1400)
    phone.shot("shopper-16b-trace-more")
    # Not a dead end: the same product, to buy again.
    page.get_by_role("link", name="在特色馆再买一份").click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator(".grid .card", has_text="泽库牦牛肉").count() >= 1
    page.goto(url + "/t/NOSUCHCODE0000")
    assert "未找到此追溯码" in page.locator("body").inner_text()
    page.get_by_role("link", name="返回特色馆").click()
    page.wait_for_url(url + "/")
    phone.shot("shopper-17-trace-unknown-back-home")
    phone.context.close()


def test_zeku_in_tibetan_and_in_english(chromium, live_server, demo):
    phone = Phone(chromium, demo)
    for language, switch, logo, slaughter in (
            ("bo", "བོད་ཡིག", "ཁྱད་ཆོས་ཚོང་ཁང་།", "བཤས་པ།"),
            ("en", "English", "Specialty pavilion", "Slaughter")):
        _walk_zeku_in(phone, live_server.url, language, switch, logo, slaughter)
    phone.context.close()


def _walk_zeku_in(phone, url, language, switch, logo, slaughter):
    page = phone.page
    page.goto(url + "/p/zeku/")
    page.locator("footer .lang a", has_text=switch).click()
    page.wait_for_url(re.compile(r"/p/zeku/"))
    assert page.locator("html").get_attribute("lang") == language
    assert logo in page.locator("header .logo").inner_text()
    # The broadcasts' times are not written in Chinese (no 月 and 日).
    times = page.locator(".live-box time").all_inner_texts()
    assert times and not any("月" in t for t in times), times
    _fits(page)
    phone.shot(f"shopper-20-{language}-pavilion")
    page.goto(url + "/product/zeku-yak-meat/")
    _fits(page)
    phone.shot(f"shopper-21-{language}-product")
    _scroll(page, 900)
    phone.shot(f"shopper-22-{language}-product-more")
    page.goto(url + "/search/?q=%E5%86%B0%E7%AE%B1")
    assert page.locator(".grid .empty").count() == 1
    assert not re.search("[\u4e00-\u9fff]", page.locator(".grid .empty").inner_text())
    phone.shot(f"shopper-23-{language}-search-empty")
    page.goto(url + f"/t/{_zeku_code()}")
    assert page.locator("html").get_attribute("lang") == language
    # The chain's steps are named in the page's language too.
    assert slaughter in page.locator(".timeline").first.inner_text()
    _fits(page)
    phone.shot(f"shopper-24-{language}-trace")
    _scroll(page, 1400)
    phone.shot(f"shopper-25-{language}-trace-more")
    again = page.locator("p.back a")
    assert "/search/?q=" in again.get_attribute("href")
    assert again.bounding_box()["height"] >= 44
