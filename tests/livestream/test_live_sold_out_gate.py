"""A broadcast's live allocation, once sold out, refuses further buyers from the sold-out
gate without locking or writing a row; a larger allocation reopens it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from livestream import services
from shop.models import Order
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, broadcast_checkout, gid


def complete(checkout):
    payload = GraphQLClient().post(COMPLETE, {"id": gid("Checkout", checkout.token)})
    return payload["data"]["checkoutComplete"]


@pytest.mark.django_db(transaction=True)
def test_a_sold_out_live_allocation_is_refused_before_any_lock(channel, broadcast, item,
                                                               variant, shipping):
    cache.clear()
    services.start_broadcast(broadcast)
    # 5 live units, 2 per buyer: buyers a and b take 4, c the last one.
    checkouts = {name: broadcast_checkout(broadcast, variant, shipping, quantity=n,
                                          email=f"{name}@example.com")
                 for name, n in [("a", 2), ("b", 2), ("c", 1), ("d", 1), ("e", 1)]}
    for name in "abc":
        assert complete(checkouts[name])["order"], name
    refused = complete(checkouts["d"])  # finds the allocation empty: closes the gate
    assert refused["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    with CaptureQueriesContext(connection) as queries:
        again = complete(checkouts["e"])
    assert again["order"] is None and again["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    statements = " ".join(q["sql"].upper() for q in queries.captured_queries)
    for word in ("FOR UPDATE", "UPDATE ", "INSERT ", "DELETE "):
        assert word not in statements, word

    # The host adds units to the allocation: the gate reopens and they sell.
    item.refresh_from_db()
    services.update_lineup_item(item, quantity=7)
    assert complete(checkouts["d"])["order"] and complete(checkouts["e"])["order"]
    assert Order.objects.count() == 5
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (7, 0)
