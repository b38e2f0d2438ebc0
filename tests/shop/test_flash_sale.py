"""A flash sale through the real checkoutComplete: exactly N orders for N units under
concurrent buyers, refusals after the sell-out answered by the sold-out gate without
locking or writing a row, and the gate reopened exactly when units come back (a cancel
during the sale, an expired order, a restock)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop import outbox, services
from shop.models import Allocation, Checkout, Order, Stock, User, Warehouse
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, gid, ready_checkout
from tests.flash_sales import (
    assert_not_oversold,
    complete,
    live_orders,
    race,
    refused_without_touching_a_row,
)

BUYERS = 16


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_n_units_make_n_orders_and_a_cancel_during_the_sale_returns_its_unit(
        channel, variant, shipping):
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 5)
    checkouts = [ready_checkout(channel, variant, shipping, email=f"b{i}@example.com")
                 for i in range(BUYERS + 3)]
    payloads = race(checkouts[:BUYERS])
    orders = [p["order"] for p in payloads if p["order"]]
    assert len(orders) == 5 and len({o["number"] for o in orders}) == 5
    assert [p["errors"][0]["code"] for p in payloads if not p["order"]] == \
        ["INSUFFICIENT_STOCK"] * (BUYERS - 5)
    stock.refresh_from_db()
    assert (stock.quantity, stock.quantity_allocated) == (5, 5)

    assert_not_oversold(variant)

    # Sold out: the next buyer is answered by the gate, naming what sold out.
    refused_without_touching_a_row(checkouts[BUYERS], variant.product.name, [variant])

    # A buyer cancels during the sale: the unit comes back and exactly one more buyer
    # gets it, racing with the others.
    services.cancel_order(Order.objects.order_by("pk").first())
    more = [ready_checkout(channel, variant, shipping, email=f"late{i}@example.com")
            for i in range(6)]
    payloads = race(more)
    assert sum(bool(p["order"]) for p in payloads) == 1
    refused_without_touching_a_row(checkouts[BUYERS + 1])
    stock.refresh_from_db()
    assert (stock.quantity, stock.quantity_allocated) == (5, 5)
    assert live_orders().count() == 5
    assert_not_oversold(variant)


@pytest.mark.django_db(transaction=True)
def test_expiry_and_restock_reopen_the_gate(channel, variant, shipping):
    stock = Stock.objects.get(product_variant=variant)
    # The checkouts are filled while there is stock (a checkout refuses more than that).
    services.set_stock(variant, stock.warehouse, 4)
    a, b, c, d = (ready_checkout(channel, variant, shipping, email=f"{n}@example.com")
                  for n in "abcd")
    services.set_stock(variant, stock.warehouse, 1)
    first = complete(a)
    assert first["order"]
    assert complete(b)["errors"][0]["code"] == "INSUFFICIENT_STOCK"  # closes the gate
    refused_without_touching_a_row(b)

    # The unpaid order expires: its unit is for sale again.
    order = Order.objects.get(number=first["order"]["number"])
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.expire_order(order.pk)
    assert complete(b)["order"]
    assert complete(c)["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    refused_without_touching_a_row(c)

    # A restock reopens it too.
    services.set_stock(variant, stock.warehouse, 3)
    assert complete(c)["order"] and complete(d)["order"]


@pytest.mark.django_db(transaction=True)
def test_the_purchase_of_the_last_unit_closes_the_gate(channel, variant, shipping):
    """The buyer who takes the last unit closes the gate as their order commits: the next
    buyer is refused before any lock without a failed purchase first. A unit still free in
    another warehouse keeps it open; a cancel reopens it."""
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 2)
    other = Warehouse.objects.create(name="二号仓", slug="second",
                                     organization=stock.warehouse.organization)
    other.channels.add(channel)
    services.set_stock(variant, other, 1)
    a, b, c, d = (ready_checkout(channel, variant, shipping, email=f"{n}@example.com")
                  for n in "abcd")
    assert complete(a)["order"]
    assert complete(b)["order"]  # the first warehouse's last unit; the second has one
    assert complete(c)["order"]  # the variant's last unit
    refused_without_touching_a_row(d, variant.product.name, [variant])

    services.cancel_order(Order.objects.get(user_email="a@example.com"))
    assert complete(d)["order"]
    assert live_orders().count() == 3
    assert_not_oversold(variant)


@pytest.mark.django_db(transaction=True)
def test_a_line_no_one_warehouse_covers_is_taken_across_them(channel, variant, shipping):
    """Three units when each warehouse holds two: two from the first, one from the second,
    in one purchase; two more when one is left are refused and change nothing; the buyer
    of the last unit closes the gate."""
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 2)
    other = Warehouse.objects.create(name="二号仓", slug="second",
                                     organization=stock.warehouse.organization)
    other.channels.add(channel)
    services.set_stock(variant, other, 2)
    three, two, one, late = (ready_checkout(channel, variant, shipping, quantity=n,
                                            email=f"q{n}{i}@example.com")
                             for i, n in enumerate((3, 2, 1, 1)))
    assert complete(three)["order"]
    assert sorted(Allocation.objects.values_list("stock__warehouse__slug",
                                                 "quantity_allocated")) == [
        (stock.warehouse.slug, 2), ("second", 1)]
    assert complete(two)["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert Allocation.objects.count() == 2
    assert complete(one)["order"]
    refused_without_touching_a_row(late, variant.product.name, [variant])
    assert sum(Stock.objects.filter(product_variant=variant).values_list(
        "quantity_allocated", flat=True)) == 4
    assert_not_oversold(variant)


@pytest.mark.django_db
def test_a_partial_shortage_does_not_close_the_gate(channel, variant, shipping):
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 2)
    two = ready_checkout(channel, variant, shipping, quantity=2, email="two@example.com")
    one = ready_checkout(channel, variant, shipping, email="one@example.com")
    services.set_stock(variant, stock.warehouse, 1)
    assert complete(two)["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    # One unit is still free: a buyer of one gets it (the gate stayed open).
    result = complete(one)
    assert result["order"], result


@pytest.mark.django_db
def test_a_strangers_checkout_is_not_found_even_once_sold_out(channel, variant, shipping):
    """The sold-out gate answers only whoever may see the checkout: a stranger completing
    a signed-in buyer's checkout is told it does not exist, sold out or not, and the
    checkout stays as it was; its owner is told it is sold out."""
    buyer = User.objects.create_user("buyer@example.com", "a-Strong-pass-123")
    stranger = User.objects.create_user("stranger@example.com", "a-Strong-pass-123")
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 3)
    mine = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    first, late = (ready_checkout(channel, variant, shipping, email=f"{n}@example.com")
                   for n in ("first", "late"))
    mine_id = {"id": gid("Checkout", mine.token)}

    refused = GraphQLClient(stranger).data(COMPLETE, mine_id)["checkoutComplete"]
    assert refused["order"] is None and [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]

    services.set_stock(variant, stock.warehouse, 1)
    assert complete(first)["order"]
    assert complete(late)["errors"][0]["code"] == "INSUFFICIENT_STOCK"  # closes the gate
    for client in (GraphQLClient(), GraphQLClient(stranger)):
        refused = client.data(COMPLETE, mine_id)["checkoutComplete"]
        assert [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]
    assert Checkout.objects.filter(token=mine.token, lines__isnull=False).exists()
    own = GraphQLClient(buyer).data(COMPLETE, mine_id)["checkoutComplete"]
    assert own["order"] is None
    assert [e["code"] for e in own["errors"]] == ["INSUFFICIENT_STOCK"]


@pytest.mark.django_db(transaction=True)
def test_a_purchase_reads_its_lines_once_and_asks_nothing_it_wrote_after_its_commit(
        channel, variant, shipping, monkeypatch):
    """What a purchase costs the database: the sold-out gate's look-up of the checkout is
    the checkout's card in the cache (no statement); in the transaction the locked
    checkout comes with the order's number, its lines with their variants and prices, the
    checkout's own addresses become the order's (no copy), the checkout and its lines go in
    one statement, and the stock is taken last (one statement, the COMMIT with it); the
    statistics do not look up the paid day of the order just placed (it is not paid)."""
    stock = Stock.objects.get(product_variant=variant)
    services.set_stock(variant, stock.warehouse, 2)
    checkout = ready_checkout(channel, variant, shipping, email="one@example.com")
    # The order's notification stays in the outbox: its task (run right here in tests)
    # reads the order as the worker would, which is not the purchase's work.
    monkeypatch.setattr(outbox, "hand_over", lambda message: None)
    with CaptureQueriesContext(connection) as queries:
        assert complete(checkout)["order"]
    statements = [q["sql"] for q in queries.captured_queries]
    assert statements[0] == "BEGIN", statements[0]
    commit = statements.index("COMMIT")
    # The stock taken last, the COMMIT sent with it (Django's own COMMIT after that finds
    # the transaction committed and sends nothing).
    assert "shop_take_stock" in statements[commit - 1]
    assert statements[commit - 1].endswith("; COMMIT")
    purchase = statements[:commit + 1]
    # BEGIN, 11 statements, COMMIT.
    assert len(purchase) == 13, "\n".join(purchase)
    assert "nextval" in purchase[1] and "FOR UPDATE" in purchase[1]
    assert not [sql for sql in purchase if 'INSERT INTO "shop_address"' in sql]
    assert sum(sql.lstrip().startswith("SELECT") and "shop_checkoutline" in sql
               for sql in purchase) == 1
    assert sum("DELETE FROM" in sql for sql in purchase) == 1
    assert not [sql for sql in statements[commit:] if '"shop_order"."paid_at"' in sql]
    assert_not_oversold(variant)
