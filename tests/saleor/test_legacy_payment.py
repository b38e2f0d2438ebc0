"""Saleor's older payment flow, as react-storefront pays, through the real ``/graphql/``
view against the demo data and the local Alipay gateway: ``checkoutPaymentCreate`` for
the checkout's total, ``checkoutComplete`` answering ``confirmationNeeded`` with the
cashier until Alipay's notice charges the payment, then the paid order; and what it
refuses (a wrong amount or gateway, a foreign return URL, someone else's checkout, a
replayed notice)."""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from django.test import Client, TestCase

from catalog.models import ProductVariant
from shop.models import Order, PaymentNotice, User
from shop.transactions import CheckoutTransaction
from tests.clients import GraphQLClient
from tests.factories import ADDRESS, gid

from .conftest import document

STOREFRONT = "http://localhost:3000/checkout"


def run(client, name, **variables):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.data(document(name), variables)


@pytest.fixture
def shopper(demo_db):
    return User.objects.create_user("legacy-payer@example.com", "a-long-password-1")


def start(gql, quantity=2, email="legacy-payer@example.com"):
    """A checkout with an address and a carrier, as react-storefront leaves it before paying."""
    variant = ProductVariant.objects.get(sku__endswith="TJ-500G",
                                         product__slug="mianchi-dried-persimmon")
    created = run(gql, "StartCheckout", channel="default", email=email,
                  variantId=gid("ProductVariant", variant.pk), quantity=quantity)
    checkout = created["checkoutCreate"]["checkout"]
    shipped = run(gql, "ShipTo", id=checkout["id"], address=ADDRESS,
                  save=False)["checkoutShippingAddressUpdate"]["checkout"]
    return run(gql, "ChooseDelivery", id=checkout["id"], methodId=shipped["shippingMethods"][0][
        "id"])["checkoutDeliveryMethodUpdate"]["checkout"]


def total_of(checkout) -> Decimal:
    return Decimal(str(checkout["totalPrice"]["gross"]["amount"]))


def pay_create(gql, checkout_id, **payment):
    return run(gql, "CheckoutPaymentCreate", checkoutId=checkout_id,
               paymentInput={"gateway": "alipay", **payment})["checkoutPaymentCreate"]


def complete(gql, checkout_id, **variables):
    return run(gql, "CheckoutCompleteWithPayment", checkoutId=checkout_id,
               **variables)["checkoutComplete"]


def notify(notice) -> str:
    return Client().post("/alipay/notify/", notice).content.decode()


def test_react_storefront_pays_then_completes_into_a_paid_order(shopper, alipay_gateway):
    gql = GraphQLClient(shopper)
    checkout = start(gql)
    total = total_of(checkout)
    created = pay_create(gql, checkout["id"], amount=str(total), returnUrl=STOREFRONT,
                         storePaymentMethod="NONE", token="",
                         metadata=[{"key": "client", "value": "react-storefront"}])
    assert created["errors"] == []
    payment = created["payment"]
    assert (payment["gateway"], payment["isActive"], payment["chargeStatus"]) == (
        "alipay", True, "NOT_CHARGED")
    assert payment["total"] == {"amount": float(total), "currency": "CNY"}
    assert payment["capturedAmount"] == {"amount": 0.0}
    assert payment["metadata"] == [{"key": "client", "value": "react-storefront"}]
    assert created["checkout"]["chargeStatus"] == "NONE"

    # Completing now sends the buyer to Alipay's cashier and places no order.
    asked = complete(gql, checkout["id"], paymentData=json.dumps({"device": "WAP"}))
    assert (asked["errors"], asked["order"], asked["confirmationNeeded"]) == ([], None, True)
    data = json.loads(asked["confirmationData"])
    assert (data["gateway"], data["outTradeNo"], Decimal(data["amount"])) == (
        "alipay", payment["token"], total)
    assert data["url"].startswith(alipay_gateway.url)
    query = parse_qs(urlsplit(data["url"]).query)
    assert query["return_url"] == [STOREFRONT]
    assert query["method"] == ["alipay.trade.wap.pay"]  # the device paymentData named
    assert urlopen(data["url"]).status == 200  # the buyer opens the cashier
    assert not Order.objects.filter(user=shopper).exists()

    # Completing again without paying answers the same: still no order, one payment.
    again = complete(gql, checkout["id"])
    assert (again["order"], again["confirmationNeeded"]) == (None, True)
    assert json.loads(again["confirmationData"])["outTradeNo"] == payment["token"]
    assert not Order.objects.filter(user=shopper).exists()
    assert CheckoutTransaction.objects.filter(status="pending",
                                              out_trade_no=payment["token"]).count() == 1

    # The buyer pays; Alipay's notice charges the payment; completing places the order.
    notice = alipay_gateway.pay(payment["token"])
    assert notify(notice) == "success"
    done = complete(gql, checkout["id"])
    assert (done["errors"], done["confirmationNeeded"], done["confirmationData"]) == (
        [], False, None)
    order = done["order"]
    assert (order["isPaid"], order["status"], order["paymentStatus"], order["chargeStatus"]) == (
        True, "UNFULFILLED", "FULLY_CHARGED", "FULL")
    assert order["totalCaptured"] == {"amount": float(total)}
    stored = Order.objects.get(number=order["number"])
    assert stored.payments.get().psp_reference == notice["trade_no"]

    # A replayed notice changes nothing; completing again answers the same order.
    assert notify(notice) == "success"
    assert PaymentNotice.objects.filter(out_trade_no=payment["token"],
                                        outcome=PaymentNotice.Outcome.DUPLICATE).count() == 1
    paid_at = stored.paid_at
    stored.refresh_from_db()
    assert (stored.status, stored.paid_at, stored.payments.count()) == (
        Order.Status.PAID, paid_at, 1)
    assert complete(gql, checkout["id"])["order"]["number"] == order["number"]


def test_a_notice_still_on_its_way_does_not_hold_the_order(shopper, alipay_gateway):
    """Paid at the cashier, no notice yet: completing asks Alipay and places the paid order."""
    gql = GraphQLClient(shopper)
    checkout = start(gql, quantity=1)
    payment = pay_create(gql, checkout["id"])["payment"]  # no amount: the total
    assert Decimal(str(payment["total"]["amount"])) == total_of(checkout)
    url = json.loads(complete(gql, checkout["id"])["confirmationData"])["url"]
    urlopen(url)
    alipay_gateway.pay(payment["token"])  # the notice is lost
    done = complete(gql, checkout["id"])
    assert done["confirmationNeeded"] is False
    assert (done["order"]["isPaid"], done["order"]["paymentStatus"]) == (True, "FULLY_CHARGED")


def test_wrong_amount_gateway_or_return_url_are_refused_and_open_nothing(shopper,
                                                                       alipay_gateway):
    gql = GraphQLClient(shopper)
    checkout = start(gql)
    total = total_of(checkout)
    refusals = [
        ({"amount": str(total - Decimal("0.01"))}, "amount", "PARTIAL_PAYMENT_NOT_ALLOWED"),
        ({"amount": str(total + 1)}, "amount", "PARTIAL_PAYMENT_NOT_ALLOWED"),
        ({"gateway": "mirumee.payments.dummy"}, "gateway", "NOT_SUPPORTED_GATEWAY"),
        ({"returnUrl": "https://evil.example.com/pay"}, "redirectUrl", "INVALID"),
        ({"metadata": [{"key": " ", "value": "x"}]}, "metadata", "REQUIRED"),
    ]
    for payment, field, code in refusals:
        answer = pay_create(gql, checkout["id"], **payment)
        assert answer["payment"] is None, payment
        assert [(e["field"], e["code"]) for e in answer["errors"]] == [(field, code)], payment
    assert not CheckoutTransaction.objects.exists()
    assert alipay_gateway.calls == []
    # Nothing waits at a cashier: the checkout completes into an unpaid order as before.
    done = complete(gql, checkout["id"])
    assert (done["confirmationNeeded"], done["order"]["isPaid"]) == (False, False)


def test_someone_elses_checkout_is_not_found(shopper, alipay_gateway):
    owner = GraphQLClient(shopper)
    checkout = start(owner)
    stranger = GraphQLClient(User.objects.create_user("stranger@example.com", "a-long-pass-2"))
    for client in (stranger, GraphQLClient()):
        answer = pay_create(client, checkout["id"])
        assert [(e["field"], e["code"]) for e in answer["errors"]] == [("id", "NOT_FOUND")]
    assert not CheckoutTransaction.objects.exists()

    payment = pay_create(owner, checkout["id"])["payment"]
    # The stranger learns nothing of the owner's cashier and places no order.
    answer = complete(stranger, checkout["id"])
    assert (answer["order"], answer["confirmationData"]) == (None, None)
    assert [e["code"] for e in answer["errors"]] == ["NOT_FOUND"]
    by_token = run(stranger, "CheckoutPaymentCreateByToken",
                   checkoutToken=str(CheckoutTransaction.objects.get().checkout_token),
                   paymentInput={"gateway": "alipay"})["checkoutPaymentCreate"]
    assert [e["code"] for e in by_token["errors"]] == ["NOT_FOUND"]
    assert by_token["paymentErrors"] == by_token["errors"]  # Saleor's older name
    assert list(CheckoutTransaction.objects.values_list("out_trade_no", "status")) == [
        (payment["token"], "pending")]


def test_a_cart_changed_after_paying_needs_a_new_payment(shopper, alipay_gateway):
    gql = GraphQLClient(shopper)
    checkout = start(gql, quantity=1)
    first = pay_create(gql, checkout["id"])["payment"]
    variant = ProductVariant.objects.get(sku__endswith="TJ-500G",
                                         product__slug="mianchi-dried-persimmon")
    added = run(gql, "AddToCart", checkoutId=checkout["id"],
                variantId=gid("ProductVariant", variant.pk))["checkoutLinesAdd"]
    assert added["errors"] == []
    refused = complete(gql, checkout["id"])
    assert (refused["order"], [e["code"] for e in refused["errors"]]) == (
        None, ["CHECKOUT_NOT_FULLY_PAID"])
    # A new payment for the new total replaces the old one, whose cashier is called off.
    second = pay_create(gql, checkout["id"])["payment"]
    assert second["token"] != first["token"]
    assert second["total"]["amount"] > first["total"]["amount"]
    assert CheckoutTransaction.objects.get(out_trade_no=first["token"]).status == \
        CheckoutTransaction.Status.CANCELLED
    assert json.loads(complete(gql, checkout["id"])["confirmationData"])["outTradeNo"] == \
        second["token"]


def test_a_paid_checkout_takes_no_second_payment(shopper, alipay_gateway):
    gql = GraphQLClient(shopper)
    checkout = start(gql, quantity=1)
    payment = pay_create(gql, checkout["id"])["payment"]
    urlopen(json.loads(complete(gql, checkout["id"])["confirmationData"])["url"])
    assert notify(alipay_gateway.pay(payment["token"])) == "success"
    again = pay_create(gql, checkout["id"])
    assert (again["payment"], [(e["field"], e["code"]) for e in again["errors"]]) == (
        None, [(None, "INVALID")])
    assert list(CheckoutTransaction.objects.values_list("out_trade_no", "status")) == [
        (payment["token"], "charged")]
    assert complete(gql, checkout["id"])["order"]["isPaid"] is True
