"""The pavilion operator's orders at /work/ops/orders/, through the pages: who is let in,
finding an order across every seller, its detail, and the operator's actions (cancel an
unpaid order, refund a paid one through Alipay, add a note), each through the shop's own
services."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shop import services as shop_services
from shop.models import Address, Order, OrderEvent, Refund, User
from shop.services import returns
from tests.factories import PASSWORD, ready_checkout
from tests.payments import notify, start
from workbench.views import operator_orders

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unpaid_order(channel, variant, shipping, email="guest@example.com", phone="13900001111",
                 name="李大妈", user=None):
    order = shop_services.complete_checkout(
        ready_checkout(channel, variant, shipping, user=user, email=email).token, user=user)
    Address.objects.filter(pk=order.shipping_address_id).update(phone=phone, first_name=name)
    return order


def paid_through_alipay(gql_as, gateway, channel, variant, shipping):
    """An order by buyer@example.com paid through the local Alipay gateway."""
    buyer = User.objects.create_user("buyer@example.com", PASSWORD)
    order = unpaid_order(channel, variant, shipping, email=buyer.email, user=buyer)
    out_trade_no = start(gql_as, buyer, order)["transaction"]["outTradeNo"]
    assert notify(gateway.pay(out_trade_no)) == "success"
    order.refresh_from_db()
    order.buyer, order.out_trade_no = buyer, out_trade_no
    return order


@pytest.fixture
def operator_client(operator_user):
    return signed_in(operator_user)


@pytest.fixture
def orders(channel, shipping, two_seller_order, other_coop):
    """The two-seller paid order (渑池县, buyer shopper@example.com) and an unpaid guest
    order of 仰韶小米 only, whose seller is moved to 陕州区, placed three days ago."""
    other_coop.county = "陕州区"
    other_coop.save(update_fields=["county"])
    millet = two_seller_order.lines.get(organization=other_coop).variant
    guest = unpaid_order(channel, millet, shipping)
    Order.objects.filter(pk=guest.pk).update(created_at=timezone.now() - timedelta(days=3))
    return {"paid": two_seller_order, "guest": guest}


OPS_PAGES = ["/work/ops/orders/", "/work/ops/orders/{n}/"]
OPS_ACTIONS = ["/work/ops/orders/{n}/cancel/", "/work/ops/orders/{n}/refund/",
               "/work/ops/orders/{n}/note/"]


def test_only_the_operators_get_in(orders, coop_user, other_coop_user, authority_user):
    number = orders["guest"].number
    for url in OPS_PAGES:
        response = Client().get(url.format(n=number))
        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in/?next=/work/ops/orders/")
    shopper = User.objects.create_user("someone@example.com", PASSWORD)
    # A cooperative (even the seller of the order), the brand authority and a shopper are
    # refused every page and every action; nothing changes.
    for user in (coop_user, other_coop_user, authority_user, shopper):
        client = signed_in(user)
        for url in OPS_PAGES:
            response = client.get(url.format(n=number))
            assert response.status_code == 403, (user, url)
            page = response.content.decode()
            assert "guest@example.com" not in page and "13900001111" not in page
        for url in OPS_ACTIONS:
            response = client.post(url.format(n=number), {"cancel-reason": "x",
                                                          "note-message": "x",
                                                          "refund-amount": "1",
                                                          "refund-reason": "x"})
            assert response.status_code == 403, (user, url)
    guest = Order.objects.get(pk=orders["guest"].pk)
    assert guest.status == Order.Status.UNPAID
    assert not guest.events.filter(type__in=[OrderEvent.Type.NOTE, OrderEvent.Type.CANCELLED])


def test_the_operator_finds_any_sellers_order(operator_client, orders, coop, other_coop):
    paid, guest = orders["paid"], orders["guest"]

    def found(**query):
        page = operator_client.get("/work/ops/orders/", query).content.decode()
        return {n for n in (paid.number, guest.number) if f"/work/ops/orders/{n}/" in page}

    page = operator_client.get("/work/ops/orders/").content.decode()
    assert "全部订单" in page and "2 笔订单" in page
    assert coop.name in page and other_coop.name in page
    assert found() == {paid.number, guest.number}
    assert found(q=str(guest.number)) == {guest.number}
    assert found(q="13900001111") == {guest.number}          # the delivery's mobile number
    assert found(q="1390000") == {guest.number}              # or part of it
    assert found(q="shopper@") == {paid.number}              # the buyer's e-mail
    assert found(q="李大妈") == {guest.number}                # the recipient's name
    assert found(status="unpaid") == {guest.number}
    assert found(status="paid") == {paid.number}
    assert found(seller=coop.pk) == {paid.number}
    assert found(seller=other_coop.pk) == {paid.number, guest.number}
    assert found(county="陕州区") == {paid.number, guest.number}
    assert found(county="渑池县") == {paid.number}
    today = timezone.localdate()
    assert found(date_from=today.isoformat()) == {paid.number}
    assert found(date_to=(today - timedelta(days=1)).isoformat()) == {guest.number}
    page = operator_client.get("/work/ops/orders/", {"q": "99999999"}).content.decode()
    assert "没有符合条件的订单" in page


def test_the_order_list_costs_the_same_for_many_orders(operator_client, channel, shipping,
                                                       variant, django_assert_max_num_queries,
                                                       monkeypatch):
    def queries_for_list():
        with django_assert_max_num_queries(12) as context:
            assert operator_client.get("/work/ops/orders/").status_code == 200
        return len(context.captured_queries)

    unpaid_order(channel, variant, shipping)
    few = queries_for_list()
    for i in range(6):
        unpaid_order(channel, variant, shipping, email=f"g{i}@example.com")
    assert queries_for_list() == few

    # Pages of the list keep the filters.
    monkeypatch.setattr(operator_orders, "PAGE_SIZE", 5)
    page = operator_client.get("/work/ops/orders/", {"status": "unpaid"}).content.decode()
    assert "第 1 页，共 2 页" in page and "?status=unpaid&amp;page=2" in page
    page = operator_client.get("/work/ops/orders/", {"status": "unpaid", "page": 2})
    assert len(re.findall(r'href="/work/ops/orders/\d+/"', page.content.decode())) == 2


def test_the_order_page_shows_lines_payment_packages_and_history(operator_client, orders,
                                                                 coop, other_coop):
    paid = orders["paid"]
    page = operator_client.get(f"/work/ops/orders/{paid.number}/").content.decode()
    for text in ("渑池柿饼", "仰韶小米", coop.name, other_coop.name, "shopper@example.com",
                 "13812345678", "仰韶路 12 号", "尚未发货", "办理记录", "下单"):
        assert text in page, text
    assert "取消未付款订单" not in page   # a paid order is refunded, not cancelled here


def test_the_operator_adds_a_note(operator_client, operator_user, orders):
    guest = orders["guest"]
    response = operator_client.post(f"/work/ops/orders/{guest.number}/note/",
                                    {"note-message": "买家来电，要求周末送货"})
    assert response.status_code == 302
    event = guest.events.get(type=OrderEvent.Type.NOTE)
    assert (event.message, event.user) == ("买家来电，要求周末送货", operator_user)
    page = operator_client.get(response["Location"]).content.decode()
    assert "备注已添加" in page and "买家来电，要求周末送货" in page
    response = operator_client.post(f"/work/ops/orders/{guest.number}/note/",
                                    {"note-message": ""})
    assert response.status_code == 400 and "此项为必填项" in response.content.decode()


def test_the_operator_cancels_an_unpaid_order_but_not_a_paid_one(operator_client, orders,
                                                                 operator_user):
    guest, paid = orders["guest"], orders["paid"]
    allocated = guest.lines.get().allocations.get().stock
    before = allocated.quantity_allocated     # the paid order holds one unit too
    response = operator_client.post(f"/work/ops/orders/{guest.number}/cancel/",
                                    {"cancel-reason": "买家电话要求取消"})
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.status == Order.Status.CANCELLED
    event = guest.events.get(type=OrderEvent.Type.CANCELLED)
    assert (event.message, event.user) == ("买家电话要求取消", operator_user)
    allocated.refresh_from_db()
    assert allocated.quantity_allocated == before - 1
    assert "已取消" in operator_client.get(response["Location"]).content.decode()

    response = operator_client.post(f"/work/ops/orders/{paid.number}/cancel/",
                                    {"cancel-reason": "试试"}, follow=True)
    assert "已付款的订单请退款" in response.content.decode()
    paid.refresh_from_db()
    assert paid.status == Order.Status.PAID


def test_the_operator_refunds_a_paid_order_through_alipay(operator_client, operator_user,
                                                          gql_as, channel, shipping, variant,
                                                          alipay_gateway):
    order = paid_through_alipay(gql_as, alipay_gateway, channel, variant, shipping)
    out_trade_no = order.out_trade_no
    assert order.status == Order.Status.PAID
    url = f"/work/ops/orders/{order.number}/"
    page = operator_client.get(url).content.decode()
    assert "通过支付宝退款" in page and out_trade_no in page

    # More than was paid: the refund service's own refusal, next to the amount.
    response = operator_client.post(f"{url}refund/", {"refund-amount": "1000",
                                                      "refund-reason": "缺货"})
    assert response.status_code == 400
    assert f"最多可退款 {order.total_amount}" in response.content.decode()
    response = operator_client.post(f"{url}refund/", {"refund-amount": str(order.total_amount),
                                                      "refund-reason": ""})
    assert response.status_code == 400
    assert not Refund.objects.exists()

    response = operator_client.post(f"{url}refund/", {"refund-amount": str(order.total_amount),
                                                      "refund-reason": "缺货退款"})
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.status, refund.reason, refund.created_by) == (
        Refund.Status.SUCCESS, "缺货退款", operator_user)
    assert alipay_gateway.trades[out_trade_no]["refunded"] == order.total_amount
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    page = operator_client.get(url).content.decode()
    assert "已退款" in page and "缺货退款" in page
    assert "通过支付宝退款" not in page     # nothing left to refund


def test_the_order_page_shows_the_shoppers_after_sales_requests_read_only(
        operator_client, gql_as, alipay_gateway, channel, shipping, variant, coop):
    order = paid_through_alipay(gql_as, alipay_gateway, channel, variant, shipping)
    returns.request_return(order, user=order.buyer, type="refund_only", reason="not_wanted",
                           note="拍错了规格",
                           lines=[{"order_line_id": order.lines.get().pk, "quantity": 1}])
    listing = operator_client.get("/work/ops/orders/").content.decode()
    assert "售后处理中" in listing
    page = operator_client.get(f"/work/ops/orders/{order.number}/").content.decode()
    section = page[page.index("售后申请"):page.index("运营操作")]
    assert coop.name in section and "拍错了规格" in section and "渑池柿饼" in section
    assert "<form" not in section     # the seller decides; the operator only reads it
