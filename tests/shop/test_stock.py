"""Stock that never oversells: concurrent buyers, cancellation, expiry on a real worker."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from shop import services
from shop.models import Order, OrderEvent, Stock
from shop.tasks import expire_unpaid_orders
from tests.background import TASK_TIMEOUT
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, gid, ready_checkout

BUYERS = 24


@pytest.mark.django_db(transaction=True)
def test_concurrent_buyers_for_the_last_five_units(channel, variant, shipping):
    stock = Stock.objects.get(product_variant=variant)
    checkouts = [ready_checkout(channel, variant, shipping, email=f"b{i}@example.com")
                 for i in range(BUYERS)]
    services.set_stock(variant, stock.warehouse, 5)
    barrier = threading.Barrier(BUYERS)
    results = [None] * BUYERS

    def buy(i):
        try:
            client = GraphQLClient()
            barrier.wait(timeout=30)
            results[i] = client.post(COMPLETE, {"id": gid("Checkout", checkouts[i].token)})
        finally:
            connection.close()  # each thread had its own database connection

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    payloads = [r["data"]["checkoutComplete"] for r in results]
    orders = [p["order"] for p in payloads if p["order"]]
    refused = [p["errors"][0]["code"] for p in payloads if p["errors"]]
    assert len(orders) == 5
    assert refused == ["INSUFFICIENT_STOCK"] * (BUYERS - 5)
    stock.refresh_from_db()
    assert (stock.quantity, stock.quantity_allocated, stock.quantity_available) == (5, 5, 0)
    assert Order.objects.count() == 5
    assert len({o["number"] for o in orders}) == 5


@pytest.mark.django_db
def test_cancellation_releases_stock(gql_as, channel, variant, shipping, coop_user):
    checkout = ready_checkout(channel, variant, shipping, quantity=3, user=coop_user)
    order = services.complete_checkout(checkout.token, coop_user)
    stock = Stock.objects.get(product_variant=variant)
    assert stock.quantity_allocated == 3
    cancel = """mutation($id: ID!) { orderCancel(id: $id, reason: "买错了") {
      order { status pavilionStatus events { type message } } errors { code } } }"""
    data = gql_as(coop_user).data(cancel, {"id": gid("Order", order.pk)})["orderCancel"]
    assert (data["order"]["status"], data["order"]["pavilionStatus"]) == ("CANCELED", "CANCELLED")
    assert data["order"]["events"][-1] == {"type": "CANCELLED", "message": "买错了"}
    stock.refresh_from_db()
    assert stock.quantity_allocated == 0
    again = gql_as(coop_user).post(cancel, {"id": gid("Order", order.pk)})
    assert again["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    stock.refresh_from_db()
    assert stock.quantity_allocated == 0


@pytest.mark.django_db(transaction=True)
def test_expiry_on_a_real_worker_releases_stock_once(celery_worker, channel, variant, shipping):
    expired = services.complete_checkout(
        ready_checkout(channel, variant, shipping, quantity=2).token)
    fresh = services.complete_checkout(
        ready_checkout(channel, variant, shipping, quantity=1, email="f@example.com").token)
    Order.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    stock = Stock.objects.get(product_variant=variant)
    assert stock.quantity_allocated == 3

    assert expire_unpaid_orders.delay().get(timeout=TASK_TIMEOUT) == 1
    assert expire_unpaid_orders.delay().get(timeout=TASK_TIMEOUT) == 0  # a second run: no change

    stock.refresh_from_db()
    assert (stock.quantity, stock.quantity_allocated) == (10, 1)
    expired.refresh_from_db()
    fresh.refresh_from_db()
    assert (expired.status, fresh.status) == (Order.Status.CANCELLED, Order.Status.UNPAID)
    assert expired.events.filter(type=OrderEvent.Type.EXPIRED).count() == 1
