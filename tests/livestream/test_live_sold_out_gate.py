"""A broadcast's live allocation, once sold out, refuses further buyers from the sold-out
gate without locking or writing a row; a larger allocation reopens it."""

import pytest
from django.core.cache import cache

from livestream import services
from shop.models import Order
from tests.factories import broadcast_checkout
from tests.flash_sales import assert_not_oversold, complete, refused_without_touching_a_row


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
    # c took the last unit: the gate closed as its order committed.
    refused_without_touching_a_row(checkouts["d"], variant.product.name)
    refused_without_touching_a_row(checkouts["e"], variant.product.name)
    assert_not_oversold(variant)

    # The host adds units to the allocation: the gate reopens and they sell.
    item.refresh_from_db()
    services.update_lineup_item(item, quantity=7)
    assert complete(checkouts["d"])["order"] and complete(checkouts["e"])["order"]
    assert Order.objects.count() == 5
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (7, 0)
    assert_not_oversold(variant)
