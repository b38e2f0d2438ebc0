"""Alipay through the official SDK against the local gateway: both RSA2 checks run."""

import logging
from decimal import Decimal
from urllib.request import urlopen

import pytest
from django.test import Client

from shop import services
from shop.models import Order, OrderEvent, Payment, PaymentNotice, Refund
from shop.tasks import query_pending_alipay_payments
from tests.factories import gid, ready_checkout
from tests.payments import INIT, notify, start
from tests.shop.alipay_gateway import new_key_pair

pytestmark = pytest.mark.django_db

@pytest.fixture
def unpaid_order(channel, variant, shipping, coop_user):
    checkout = ready_checkout(channel, variant, shipping, quantity=1, user=coop_user)
    return services.complete_checkout(checkout.token, coop_user)  # 39.90 + 8.00 邮政


def snapshot(order):
    order.refresh_from_db()
    payment = order.payments.get()
    return (order.status, order.total_charged_amount, payment.status, payment.charged_amount,
            order.events.count())


def test_pay_with_alipay_from_url_to_paid(gql_as, unpaid_order, coop_user, alipay_gateway):
    result = start(gql_as, coop_user, unpaid_order)
    assert result["errors"] == []
    assert result["transaction"]["name"] == "Alipay"
    assert result["transaction"]["status"] == "PENDING"
    url = result["data"]["url"]
    assert url.startswith(alipay_gateway.url + "?")
    assert "method=alipay.trade.page.pay" in url and "sign=" in url
    # The buyer's browser opened the cashier; the gateway checked our RSA2 signature.
    assert alipay_gateway.received == [("alipay.trade.page.pay", True)]
    out_trade_no = result["transaction"]["outTradeNo"]
    assert alipay_gateway.trades[out_trade_no]["total_amount"] == "47.90"

    notice = alipay_gateway.pay(out_trade_no)
    assert notify(notice) == "success"
    unpaid_order.refresh_from_db()
    assert unpaid_order.status == Order.Status.PAID and unpaid_order.paid_at is not None
    assert unpaid_order.total_charged_amount == Decimal("47.90")
    payment = unpaid_order.payments.get()
    assert (payment.status, payment.psp_reference) == (
        Payment.Status.CHARGED, alipay_gateway.trades[out_trade_no]["trade_no"])
    assert list(unpaid_order.events.values_list("type", flat=True)) == [
        "placed", "payment_started", "paid"]

    query = """query($id: ID!) { order(id: $id) { pavilionStatus paymentStatus isPaid chargeStatus
      transactions { status chargedAmount { amount } } events { type } } }"""
    order = gql_as(coop_user).data(query, {"id": gid("Order", unpaid_order.pk)})["order"]
    assert (order["pavilionStatus"], order["paymentStatus"], order["isPaid"],
            order["chargeStatus"]) == ("PAID", "FULLY_CHARGED", True, "FULL")

    # The return page (a signed query string too) shows the result in Chinese.
    page = Client().get("/alipay/return/", alipay_gateway.sign_notice(
        {"out_trade_no": out_trade_no, "total_amount": "47.90", "app_id": alipay_gateway.app_id,
         "method": "alipay.trade.page.pay.return", "sign_type": "RSA2"}))
    assert page.status_code == 200
    assert str(unpaid_order.number) in page.content.decode()


def test_wap_pay_url(gql_as, unpaid_order, coop_user, alipay_gateway):
    url = start(gql_as, coop_user, unpaid_order, "WAP")["data"]["url"]
    assert "method=alipay.trade.wap.pay" in url
    assert alipay_gateway.received == [("alipay.trade.wap.pay", True)]


def test_replayed_notice_changes_nothing(gql_as, unpaid_order, coop_user, alipay_gateway,
                                         caplog):
    out_trade_no = start(gql_as, coop_user, unpaid_order)["transaction"]["outTradeNo"]
    notice = alipay_gateway.pay(out_trade_no, total_amount="47.90")
    assert notify(notice) == "success"
    before = snapshot(unpaid_order)
    with caplog.at_level(logging.INFO, logger="shop.payments"):
        assert notify(notice) == "success"  # Alipay must stop retrying
    assert snapshot(unpaid_order) == before
    assert PaymentNotice.objects.filter(outcome="duplicate").count() == 1
    assert "already processed" in caplog.text


@pytest.mark.parametrize("case", ["bad_signature", "wrong_app_id", "amount_mismatch",
                                  "unknown_out_trade_no", "unsigned"])
def test_forged_or_wrong_notices_change_nothing(case, gql_as, unpaid_order, coop_user,
                                                alipay_gateway, caplog):
    out_trade_no = start(gql_as, coop_user, unpaid_order)["transaction"]["outTradeNo"]
    notice = alipay_gateway.pay(out_trade_no)
    if case == "bad_signature":  # signed by someone else's key
        notice = alipay_gateway.sign_notice(notice, private_key=new_key_pair()[0])
    elif case == "wrong_app_id":  # another application's genuine notice
        notice = alipay_gateway.pay(out_trade_no, app_id="2021999999999999")
    elif case == "amount_mismatch":
        notice = alipay_gateway.pay(out_trade_no, total_amount="0.01")
    elif case == "unknown_out_trade_no":
        notice = alipay_gateway.sign_notice(dict(notice, out_trade_no="999999000000"))
    elif case == "unsigned":
        notice = {k: v for k, v in notice.items() if k != "sign"}
        notice["total_amount"] = "47.90"
    before = snapshot(unpaid_order)
    with caplog.at_level(logging.WARNING, logger="shop.payments"):
        assert notify(notice) == "failure"
    assert snapshot(unpaid_order) == before
    assert unpaid_order.status == Order.Status.UNPAID
    expected = "bad_signature" if case == "unsigned" else case
    assert list(PaymentNotice.objects.values_list("outcome", "reason")) == [("rejected", expected)]
    assert f"rejected ({expected})" in caplog.text


def test_query_task_confirms_a_payment_whose_notice_never_came(gql_as, unpaid_order,
                                                               coop_user, alipay_gateway):
    result = start(gql_as, coop_user, unpaid_order)
    out_trade_no = result["transaction"]["outTradeNo"]
    Payment.objects.update(created_at=unpaid_order.created_at.replace(year=2020))
    assert query_pending_alipay_payments.delay().get() == 0  # not paid yet
    alipay_gateway.pay(out_trade_no)  # paid, but the notice is lost
    assert query_pending_alipay_payments.delay().get() == 1
    assert query_pending_alipay_payments.delay().get() == 0
    unpaid_order.refresh_from_db()
    assert unpaid_order.status == Order.Status.PAID
    assert ("alipay.trade.query", True) in alipay_gateway.received
    assert unpaid_order.events.get(type=OrderEvent.Type.PAID).parameters["source"] == "query"


def test_staff_refund_calls_alipay_and_is_recorded(gql_as, unpaid_order, coop_user,
                                                   operator_user, alipay_gateway):
    from shop.models import Stock

    out_trade_no = start(gql_as, coop_user, unpaid_order)["transaction"]["outTradeNo"]
    assert notify(alipay_gateway.pay(out_trade_no)) == "success"
    refund = """mutation($id: ID!, $amount: PositiveDecimal!) {
      orderRefund(id: $id, amount: $amount, reason: "缺货退款") {
        order { pavilionStatus paymentStatus totalRefunded { amount } refunds { amount { amount } reason status
                createdBy { email } } events { type } }
        errors { field code message } } }"""
    variables = {"id": gid("Order", unpaid_order.pk), "amount": "47.90"}
    denied = gql_as(coop_user).post(refund, variables)
    assert denied["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    too_much = gql_as(operator_user).data(refund, dict(variables, amount="100"))["orderRefund"]
    assert too_much["errors"][0]["code"] == "CANNOT_REFUND"
    assert not Refund.objects.exists()

    data = gql_as(operator_user).data(refund, variables)["orderRefund"]
    assert data["errors"] == []
    order = data["order"]
    assert (order["pavilionStatus"], order["paymentStatus"]) == ("REFUNDED", "FULLY_REFUNDED")
    assert order["totalRefunded"]["amount"] == 47.9
    assert order["refunds"] == [{"amount": {"amount": 47.9}, "reason": "缺货退款",
                                 "status": "SUCCESS", "createdBy": {"email": operator_user.email}}]
    assert ("alipay.trade.refund", True) in alipay_gateway.received
    assert alipay_gateway.trades[out_trade_no]["refunded"] == Decimal("47.90")
    # Nothing had shipped: the reserved unit went back on sale.
    assert Stock.objects.get(product_variant__sku="mianchi-shibing-1").quantity_allocated == 0


def test_gateway_refuses_a_request_signed_with_another_key(gql_as, unpaid_order, coop_user,
                                                           alipay_gateway, settings):
    settings.ALIPAY_PRIVATE_KEY = new_key_pair()[0]
    url = start(gql_as, coop_user, unpaid_order, open_cashier=False)["data"]["url"]
    from urllib.error import HTTPError

    with pytest.raises(HTTPError):
        urlopen(url)
    assert alipay_gateway.received == [("alipay.trade.page.pay", False)]


def test_only_the_buyer_starts_a_payment(gql_as, unpaid_order, other_coop_user, alipay_gateway):
    result = gql_as(other_coop_user).post(INIT, {"id": gid("Order", unpaid_order.pk)})
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert not Payment.objects.exists()
