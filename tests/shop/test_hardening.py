"""Payments against an attacker: megabyte junk posted to the Alipay notify endpoint (refused
unread, nothing stored), extra fields in a notice (only Alipay's own are kept, each within a
cap, on every path), and two refunds of one order at the same moment (distinct request
numbers, never more than was charged)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from shop import alipay, services
from shop.models import PaymentNotice, Refund
from tests.factories import ready_checkout
from tests.payments import start


@pytest.fixture
def unpaid_order(channel, variant, shipping, coop_user):
    checkout = ready_checkout(channel, variant, shipping, quantity=1, user=coop_user)
    return services.complete_checkout(checkout.token, coop_user)  # 39.90 + 8.00 邮政


def notify(data, **extra):
    return Client().post("/alipay/notify/", data, **extra)


def database_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(pg_column_size(payload)), 0) FROM shop_paymentnotice")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_megabyte_junk_is_refused_unread_and_not_stored():
    junk = {"notify_id": "x", "junk": "A" * (3 * 1024 * 1024)}
    for _ in range(3):
        response = notify(junk)
        assert response.status_code == 413
        assert response.content == b"failure"
    as_form = notify("a=" + "B" * 100_000, content_type="application/x-www-form-urlencoded")
    assert as_form.status_code == 413
    assert not PaymentNotice.objects.exists()
    assert database_bytes() == 0


@pytest.mark.django_db
def test_only_alipays_fields_are_kept_and_each_is_capped():
    notice = {"notify_id": "N" * 2000, "out_trade_no": "T" * 2000, "subject": "S" * 2000,
              "total_amount": "47.90", "evil": "<script>", "x" * 200: "y" * 3000}
    for i in range(10):
        notice[f"field{i}"] = "z" * 200
    response = notify(notice)  # under the size cap, so read and checked
    assert response.content == b"failure"  # unsigned
    record = PaymentNotice.objects.get()
    assert record.reason == "bad_signature"
    assert set(record.payload) == {"notify_id", "out_trade_no", "subject", "total_amount"}
    assert len(record.notify_id) == 128 and len(record.out_trade_no) == 64
    assert all(len(v) <= 256 for v in record.payload.values())
    assert database_bytes() < 2_000


@pytest.mark.django_db
def test_accepted_notice_is_capped_too(gql_as, unpaid_order, coop_user, alipay_gateway):
    """A genuine (signed) notice with an overlong notify_id is accepted and stored cut to the
    column, as on the rejected path; no field outside Alipay's list is kept."""
    out_trade_no = start(gql_as, coop_user, unpaid_order)["transaction"]["outTradeNo"]
    notice = alipay_gateway.pay(out_trade_no, total_amount="47.90", notify_id="n" * 300,
                                passback_params="p" * 2000)
    assert notify(notice).content == b"success"
    record = PaymentNotice.objects.get()
    assert record.outcome == "accepted" and len(record.notify_id) == 128
    assert len(record.payload["passback_params"]) == 512
    assert notify(notice).content == b"success"  # the replay, stored the same way
    assert PaymentNotice.objects.filter(outcome="duplicate").get().notify_id == "n" * 128


@pytest.mark.django_db(transaction=True)
def test_concurrent_refunds_get_distinct_numbers_and_never_exceed_the_charge(
        gql_as, unpaid_order, coop_user, operator_user, alipay_gateway, monkeypatch):
    out_trade_no = start(gql_as, coop_user, unpaid_order)["transaction"]["outTradeNo"]
    assert notify(alipay_gateway.pay(out_trade_no)).content == b"success"
    # Both staff press "refund" while the gateway is still answering the first: the second
    # must wait for the first one's outcome before it counts refunds and the amount left.
    inside = threading.Event()
    original = alipay.refund_trade

    def slow_refund(*args, **kwargs):
        inside.set()
        threading.Event().wait(0.5)
        return original(*args, **kwargs)

    monkeypatch.setattr(alipay, "refund_trade", slow_refund)
    outcomes = []

    def refund(amount):
        try:
            outcomes.append(services.refund_order(unpaid_order, Decimal(amount), "缺货退款",
                                                  user=operator_user))
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=refund, args=("30.00",))
    first.start()
    inside.wait(10)
    second = threading.Thread(target=refund, args=("30.00",))
    second.start()
    first.join(30)
    second.join(30)
    refunds = list(Refund.objects.order_by("pk"))
    assert [r.amount for r in refunds] == [Decimal("30.00")]
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1  # 17.90 was left
    assert alipay_gateway.trades[out_trade_no]["refunded"] == Decimal("30.00")

    third = services.refund_order(unpaid_order, Decimal("17.90"), "补退", user=operator_user)
    numbers = [r.out_request_no for r in Refund.objects.order_by("pk")]
    assert len(set(numbers)) == 2 and third.out_request_no == numbers[-1]
    assert alipay_gateway.trades[out_trade_no]["refunded"] == Decimal("47.90")
