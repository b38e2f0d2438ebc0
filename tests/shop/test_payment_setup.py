"""Alipay's keys missing: shoppers paying through the API (an order or a checkout) read
only "暂时无法使用支付宝支付，请稍后再试", while the operator finds the cause in the log, in
``manage.py check --deploy`` and on the admin's order and payment lists."""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from shop import services
from shop.models import Payment
from shop.transactions import CheckoutTransaction
from tests.factories import gid, ready_checkout
from tests.payments import INIT

pytestmark = pytest.mark.django_db
UNAVAILABLE = "暂时无法使用支付宝支付，请稍后再试"


@pytest.fixture
def no_alipay(settings, tmp_path):
    settings.ALIPAY_APP_ID = ""
    settings.ALIPAY_PUBLIC_KEY = ""
    settings.ALIPAY_PUBLIC_KEY_PATH = ""
    settings.ALIPAY_KEY_DIR = tmp_path / "alipay"


def _refused(result, caplog):
    assert result["transaction"] is None and result["data"] is None
    [error] = result["errors"]
    assert (error["field"], error["code"], error["message"]) == (
        "paymentGateway", "INVALID", UNAVAILABLE)
    assert "ALIPAY" not in error["message"]
    [record] = [r for r in caplog.records if r.name == "shop.payments"
                and r.levelno == logging.ERROR]
    assert "ALIPAY_APP_ID" in record.getMessage()
    assert any("ALIPAY_PUBLIC_KEY" in problem for problem in record.alipay_problems)


def test_paying_an_order_without_keys_tells_the_shopper_to_try_later(
        gql_as, channel, variant, shipping, coop_user, no_alipay, caplog):
    order = services.complete_checkout(
        ready_checkout(channel, variant, shipping, user=coop_user).token, coop_user)
    with caplog.at_level(logging.ERROR, logger="shop.payments"):
        result = gql_as(coop_user, language="zh-hans").data(
            INIT, {"id": gid("Order", order.pk)})
    _refused(result["transactionInitialize"], caplog)
    assert not Payment.objects.exists()


def test_paying_a_checkout_without_keys_tells_the_shopper_to_try_later(
        gql_as, channel, variant, shipping, no_alipay, caplog):
    checkout = ready_checkout(channel, variant, shipping)
    with caplog.at_level(logging.ERROR, logger="shop.payments"):
        result = gql_as(language="zh-hans").data(INIT, {"id": gid("Checkout", checkout.token)})
    _refused(result["transactionInitialize"], caplog)
    assert not CheckoutTransaction.objects.exists()


def test_the_operator_sees_the_problem_in_check_and_in_the_admin(no_alipay, django_user_model):
    out = StringIO()
    call_command("check", deploy=True, stdout=out, stderr=out)
    report = out.getvalue()
    assert "shop.W001" in report and "ALIPAY_APP_ID" in report and "ALIPAY_PUBLIC_KEY" in report

    admin = django_user_model.objects.create_superuser(email="root@example.com",
                                                       password="x-Strong-pass-1")
    browser = Client()
    browser.force_login(admin)
    for path in ("/admin/shop/payment/", "/admin/shop/order/"):
        page = browser.get(path).content.decode()
        assert "ALIPAY_APP_ID" in page and "支付宝无法收款" in page


def test_a_configured_shop_has_no_warning(alipay_gateway, django_user_model):
    out = StringIO()
    call_command("check", deploy=True, stdout=out, stderr=out)
    assert "shop.W001" not in out.getvalue()
    admin = django_user_model.objects.create_superuser(email="root@example.com",
                                                       password="x-Strong-pass-1")
    browser = Client()
    browser.force_login(admin)
    assert "ALIPAY_APP_ID" not in browser.get("/admin/shop/payment/").content.decode()
