"""Shared by the flash-sale tests (the shop's and the broadcast's): buyers completing
their checkouts at once through the real checkoutComplete, and the check that a refusal
once sold out came from the sold-out gate without locking or writing a row."""

from __future__ import annotations

import threading

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.models import Order, Stock
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, gid


def complete(checkout, user=None) -> dict:
    """``checkoutComplete`` of ``checkout`` (as ``user``): its payload."""
    payload = GraphQLClient(user).post(COMPLETE, {"id": gid("Checkout", checkout.token)})
    return payload["data"]["checkoutComplete"]


def race(checkouts) -> list[dict]:
    """Every checkout completed at once, one thread (and connection) each."""
    barrier = threading.Barrier(len(checkouts))
    results = [None] * len(checkouts)

    def buy(i):
        try:
            client = GraphQLClient()
            barrier.wait(timeout=30)
            results[i] = client.post(COMPLETE, {"id": gid("Checkout", checkouts[i].token)})
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(len(checkouts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return [r["data"]["checkoutComplete"] for r in results]


GATE_COMPLETE = """mutation($id: ID) { checkoutComplete(id: $id) {
  order { number } errors { field code message variants } } }"""


def refused_without_touching_a_row(checkout, product_name: str = "", variants=None) -> dict:
    """Complete ``checkout`` (a guest's); assert it was refused as sold out
    (``quantity``, ``INSUFFICIENT_STOCK``, the product named in the message, the error's
    ``variants`` exactly those of ``variants`` when given) by the sold-out gate from the
    cache alone: no statement at all, so no row locked or written and no transaction.
    Returns the error."""
    with CaptureQueriesContext(connection) as queries:
        payload = GraphQLClient().post(GATE_COMPLETE, {"id": gid("Checkout", checkout.token)})
    payload = payload["data"]["checkoutComplete"]
    assert payload["order"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("quantity", "INSUFFICIENT_STOCK")]
    assert product_name in payload["errors"][0]["message"]
    if variants is not None:
        assert payload["errors"][0]["variants"] == [gid("ProductVariant", v.pk)
                                                    for v in variants]
    assert not queries.captured_queries, [q["sql"] for q in queries.captured_queries]
    return payload["errors"][0]


def live_orders():
    """Orders not cancelled."""
    return Order.objects.exclude(status=Order.Status.CANCELLED)


def assert_not_oversold(variant) -> None:
    """No stock row of ``variant`` has more units allocated than it holds, and its orders
    not cancelled hold no more units than its rows allocate."""
    rows = list(Stock.objects.filter(product_variant=variant))
    assert all(row.quantity_allocated <= row.quantity for row in rows)
    ordered = sum(live_orders().filter(lines__variant=variant)
                  .values_list("lines__quantity", flat=True))
    assert ordered <= sum(row.quantity_allocated for row in rows)
