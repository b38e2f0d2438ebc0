"""The cooperative's after-sales pages (Django's test client): the orders page says how many
requests wait, the list and the request with the shopper's photos, approving (a refund
through the local Alipay gateway), the goods received, refusing with a reason; another
organisation's request is not found."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from shop import services as shop_services
from shop.models import Stock
from shop.returns import ReturnRequest
from shop.services import returns as return_services
from supplychain.models import Disposition, TraceCode
from tests import after_sales
from tests.after_sales import pay, photo, ship
from tests.factories import ready_checkout

pytestmark = pytest.mark.django_db

# The shared fixtures (tests/after_sales.py).
buyer, shipped, traced_order = after_sales.buyer, after_sales.shipped, after_sales.traced_order
# Agreeing to a return names where the goods go back.
APPROVE_RETURN = {"action": "approve", "address": "渑池县仰韶路 8 号"}


@pytest.fixture
def order(shipped):
    return shipped


def _ask(order, buyer, type="refund_only", reason="damaged", photos=(), quantity=1):
    return return_services.request_return(
        order, user=buyer, type=type, reason=reason, note="两个柿饼发霉了",
        lines=[{"order_line_id": order.lines.get().pk, "quantity": quantity}],
        photos=list(photos))


def test_the_cooperative_sees_the_request_and_approves_a_refund(
        order, buyer, coop_client, alipay_gateway):
    request = _ask(order, buyer, photos=[photo()])
    listing = coop_client.get("/work/orders/").content.decode()
    assert 'id="after-sales-link"' in listing and "1 个待处理" in listing
    page = coop_client.get("/work/orders/after-sales/").content.decode()
    assert f"订单 {order.number}" in page and "仅退款" in page and "等待卖家处理" in page

    detail = coop_client.get(f"/work/orders/after-sales/{request.pk}/").content.decode()
    assert "两个柿饼发霉了" in detail and "收到时破损或变质" in detail
    assert detail.count('alt="买家上传的照片"') == 1
    assert "同意并退款" in detail and "拒绝申请" in detail

    answer = coop_client.post(f"/work/orders/after-sales/{request.pk}/", {"action": "approve"},
                              follow=True)
    page = answer.content.decode()
    assert "已退款" in page and "¥39.90" in page
    request.refresh_from_db()
    assert request.status == "refunded"
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("39.90")]
    # A second tap (a stale page) refunds nothing more and says why.
    again = coop_client.post(f"/work/orders/after-sales/{request.pk}/", {"action": "approve"},
                             follow=True).content.decode()
    assert "此申请已处理：已退款" in again
    assert len(alipay_gateway.refunds) == 1


def test_a_return_waits_for_the_goods_then_refunds(order, buyer, coop, coop_client,
                                                   alipay_gateway):
    coop.address = "渑池县仰韶路 8 号"
    coop.save()
    request = _ask(order, buyer, type="return_and_refund", reason="no_reason", quantity=2)
    detail = coop_client.get(f"/work/orders/after-sales/{request.pk}/").content.decode()
    # The seller's address is offered as the return address, to correct before agreeing.
    assert "同意后，买家将把商品寄回下面的地址" in detail
    assert 'name="address"' in detail and "渑池县仰韶路 8 号</textarea>" in detail
    empty = coop_client.post(f"/work/orders/after-sales/{request.pk}/",
                             {"action": "approve", "address": " "}, follow=True)
    assert "此项为必填项。" in empty.content.decode()
    request.refresh_from_db()
    assert request.status == "requested"
    coop_client.post(f"/work/orders/after-sales/{request.pk}/",
                     {"action": "approve", "address": "渑池县果园乡果园村 3 号 售后仓"})
    request.refresh_from_db()
    coop.refresh_from_db()
    assert request.status == "awaiting_return" and alipay_gateway.refunds == {}
    assert coop.address == "渑池县果园乡果园村 3 号 售后仓"  # the next return goes there too
    shopper = Client()
    shopper.force_login(buyer)
    shopper_page = shopper.get(f"/orders/{order.number}/").content.decode()
    assert "请将商品寄至 渑池县果园乡果园村 3 号 售后仓" in shopper_page
    page = coop_client.get(f"/work/orders/after-sales/{request.pk}/").content.decode()
    assert "已收到退货，退款" in page
    coop_client.post(f"/work/orders/after-sales/{request.pk}/", {"action": "received"})
    request.refresh_from_db()
    assert request.status == "refunded" and request.received_at is not None
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("79.80")]


def test_refusing_needs_a_reason(order, buyer, coop_client, alipay_gateway):
    request = _ask(order, buyer, type="return_and_refund", reason="quality")
    empty = coop_client.post(f"/work/orders/after-sales/{request.pk}/",
                             {"action": "refuse", "reason": " "}, follow=True).content.decode()
    assert "此项为必填项。" in empty
    request.refresh_from_db()
    assert request.status == "requested"
    coop_client.post(f"/work/orders/after-sales/{request.pk}/",
                     {"action": "refuse", "reason": "照片中的商品不是本店所售"})
    request.refresh_from_db()
    assert (request.status, request.refusal_reason) == ("refused", "照片中的商品不是本店所售")
    assert alipay_gateway.refunds == {}
    page = coop_client.get("/work/orders/after-sales/").content.decode()
    assert "已处理" in page and "卖家已拒绝" in page


def test_another_organisation_finds_nothing(order, buyer, other_client, alipay_gateway):
    request = _ask(order, buyer, photos=[photo()])
    assert f"订单 {order.number}" not in other_client.get(
        "/work/orders/after-sales/").content.decode()
    assert other_client.get(f"/work/orders/after-sales/{request.pk}/").status_code == 404
    for action in ("approve", "received", "refuse"):
        answer = other_client.post(f"/work/orders/after-sales/{request.pk}/",
                                   {"action": action, "reason": "不同意"})
        assert answer.status_code == 404
    request.refresh_from_db()
    assert request.status == ReturnRequest.Status.REQUESTED
    assert alipay_gateway.refunds == {}


def test_a_refund_asked_before_shipping_is_answered_before_shipping(
        channel, variant, shipping, buyer, coop, coop_user, coop_client, alipay_gateway):
    checkout = ready_checkout(channel, variant, shipping, quantity=2, user=buyer)
    order = pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway)
    request = return_services.request_return(
        order, user=buyer, type="refund_only", reason="not_wanted",
        lines=[{"order_line_id": order.lines.get().pk, "quantity": 2}])
    page = coop_client.get(f"/work/orders/{order.number}/").content.decode()
    assert "买家对此订单有待处理的售后申请：请先处理再发货。" in page
    assert f"/work/orders/after-sales/{request.pk}/" in page
    # Shipped anyway: approving would refund goods on their way, so it is refused.
    ship(order, coop, coop_user)
    answer = coop_client.post(f"/work/orders/after-sales/{request.pk}/", {"action": "approve"},
                              follow=True).content.decode()
    assert "其中部分商品已发出：请拒绝该申请" in answer
    request.refresh_from_db()
    assert request.status == "requested" and alipay_gateway.refunds == {}


def test_the_goods_received_go_back_on_sale_or_not(order, buyer, variant, coop_client,
                                                   alipay_gateway):
    stock = Stock.objects.get(product_variant=variant)
    assert stock.quantity == 8
    first = _ask(order, buyer, type="return_and_refund", reason="no_reason")
    coop_client.post(f"/work/orders/after-sales/{first.pk}/", APPROVE_RETURN)
    page = coop_client.get(f"/work/orders/after-sales/{first.pk}/").content.decode()
    assert "商品还能再销售吗？" in page and "能：重新入库" in page
    assert "不能：已损坏、拆封或变质，不再销售" in page
    done = coop_client.post(f"/work/orders/after-sales/{first.pk}/",
                            {"action": "received", "restock": "yes"}, follow=True)
    assert "已重新入库。" in done.content.decode()
    stock.refresh_from_db()
    assert stock.quantity == 9

    second = _ask(order, buyer, type="return_and_refund", reason="quality")
    coop_client.post(f"/work/orders/after-sales/{second.pk}/", APPROVE_RETURN)
    done = coop_client.post(f"/work/orders/after-sales/{second.pk}/",
                            {"action": "received", "restock": "no"}, follow=True)
    assert "不再销售。" in done.content.decode()
    stock.refresh_from_db()
    assert stock.quantity == 9
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("39.90")] * 2


def test_the_seller_ticks_the_packages_that_came_back(traced_order, buyer, coop_client,
                                                      other_client, alipay_gateway):
    order, (kept, sent_back) = traced_order, traced_order.codes
    request = _ask(order, buyer, type="return_and_refund", reason="quality")
    coop_client.post(f"/work/orders/after-sales/{request.pk}/", APPROVE_RETURN)
    page = coop_client.get(f"/work/orders/after-sales/{request.pk}/").content.decode()
    # One package of two: none is ticked for the seller, who ticks the one in hand.
    assert f'name="codes" value="{kept}">' in page and f'value="{sent_back}">' in page
    missing = coop_client.post(f"/work/orders/after-sales/{request.pk}/",
                               {"action": "received", "restock": "yes"}, follow=True)
    assert "请扫描退回的 1 件" in missing.content.decode()
    request.refresh_from_db()
    assert request.status == "awaiting_return"
    # Another organisation cannot confirm it.
    assert other_client.post(f"/work/orders/after-sales/{request.pk}/", {
        "action": "received", "codes": [sent_back]}).status_code == 404
    coop_client.post(f"/work/orders/after-sales/{request.pk}/",
                     {"action": "received", "restock": "yes", "codes": [sent_back]})
    request.refresh_from_db()
    assert (request.status, request.restocked) == ("refunded", True)
    assert TraceCode.objects.get(code=sent_back).disposition == Disposition.ACTIVE
    assert TraceCode.objects.get(code=kept).disposition == Disposition.RETAIL_SOLD
