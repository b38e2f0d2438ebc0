"""Shoppers close their orders: 确认收货 from the order page (refused for another
person's order and before everything shipped), and shipped orders nobody confirmed are
confirmed by the beat task ``ORDER_AUTO_CONFIRM_DAYS`` after shipping, on a real worker;
delivery marks the trace codes sold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shop import services as shop_services
from shop.models import Order, OrderEvent
from shop.tasks import confirm_overdue_receipts
from supplychain import services as supply_services
from supplychain.models import TraceCode
from tests.background import TASK_TIMEOUT
from tests.factories import make_member, ready_checkout


def _shipped_order(channel, shipping, packing_run, coop, coop_user, buyer, code):
    order = shop_services.complete_checkout(
        ready_checkout(channel, packing_run.variant, shipping, user=buyer,
                       email=buyer.email).token, user=buyer)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    line = order.lines.get()
    supply_services.fulfill_with_codes(order, coop, [{"order_line_id": line.pk,
                                                      "codes": [code]}],
                                       carrier="顺丰", tracking_number=f"SF{order.number}",
                                       user=coop_user)
    order.refresh_from_db()
    return order


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_buyer_confirms_receipt_from_the_order_page(channel, shipping, packing_run, coop,
                                                    coop_user, other_coop, zh_catalogue):
    buyer = make_member(other_coop, "buyer1@example.com")
    stranger = make_member(other_coop, "stranger@example.com")
    code = packing_run.trace_codes.order_by("serial").first().code
    # Paid, not shipped: no button, and a forged post is refused.
    waiting = shop_services.complete_checkout(
        ready_checkout(channel, packing_run.variant, shipping, user=buyer,
                       email=buyer.email).token, user=buyer)
    Order.objects.filter(pk=waiting.pk).update(status=Order.Status.PAID)
    page = _client(buyer).get(f"/orders/{waiting.number}/").content.decode()
    assert 'value="confirm"' not in page
    client = _client(buyer)
    response = client.post(f"/orders/{waiting.number}/", {"action": "confirm"}, follow=True)
    assert "商品全部发货后才能确认收货" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PAID

    order = _shipped_order(channel, shipping, packing_run, coop, coop_user, buyer, code)
    page = _client(buyer).get(f"/orders/{order.number}/").content.decode()
    assert 'value="confirm"' in page and "确认收货" in page
    auto = (order.events.get(type=OrderEvent.Type.SHIPPED).date + timedelta(days=10))
    assert timezone.localtime(auto).strftime("%Y-%m-%d %H:%M") in page
    # Someone else cannot even open it.
    assert _client(stranger).post(f"/orders/{order.number}/",
                                  {"action": "confirm"}).status_code == 404

    response = client.post(f"/orders/{order.number}/", {"action": "confirm"}, follow=True)
    html = response.content.decode()
    assert "感谢您的购买，已确认收货" in html and "买家已确认收货" in html
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED
    event = order.events.get(type=OrderEvent.Type.DELIVERED)
    assert event.user == buyer
    assert TraceCode.objects.get(code=code).disposition == "retail_sold"
    # Twice: refused, nothing changes.
    response = client.post(f"/orders/{order.number}/", {"action": "confirm"}, follow=True)
    assert "该订单已确认收货" in response.content.decode()
    assert order.events.filter(type=OrderEvent.Type.DELIVERED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_unconfirmed_orders_are_confirmed_by_the_beat_task(
        celery_worker, channel, shipping, packing_run, coop, coop_user, other_coop):
    codes = list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True))
    old = _shipped_order(channel, shipping, packing_run, coop, coop_user,
                         make_member(other_coop, "old@example.com"), codes[0])
    recent = _shipped_order(channel, shipping, packing_run, coop, coop_user,
                            make_member(other_coop, "recent@example.com"), codes[1])
    OrderEvent.objects.filter(order=old, type=OrderEvent.Type.SHIPPED).update(
        date=timezone.now() - timedelta(days=10, minutes=1))
    OrderEvent.objects.filter(order=recent, type=OrderEvent.Type.SHIPPED).update(
        date=timezone.now() - timedelta(days=9))

    assert confirm_overdue_receipts.delay().get(timeout=TASK_TIMEOUT) == 1
    assert confirm_overdue_receipts.delay().get(timeout=TASK_TIMEOUT) == 0

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (Order.Status.DELIVERED, Order.Status.SHIPPED)
    event = old.events.get(type=OrderEvent.Type.DELIVERED)
    assert event.user is None and "10" in event.message
    sold = TraceCode.objects.get(code=codes[0])
    assert sold.disposition == "retail_sold"
    assert sold.events.filter(biz_step="retail_selling").get().event_time.date() == \
        timezone.now().date()
    assert TraceCode.objects.get(code=codes[1]).disposition == "in_transit"
