"""Accounts by mobile number on a phone (Playwright driving Debian's Chromium against a
live server, codes texted to the SMS stand-in): a new shopper registers with a number
alone and buys, the order reaching them at that number; a cooperative member sent to
sign in by the workbench signs in with their number and a texted code and lands back on
the workbench. Screenshots go to ``artifacts/screenshots/`` (``phone-*``)."""

from __future__ import annotations

import re

import pytest

from shop.models import Membership, Order, User
from tests.browser import Phone
from tests.factories import make_member
from tests.invitations import texted_code
from tests.sms_api import FakeSmsApi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "13912345678"


@pytest.fixture
def sms_api(settings):
    api = FakeSmsApi()
    api.configure(settings, {"verification_code": "SMS_490002"})
    yield api
    api.close()


def _code_for(page, sms_api, number):
    """Type the number, tap 获取验证码, and type the code the phone received."""
    page.get_by_label("手机号码").fill(number)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("验证码").fill(texted_code(sms_api, number))


def test_a_new_shopper_registers_by_phone_and_buys(chromium, live_server, sms_api, persimmon,
                                                  variant, shipping, tmp_path):
    phone = Phone(chromium, tmp_path)
    page, url = phone.page, live_server.url
    page.goto(f"{url}/account/register/")
    page.get_by_role("link", name="用手机号注册").click()
    page.wait_for_url(re.compile(r"/account/register/phone/"))
    _code_for(page, sms_api, NUMBER)
    # The cursor waits in the code's box once the code is on its way.
    assert page.evaluate("document.activeElement.name") == "code"
    page.get_by_label("您的姓名（选填）").fill("小王")
    phone.shot("phone-01-register")
    page.get_by_role("button", name="注册", exact=True).click()
    page.wait_for_url(f"{url}/")
    assert "小王" in page.locator("header").inner_text()
    user = User.objects.get(verified_phone=NUMBER)
    assert user.email is None

    page.goto(f"{url}/product/{persimmon.slug}/")
    page.locator(f"input[name=variant][value='{variant.pk}']").check()
    page.get_by_role("button", name="立即购买").click()
    page.wait_for_url(re.compile(r"/cart/"))
    page.get_by_role("link", name="去结算").click()
    page.wait_for_url(re.compile(r"/checkout/"))
    page.wait_for_load_state("networkidle")
    # No e-mail is asked of a shopper who signed in by number.
    assert page.get_by_label("电子邮箱").count() == 0
    page.get_by_label("收货人姓名").fill("王小明")
    page.get_by_label("手机号码").fill(NUMBER)
    page.get_by_label("省份").select_option("河南省")
    page.get_by_label("城市").select_option("三门峡市")
    page.get_by_label("区县").select_option("渑池县")
    page.get_by_label("详细地址").fill("仰韶路 12 号")
    page.get_by_role("button", name="保存地址").click()
    page.get_by_label(re.compile("中国邮政")).check()
    page.get_by_role("button", name="提交订单并用支付宝付款").click()
    page.wait_for_url(re.compile(r"/orders/\d+/"))
    order = Order.objects.get(user=user)
    assert order.user_email == "" and order.shipping_address.phone == NUMBER
    phone.shot("phone-02-ordered")

    # The account page names the number they sign in with.
    page.locator("header a.who").click()
    page.wait_for_url(re.compile(r"/account/$"))
    assert NUMBER in page.locator("main").inner_text()


def test_a_member_signs_in_to_the_workbench_by_phone(chromium, live_server, sms_api, coop,
                                                    tmp_path):
    member = make_member(coop, "member@example.com", role=Membership.Role.MEMBER)
    User.objects.filter(pk=member.pk).update(verified_phone=NUMBER, phone=NUMBER)
    phone = Phone(chromium, tmp_path)
    page, url = phone.page, live_server.url
    page.goto(f"{url}/work/members/")
    page.wait_for_url(re.compile(r"/account/sign-in/"))
    page.get_by_role("link", name="手机号验证码登录").click()
    page.wait_for_url(re.compile(r"/account/sign-in/phone/\?next="))
    _code_for(page, sms_api, NUMBER)
    assert "如果 139****5678 已注册账户" in page.locator(".messages").inner_text()
    phone.shot("phone-03-sign-in")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(f"{url}/work/members/")
    assert coop.name in page.locator("body").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("phone-04-workbench")
