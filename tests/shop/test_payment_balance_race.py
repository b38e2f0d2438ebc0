"""The balance's notice and the expiry of the order's time to pay at the same moment, each
on its own connection: whichever takes the order first decides. Either the order is
paid and keeps every fen (nothing refunded, its stock still reserved), or it expired and
every fen charged goes back at the gateway; never paid and expired, nor refunded twice."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from shop import services as shop_services
from shop.models import Order, OrderEvent, Payment, Stock, User
from tests.clients import GraphQLClient
from tests.factories import ready_checkout
from tests.payments import notify, partly_paid_order, start

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("attempt", range(2))
def test_the_balance_paid_as_the_order_expires_is_kept_or_refunded_whole(
        attempt, channel, variant, shipping, gql_as, alipay_gateway):
    buyer = User.objects.create_user(f"li{attempt}@example.com", "a-Strong-pass-123")
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    order = partly_paid_order(GraphQLClient(buyer), checkout, alipay_gateway)
    balance = start(gql_as, buyer, order)["transaction"]["outTradeNo"]
    notice = alipay_gateway.pay(balance)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    barrier = threading.Barrier(2)
    answers = {}

    def run(name, work):
        try:
            barrier.wait(timeout=30)
            answers[name] = work()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=("notice", lambda: notify(notice))),
               threading.Thread(target=run, args=("expiry",
                                                  lambda: shop_services.expire_order(order.pk)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert answers["notice"] == "success"  # Alipay stops sending it either way
    order.refresh_from_db()
    events = set(order.events.values_list("type", flat=True))
    allocated = Stock.objects.get(product_variant__sku="mianchi-shibing-1").quantity_allocated
    if answers["expiry"]:
        # The expiry came first; the refunds ran after each commit (eager tasks here).
        assert OrderEvent.Type.PAID not in events
        assert OrderEvent.Type.PAYMENT_AFTER_CANCEL in events
        assert order.status == Order.Status.REFUNDED and order.paid_at is None
        assert order.total_refunded_amount == Decimal("47.90")
        assert sum(r["amount"] for r in alipay_gateway.refunds.values()) == Decimal("47.90")
        assert allocated == 0
    else:
        assert OrderEvent.Type.EXPIRED not in events
        assert order.status == Order.Status.PAID and order.total_refunded_amount == 0
        assert alipay_gateway.refunds == {}
        assert allocated == 1
    assert order.total_charged_amount == Decimal("47.90")
    assert not Payment.objects.filter(refund_due_amount__gt=0).exists()
