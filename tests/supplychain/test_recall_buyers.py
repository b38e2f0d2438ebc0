"""产品可召回 as the buyers see it: a lot is recalled after three buyers bought from it,
one paid and waiting, one shipped, one delivered. Each buyer's order page shows the banner
with what to do (and the packages concerned), each is told once in Chinese, and the
product page stops showing the recalled lot's "合格"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from shop.models import Notification, Order
from supplychain import services
from supplychain.services.recalls import notify_recall
from tests.clients import order_page
from tests.factories import make_member, make_paid_order

pytestmark = pytest.mark.django_db


def _ship(order, coop, code, coop_user):
    line = order.lines.get()
    services.fulfill_with_codes(order, coop, [{"order_line_id": line.pk, "codes": [code]}],
                                carrier="顺丰", tracking_number=f"SF{order.number}",
                                user=coop_user)


def test_a_recall_reaches_each_buyer(packing_run, graded_lot, coop, coop_user, channel,
                                     shipping, other_coop, zh_catalogue):
    coop.contact_phone = "0398-4812345"
    coop.save()
    variant = packing_run.variant
    codes = list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True))
    waiting_buyer = make_member(other_coop, "waiting@example.com")
    shipped_buyer = make_member(other_coop, "shipped@example.com")
    delivered_buyer = make_member(other_coop, "delivered@example.com")
    waiting = make_paid_order(channel, variant, shipping, buyer=waiting_buyer)
    shipped = make_paid_order(channel, variant, shipping, buyer=shipped_buyer)
    delivered = make_paid_order(channel, variant, shipping, buyer=delivered_buyer)
    _ship(shipped, coop, codes[0], coop_user)
    _ship(delivered, coop, codes[1], coop_user)
    # The delivered buyer confirms receipt from the order page.
    client = Client()
    client.force_login(delivered_buyer)
    page = client.get(f"/orders/{delivered.number}/").content.decode()
    assert "确认收货" in page and "自动确认收货" in page
    client.post(f"/orders/{delivered.number}/", {"action": "confirm"})
    delivered.refresh_from_db()
    assert delivered.status == Order.Status.DELIVERED

    product_page = Client().get(f"/product/{variant.product.slug}/").content.decode()
    assert "合格" in product_page and "召回" not in product_page

    mail.outbox.clear()
    recall = services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                                 reason="霉菌超标", user=coop_user)

    # Shipped and delivered: the banner names their package and says what to do.
    for buyer, order, code in ((shipped_buyer, shipped, codes[0]),
                               (delivered_buyer, delivered, codes[1])):
        page = order_page(buyer, order)
        assert f'id="recall-{recall.pk}"' in page
        assert "产品召回" in page and "霉菌超标" in page and "二级召回（可能危害健康）" in page
        assert "请立即停止食用或使用" in page and f">{code}</a>" in page
        assert "0398-4812345" in page
        assert "尚未发出的商品不会从召回批次发货" not in page
    # Paid and waiting: nothing in hand; what is still to ship will not come from the lot.
    page = order_page(waiting_buyer, waiting)
    assert "产品召回" in page and "尚未发出的商品不会从召回批次发货" in page
    assert "请立即停止食用或使用" not in page
    # Someone else's order shows nothing, and its page is not theirs to open.
    assert Client().get(f"/orders/{waiting.number}/").status_code == 404

    # The product page no longer vouches for the recalled lot.
    product_page = Client().get(f"/product/{variant.product.slug}/").content.decode()
    assert "合格" not in product_page
    assert "本商品的一个批次已于" in product_page and "霉菌超标" in product_page

    # Each buyer and each producer member told once, in Chinese; a retry tells nobody.
    assert notify_recall(recall.pk) == 4
    assert notify_recall(recall.pk) == 0
    for buyer in (waiting_buyer, shipped_buyer, delivered_buyer):
        notices = Notification.objects.filter(user=buyer, kind="recall")
        assert notices.count() == 1
        assert notices.get().subject == f"产品召回通知：{coop.name}"
        assert "霉菌超标" in notices.get().body and "请停止食用" in notices.get().body
    sent = sorted(address for message in mail.outbox for address in message.to)
    assert sent == sorted(["waiting@example.com", "shipped@example.com",
                           "delivered@example.com", coop_user.email])
