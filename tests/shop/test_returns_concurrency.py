"""Two taps on the same after-sales decision at the same moment, each on its own
connection (two members through the real /graphql/ view; one member's double tap on the
workbench page): Alipay is asked to refund once and one refund is recorded."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from shop import services as shop_services
from shop.models import Refund, User
from shop.returns import ReturnRequest
from shop.services import returns as return_services
from tests.after_sales import DECIDE, pay, photo, ship
from tests.clients import GraphQLClient
from tests.factories import PASSWORD, gid, make_member, ready_checkout

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvals_at_once_refund_once(channel, variant, shipping, coop, coop_user,
                                           alipay_gateway):
    colleague = make_member(coop, "colleague@example.com")
    buyer = User.objects.create_user("buyer@example.com", PASSWORD)
    checkout = ready_checkout(channel, variant, shipping, quantity=2, user=buyer)
    order = ship(pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway),
                 coop, coop_user)
    request = return_services.request_return(
        order, user=buyer, type="return_and_refund", reason="quality", note="",
        lines=[{"order_line_id": order.lines.get().pk, "quantity": 2}])
    return_services.approve_return_request(request, coop, user=coop_user)  # goods asked back

    members = [coop_user, colleague]
    barrier = threading.Barrier(len(members))
    answers = [None] * len(members)

    def receive(i):
        try:
            client = GraphQLClient(members[i])
            barrier.wait(timeout=30)
            answers[i] = client.post(DECIDE % "orderReturnRequestMarkAsReceived",
                                     {"id": gid("OrderReturnRequest", request.pk)})
        finally:
            connection.close()

    threads = [threading.Thread(target=receive, args=(i,)) for i in range(len(members))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(a["data"]["orderReturnRequestMarkAsReceived"]["returnRequest"]["status"]
                      for a in answers
                      if a["data"]["orderReturnRequestMarkAsReceived"]["returnRequest"])
    # The second tap either found the refund done or refunded under the same number.
    assert statuses and set(statuses) == {"REFUNDED"}
    request.refresh_from_db()
    assert request.status == ReturnRequest.Status.REFUNDED
    assert list(Refund.objects.values_list("out_request_no", "amount")) == [
        (request.refund_key, Decimal("79.80"))]
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("79.80")]
    order.refresh_from_db()
    assert order.total_refunded_amount == Decimal("79.80")


def test_two_taps_on_the_workbench_at_once_refund_once(channel, variant, shipping, coop,
                                                       coop_user, alipay_gateway, settings,
                                                       tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    buyer = User.objects.create_user("buyer@example.com", PASSWORD)
    checkout = ready_checkout(channel, variant, shipping, quantity=1, user=buyer)
    order = ship(pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway),
                 coop, coop_user)
    request = return_services.request_return(
        order, user=buyer, type="refund_only", reason="damaged", note="",
        lines=[{"order_line_id": order.lines.get().pk, "quantity": 1}], photos=[photo()])
    barrier = threading.Barrier(2)
    codes = [None, None]

    def tap(i):
        try:
            client = Client()
            client.force_login(coop_user)
            barrier.wait(timeout=30)
            codes[i] = client.post(f"/work/orders/after-sales/{request.pk}/",
                                   {"action": "approve"}).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert codes == [302, 302]
    request.refresh_from_db()
    assert request.status == ReturnRequest.Status.REFUNDED
    assert Refund.objects.count() == 1
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("39.90")]
