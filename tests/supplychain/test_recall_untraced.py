"""A recalled lot of an untraced product (stock counted by hand, no codes): its stock
leaves the shop too, each buyer who paid for the product since the lot arrived (waiting,
shipped or delivered) sees the banner on the order page with what to do and is told, and
the product page stops saying "合格" and names the recall."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from shop import services as shop_services
from shop.models import Notification, Order, Stock
from supplychain import services
from supplychain.services.recalls import notify_recall
from tests.clients import order_page
from tests.factories import make_member, make_paid_order, ready_checkout

pytestmark = pytest.mark.django_db


def _ship(order, coop, coop_user):
    line = order.lines.get()
    shop_services.fulfill_order_lines(order, coop, [{"order_line_id": line.pk,
                                                     "quantity": line.quantity}],
                                      carrier="顺丰", tracking_number=f"SF{order.number}",
                                      user=coop_user)


def test_recalling_an_untraced_lot_withdraws_its_stock_and_reaches_each_buyer(
        graded_lot, persimmon, coop, coop_user, channel, shipping, other_coop, zh_catalogue):
    assert not persimmon.is_traced
    coop.contact_phone = "0398-4812345"
    coop.save()
    variant = persimmon.variants.order_by("sku").first()
    warehouse = coop.warehouses.get()
    shop_services.set_stock(variant, warehouse, 12)  # counted by hand: no packing run
    waiting_buyer = make_member(other_coop, "waiting@example.com")
    shipped_buyer = make_member(other_coop, "shipped@example.com")
    delivered_buyer = make_member(other_coop, "delivered@example.com")
    waiting = make_paid_order(channel, variant, shipping, quantity=2, buyer=waiting_buyer)
    shipped = make_paid_order(channel, variant, shipping, buyer=shipped_buyer)
    delivered = make_paid_order(channel, variant, shipping, buyer=delivered_buyer)
    _ship(shipped, coop, coop_user)
    _ship(delivered, coop, coop_user)
    shop_services.confirm_receipt(delivered, user=delivered_buyer)
    delivered.refresh_from_db()
    assert delivered.status == Order.Status.DELIVERED
    unpaid_buyer = make_member(other_coop, "unpaid@example.com")
    unpaid = shop_services.complete_checkout(
        ready_checkout(channel, variant, shipping, user=unpaid_buyer,
                       email=unpaid_buyer.email).token, user=unpaid_buyer)
    stock = Stock.objects.get(product_variant=variant)
    # 12 counted, 2 shipped; 2 (waiting) + 1 (unpaid) allocated: 7 free.
    assert (stock.quantity, stock.quantity_allocated) == (10, 3)
    product_page = Client().get(f"/product/{persimmon.slug}/").content.decode()
    assert "合格" in product_page and "召回" not in product_page

    mail.outbox.clear()
    recall = services.recall_lot(coop, graded_lot=graded_lot, level="level_1",
                                 reason="二氧化硫超标", user=coop_user)

    # The free units of every variant of the product left stock through
    # shop.services.withdraw_stock (7 of this one, the other's 10); the units allocated to
    # paid or unpaid orders stay with their orders.
    stock.refresh_from_db()
    assert (stock.quantity, stock.quantity_allocated) == (3, 3)
    other = persimmon.variants.exclude(pk=variant.pk).get()
    assert Stock.objects.get(product_variant=other).quantity == 0
    assert recall.withdrawn_units == 7 + 10
    assert shop_services.available_quantity(variant.pk, channel) == 0

    for buyer, order in ((shipped_buyer, shipped), (delivered_buyer, delivered)):
        page = order_page(buyer, order)
        assert f'id="recall-{recall.pk}"' in page
        assert "产品召回" in page and "二氧化硫超标" in page and "渑池柿饼" in page
        assert "这些商品没有追溯码，可能来自召回批次" in page
        assert "0398-4812345" in page
        assert "尚未发出的商品" not in page
    page = order_page(waiting_buyer, waiting)
    assert f'id="recall-{recall.pk}"' in page and "二氧化硫超标" in page
    assert "本订单尚未发出的商品" in page
    # An order never paid is not concerned.
    assert "产品召回" not in order_page(unpaid_buyer, unpaid)

    # The product page no longer says "合格" and names the recall.
    product_page = Client().get(f"/product/{persimmon.slug}/").content.decode()
    assert "合格" not in product_page
    assert "本商品的一个批次已于" in product_page and "二氧化硫超标" in product_page

    # The buyers who paid and the producer's member are told once; the unpaid one is not.
    affected = services.recall_affected(recall)
    assert {order_id for order_id, _e in affected["orders"]} == {
        waiting.pk, shipped.pk, delivered.pk}
    assert notify_recall(recall.pk) == 4
    assert notify_recall(recall.pk) == 0
    for buyer in (waiting_buyer, shipped_buyer, delivered_buyer):
        assert Notification.objects.get(user=buyer, kind="recall").subject == (
            f"产品召回通知：{coop.name}")
    assert not Notification.objects.filter(user=unpaid_buyer).exists()
    assert sorted(a for m in mail.outbox for a in m.to) == sorted([
        "waiting@example.com", "shipped@example.com", "delivered@example.com", coop_user.email])
