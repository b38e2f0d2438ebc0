"""An order charged only in part (its checkout paid 20.00 of 47.90 through Saleor's
``transactionInitialize`` with an amount) pays exactly its balance through ``/graphql/``
and the local Alipay gateway (RSA2 both ways). Whatever reaches the shop beyond what an
order needs (a stale cashier paid in another tab, a payment after the shopper cancelled)
is refunded at the gateway, once; the order is neither paid twice nor revived."""

from __future__ import annotations

from decimal import Decimal
from urllib.request import urlopen

import pytest
from django.test import Client

from shop import services
from shop.models import Order, OrderEvent, Payment, PaymentNotice, Refund, User
from shop.tasks import close_called_off_trades, query_pending_alipay_payments
from shop.transactions import CheckoutTransaction, TradeClosure
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, gid, ready_checkout
from tests.payments import INIT, notify, partly_paid_order, start
from tests.shop.alipay_gateway import new_key_pair

pytestmark = pytest.mark.django_db

SHOWN = """query($id: ID!) { order(id: $id) { pavilionStatus isPaid chargeStatus paymentStatus
  totalCharged { amount } totalRefunded { amount } totalBalance { amount } } }"""
CANCEL = """mutation($id: ID!) { orderCancel(id: $id) { errors { field code message } } }"""


@pytest.fixture
def buyer(db):
    return User.objects.create_user("li@example.com", "a-Strong-pass-123")


@pytest.fixture
def part_paid(channel, variant, shipping, buyer, alipay_gateway):
    """47.90 (39.90 + 8.00 邮政), of which 20.00 charged."""
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    return partly_paid_order(GraphQLClient(buyer), checkout, alipay_gateway)


def shown(gql_as, buyer, order):
    return gql_as(buyer).data(SHOWN, {"id": gid("Order", order.pk)})["order"]


def snapshot(order):
    order.refresh_from_db()
    return (order.status, order.paid_at, order.total_charged_amount,
            order.total_refunded_amount,
            list(order.payments.values_list("status", "charged_amount", "refund_due_amount")),
            order.events.count(), Refund.objects.count())


def test_the_balance_is_paid_through_graphql_and_the_order_is_paid(gql_as, part_paid, buyer,
                                                                   alipay_gateway):
    before = shown(gql_as, buyer, part_paid)
    assert (before["pavilionStatus"], before["isPaid"], before["chargeStatus"]) == (
        "UNPAID", False, "PARTIAL")
    assert (before["totalCharged"]["amount"], before["totalBalance"]["amount"]) == (20.0, -27.9)

    # Neither the total nor any other amount: the balance, in one payment.
    for amount in ("47.90", "1.00"):
        refused = start(gql_as, buyer, part_paid, amount=amount)
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [("amount", "INVALID")]
        assert "27.90" in refused["errors"][0]["message"]
    assert part_paid.payments.count() == 1  # the checkout's 20.00 only

    result = start(gql_as, buyer, part_paid)
    assert result["errors"] == [] and result["transaction"]["status"] == "PENDING"
    out_trade_no = result["transaction"]["outTradeNo"]
    # The buyer's browser opened the cashier; the gateway verified our RSA2 signature on
    # a trade for exactly the balance.
    assert alipay_gateway.received[-1] == ("alipay.trade.page.pay", True)
    assert alipay_gateway.trades[out_trade_no]["total_amount"] == "27.90"
    # A second tab (or a second tap) gets the same trade: Alipay charges it once.
    again = start(gql_as, buyer, part_paid, amount="27.90")
    assert again["transaction"]["outTradeNo"] == out_trade_no
    assert part_paid.payments.count() == 2

    notice = alipay_gateway.pay(out_trade_no)
    assert notify(notice) == "success"
    after = shown(gql_as, buyer, part_paid)
    assert (after["pavilionStatus"], after["isPaid"], after["chargeStatus"],
            after["paymentStatus"]) == ("PAID", True, "FULL", "FULLY_CHARGED")
    assert (after["totalCharged"]["amount"], after["totalBalance"]["amount"]) == (47.9, 0.0)
    part_paid.refresh_from_db()
    assert part_paid.paid_at is not None
    assert list(part_paid.events.filter(type__in=["paid", "payment_started"])
                .values_list("type", "parameters__amount")) == [
        ("payment_started", "27.90"), ("paid", "27.90")]

    # Replayed, the notice changes nothing; nothing is left to pay.
    paid = snapshot(part_paid)
    assert notify(notice) == "success"
    assert snapshot(part_paid) == paid
    assert PaymentNotice.objects.filter(out_trade_no=out_trade_no).values_list(
        "outcome", flat=True).last() == "duplicate"
    done = start(gql_as, buyer, part_paid)
    assert [(e["field"], e["code"]) for e in done["errors"]] == [("id", "INVALID")]


@pytest.mark.parametrize("case", ["bad_signature", "over_amount", "total_of_the_order",
                                  "wrong_app_id", "replay_of_the_part", "unsigned"])
def test_forged_replayed_or_over_amount_notices_leave_the_balance_owed(
        case, gql_as, part_paid, buyer, alipay_gateway):
    out_trade_no = start(gql_as, buyer, part_paid)["transaction"]["outTradeNo"]
    if case == "bad_signature":  # signed by someone else's key
        notice = alipay_gateway.sign_notice(alipay_gateway.pay(out_trade_no),
                                            private_key=new_key_pair()[0])
    elif case == "over_amount":  # genuinely signed, for more than the trade
        notice = alipay_gateway.pay(out_trade_no, total_amount="27.91")
    elif case == "total_of_the_order":
        notice = alipay_gateway.pay(out_trade_no, total_amount="47.90")
    elif case == "wrong_app_id":  # another application's genuine notice
        notice = alipay_gateway.pay(out_trade_no, app_id="2021999999999999")
    elif case == "replay_of_the_part":  # the 20.00 notice again, as it was signed
        notice = PaymentNotice.objects.get(outcome="accepted").payload
    else:
        notice = {k: v for k, v in alipay_gateway.pay(out_trade_no).items() if k != "sign"}
    before = snapshot(part_paid)
    answer = notify(notice)
    assert snapshot(part_paid) == before
    assert part_paid.status == Order.Status.UNPAID
    assert answer == ("success" if case == "replay_of_the_part" else "failure")
    last = PaymentNotice.objects.last()
    assert (last.outcome, last.reason) == {
        "bad_signature": ("rejected", "bad_signature"), "unsigned": ("rejected", "bad_signature"),
        "over_amount": ("rejected", "amount_mismatch"),
        "total_of_the_order": ("rejected", "amount_mismatch"),
        "wrong_app_id": ("rejected", "wrong_app_id"),
        "replay_of_the_part": ("duplicate", "already_processed")}[case]
    assert shown(gql_as, buyer, part_paid)["totalBalance"]["amount"] == -27.9


def test_a_stale_cashier_paid_in_another_tab_is_refunded(
        channel, variant, shipping, buyer, gql_as, alipay_gateway,
        django_capture_on_commit_callbacks):
    """Tab A: the order's cashier for the whole 47.90. Tab B: 20.00 paid on the checkout's
    transaction (its notice late). The balance cashier then asks 27.90; once that is paid,
    tab A is paid too: the shop keeps 47.90 and refunds the other 47.90 at Alipay."""
    gql = GraphQLClient(buyer)
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    checkout_id = gid("Checkout", checkout.token)
    part = gql.data(INIT, {"id": checkout_id, "amount": "20.00"})["transactionInitialize"]
    assert urlopen(part["data"]["url"]).status == 200
    number = gql.data(COMPLETE, {"id": checkout_id})["checkoutComplete"]["order"]["number"]
    order = Order.objects.get(number=number)
    tab_a = start(gql_as, buyer, order)["transaction"]["outTradeNo"]
    assert alipay_gateway.trades[tab_a]["total_amount"] == "47.90"

    assert notify(alipay_gateway.pay(part["data"]["outTradeNo"])) == "success"
    balance = start(gql_as, buyer, order)["transaction"]["outTradeNo"]
    assert balance != tab_a and alipay_gateway.trades[balance]["total_amount"] == "27.90"
    assert Payment.objects.get(out_trade_no=tab_a).status == Payment.Status.CANCELLED
    assert notify(alipay_gateway.pay(balance)) == "success"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID

    with django_capture_on_commit_callbacks(execute=True):
        assert notify(alipay_gateway.pay(tab_a)) == "success"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert (order.total_charged_amount, order.total_refunded_amount) == (
        Decimal("95.80"), Decimal("47.90"))
    assert alipay_gateway.trades[tab_a]["refunded"] == Decimal("47.90")
    assert alipay_gateway.refunds == {f"D{tab_a}": {"amount": Decimal("47.90")}}
    stale = Payment.objects.get(out_trade_no=tab_a)
    assert (stale.status, stale.refund_due_amount) == (Payment.Status.REFUNDED, 0)
    assert shown(gql_as, buyer, order)["totalBalance"]["amount"] == 0.0
    assert order.events.filter(type=OrderEvent.Type.NOTE,
                               parameters__payment=stale.pk).count() == 1


def test_cancelling_with_a_part_paid_refunds_it_and_a_payment_after_the_cancel(
        gql_as, part_paid, buyer, alipay_gateway, django_capture_on_commit_callbacks):
    out_trade_no = start(gql_as, buyer, part_paid)["transaction"]["outTradeNo"]
    part = CheckoutTransaction.objects.get().out_trade_no
    # The balance cashier was still open in another tab, and the shopper paid it just
    # before cancelling; its notice comes late.
    late = alipay_gateway.pay(out_trade_no)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = gql_as(buyer).data(CANCEL, {"id": gid("Order", part_paid.pk)})
    assert cancelled["orderCancel"]["errors"] == []
    # Closing its trade found it paid: that money goes back as well, and the order
    # stays called off (its stock is on sale again).
    assert alipay_gateway.closes(out_trade_no) == 1
    assert alipay_gateway.refunds == {f"D{part}": {"amount": Decimal("20.00")},
                                      f"D{out_trade_no}": {"amount": Decimal("27.90")}}
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(late) == "success"
    assert PaymentNotice.objects.last().outcome == PaymentNotice.Outcome.DUPLICATE
    # Back from the cashier, the shopper is not told the payment succeeded.
    back = Client(HTTP_ACCEPT_LANGUAGE="zh-CN").get("/alipay/return/", alipay_gateway.sign_notice(
        {"out_trade_no": out_trade_no, "total_amount": "27.90", "app_id": alipay_gateway.app_id,
         "method": "alipay.trade.page.pay.return", "sign_type": "RSA2"})).content.decode()
    assert "付款到账前订单已取消" in back and "支付成功" not in back
    assert "您支付的款项将原路退回您的支付宝账户" in back
    part_paid.refresh_from_db()
    assert part_paid.paid_at is None
    assert part_paid.status == Order.Status.REFUNDED
    assert (part_paid.total_charged_amount, part_paid.total_refunded_amount) == (
        Decimal("47.90"), Decimal("47.90"))
    assert alipay_gateway.refunds[f"D{out_trade_no}"] == {"amount": Decimal("27.90")}
    assert part_paid.events.filter(type=OrderEvent.Type.PAYMENT_AFTER_CANCEL).count() == 1
    assert not Payment.objects.filter(refund_due_amount__gt=0).exists()


def test_a_cancelled_cashier_paid_with_its_notice_lost_is_found_and_refunded(
        gql_as, part_paid, buyer, alipay_gateway, django_capture_on_commit_callbacks):
    out_trade_no = start(gql_as, buyer, part_paid)["transaction"]["outTradeNo"]
    alipay_gateway.refuse_closes = 1  # Alipay is busy: the trade stays open for now
    with django_capture_on_commit_callbacks(execute=True):
        gql_as(buyer).data(CANCEL, {"id": gid("Order", part_paid.pk)})
    Payment.objects.filter(out_trade_no=out_trade_no).update(
        created_at=part_paid.created_at.replace(year=2020))
    alipay_gateway.pay(out_trade_no)  # paid at Alipay; the notice never arrives
    with django_capture_on_commit_callbacks(execute=True):
        assert query_pending_alipay_payments.delay().get() == 1
    assert query_pending_alipay_payments.delay().get() == 0
    assert alipay_gateway.trades[out_trade_no]["refunded"] == Decimal("27.90")
    part_paid.refresh_from_db()
    assert part_paid.paid_at is None and part_paid.status == Order.Status.REFUNDED
    # The close's retry finds nothing left to close: it is not sent again.
    assert close_called_off_trades.delay().get() == 1
    assert alipay_gateway.closes(out_trade_no) == 1
    assert TradeClosure.objects.get(out_trade_no=out_trade_no).outcome == "paid"


def paid_in_parts(gql_as, part_paid, buyer, gateway):
    balance = start(gql_as, buyer, part_paid)["transaction"]["outTradeNo"]
    assert notify(gateway.pay(balance)) == "success"
    part_paid.refresh_from_db()
    assert part_paid.status == Order.Status.PAID
    return CheckoutTransaction.objects.get().out_trade_no, balance


def test_an_order_paid_in_parts_is_refunded_in_full_one_refund_per_charge(
        gql_as, part_paid, buyer, operator_user, alipay_gateway):
    part, balance = paid_in_parts(gql_as, part_paid, buyer, alipay_gateway)
    refund = """mutation($id: ID!) { orderRefund(id: $id, amount: "47.90", reason: "缺货退款") {
      order { pavilionStatus totalRefunded { amount } refunds { amount { amount } status } }
      errors { field code message } } }"""
    data = gql_as(operator_user).data(refund, {"id": gid("Order", part_paid.pk)})["orderRefund"]
    assert data["errors"] == []
    assert (data["order"]["pavilionStatus"], data["order"]["totalRefunded"]["amount"]) == (
        "REFUNDED", 47.9)
    assert data["order"]["refunds"] == [{"amount": {"amount": 20.0}, "status": "SUCCESS"},
                                        {"amount": {"amount": 27.9}, "status": "SUCCESS"}]
    assert (alipay_gateway.trades[part]["refunded"],
            alipay_gateway.trades[balance]["refunded"]) == (Decimal("20.00"), Decimal("27.90"))
    more = gql_as(operator_user).data(refund, {"id": gid("Order", part_paid.pk)})["orderRefund"]
    assert [e["code"] for e in more["errors"]] == ["CANNOT_REFUND"]


def test_a_numbered_refund_split_over_two_charges_is_resent_as_planned(
        gql_as, part_paid, buyer, alipay_gateway):
    paid_in_parts(gql_as, part_paid, buyer, alipay_gateway)
    alipay_gateway.refuse_refunds = 1  # the first part's refund is refused
    first = services.refund_order(part_paid, Decimal("47.90"), "售后退款", out_request_no="AS1")
    assert (first.out_request_no, first.status) == ("AS1-1", Refund.Status.FAILED)
    assert set(alipay_gateway.refunds) == {"AS1-2"}
    again = services.refund_order(part_paid, Decimal("47.90"), "售后退款", out_request_no="AS1")
    assert (again.out_request_no, again.status) == ("AS1-2", Refund.Status.SUCCESS)
    calls = len(alipay_gateway.received)
    assert services.refund_order(part_paid, Decimal("47.90"), "售后退款",
                                 out_request_no="AS1").status == Refund.Status.SUCCESS
    assert len(alipay_gateway.received) == calls  # nothing sent a third time
    assert alipay_gateway.refunds == {"AS1-1": {"amount": Decimal("20.00")},
                                      "AS1-2": {"amount": Decimal("27.90")}}
    part_paid.refresh_from_db()
    assert (part_paid.status, part_paid.total_refunded_amount) == (
        Order.Status.REFUNDED, Decimal("47.90"))
