"""A refund the gateway failed is retried on a schedule: the beat's task
(``shop.tasks.retry_after_sales_refunds``) refunds it once Alipay answers again, under the
request's own refund number, waiting longer after each failure, and never refunds twice
(a retry after the seller's own retry, a second run)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from celery import current_app
from django.utils import timezone

from shop import services as shop_services
from shop import tasks
from shop.models import OrderEvent, Refund
from shop.returns import ReturnRequest
from tests import after_sales
from tests.after_sales import DECIDE, REQUEST, photo
from tests.clients import GraphQLClient
from tests.factories import gid

pytestmark = pytest.mark.django_db

buyer, shipped = after_sales.buyer, after_sales.shipped
UNREACHABLE = "http://127.0.0.1:9/gateway.do"


def _approved_while_alipay_is_down(order, buyer, coop_user, settings):
    asked = GraphQLClient(buyer).post_multipart(REQUEST, {
        "order": gid("Order", order.pk), "input": {
            "lines": [{"orderLineId": gid("OrderLine", order.lines.get().pk), "quantity": 1}],
            "type": "REFUND_ONLY", "reason": "DAMAGED", "photos": [None]}},
        {"input.photos.0": photo()})["data"]["orderReturnRequestCreate"]
    gateway_url, settings.ALIPAY_GATEWAY_URL = settings.ALIPAY_GATEWAY_URL, UNREACHABLE
    approved = GraphQLClient(coop_user).post(DECIDE % "orderReturnRequestApprove", {
        "id": asked["returnRequest"]["id"]})["data"]["orderReturnRequestApprove"]
    assert approved["returnRequest"]["status"] == "REFUNDING"
    assert approved["returnRequest"]["refund"] == {"status": "FAILED"}
    return asked["returnRequest"]["id"], gateway_url


def test_the_schedule_refunds_once_alipay_answers_again(shipped, buyer, coop_user,
                                                        alipay_gateway, settings):
    settings.RETURN_REFUND_RETRY_MINUTES = 10
    request_id, gateway_url = _approved_while_alipay_is_down(shipped, buyer, coop_user,
                                                             settings)
    request = ReturnRequest.objects.get()
    assert request.refund_failures == 1
    first_wait = request.refund_retry_at - timezone.now()
    assert timedelta(minutes=9) < first_wait <= timedelta(minutes=10)

    # Not due yet: the run leaves it alone.
    assert tasks.retry_after_sales_refunds() == 0
    # Due, Alipay still down: tried, and the next wait is twice as long.
    ReturnRequest.objects.update(refund_retry_at=timezone.now() - timedelta(seconds=1))
    assert tasks.retry_after_sales_refunds() == 0
    request.refresh_from_db()
    assert request.refund_failures == 2 and request.status == "refunding"
    assert timedelta(minutes=19) < request.refund_retry_at - timezone.now() <= \
        timedelta(minutes=20)

    # Alipay answers again: the next due run refunds, under the same refund number.
    settings.ALIPAY_GATEWAY_URL = gateway_url
    ReturnRequest.objects.update(refund_retry_at=timezone.now() - timedelta(seconds=1))
    assert tasks.retry_after_sales_refunds() == 1
    request.refresh_from_db()
    assert request.status == "refunded" and request.refund_retry_at is None
    assert list(alipay_gateway.refunds) == [request.refund_key]
    assert list(Refund.objects.values_list("out_request_no", "status")) == [
        (request.refund_key, "success")]
    shipped.refresh_from_db()
    assert shipped.total_refunded_amount == Decimal("39.90")
    # The buyer reads it on the order.
    mine = GraphQLClient(buyer).data("""query($id: ID!) { order(id: $id) {
        returnRequests { status } } }""", {"id": gid("Order", shipped.pk)})
    assert mine["order"]["returnRequests"] == [{"status": "REFUNDED"}]

    # Another run, or the seller's retry button, refunds nothing more.
    assert tasks.retry_after_sales_refunds() == 0
    again = GraphQLClient(coop_user).post(DECIDE % "orderReturnRequestApprove",
                                          {"id": request_id})["data"]["orderReturnRequestApprove"]
    assert again["errors"][0]["code"] == "INVALID"
    assert len(alipay_gateway.refunds) == 1


def test_a_refund_the_seller_retried_meanwhile_is_not_refunded_again(
        shipped, buyer, coop_user, alipay_gateway, settings):
    request_id, gateway_url = _approved_while_alipay_is_down(shipped, buyer, coop_user,
                                                             settings)
    settings.ALIPAY_GATEWAY_URL = gateway_url
    retried = GraphQLClient(coop_user).post(DECIDE % "orderReturnRequestApprove", {
        "id": request_id})["data"]["orderReturnRequestApprove"]
    assert retried["returnRequest"]["status"] == "REFUNDED"
    ReturnRequest.objects.update(refund_retry_at=timezone.now() - timedelta(seconds=1))
    assert tasks.retry_after_sales_refunds() == 0
    assert len(alipay_gateway.refunds) == 1
    assert Refund.objects.count() == 1


def test_the_beat_runs_the_task():
    entry = current_app.conf.beat_schedule["retry-after-sales-refunds"]
    assert entry["task"] == "shop.tasks.retry_after_sales_refunds"
    assert entry["task"] in current_app.tasks


def test_a_refund_the_shop_can_no_longer_make_waits_a_day(shipped, buyer, coop_user,
                                                          operator_user, alipay_gateway,
                                                          settings):
    _approved_while_alipay_is_down(shipped, buyer, coop_user, settings)
    settings.ALIPAY_GATEWAY_URL = alipay_gateway.url
    # Staff refunded most of the order meanwhile: 39.90 is more than what is left.
    shop_services.refund_order(shipped, Decimal("80.00"), "客服补偿", user=operator_user)
    ReturnRequest.objects.update(refund_retry_at=timezone.now() - timedelta(seconds=1))
    assert tasks.retry_after_sales_refunds() == 0
    request = ReturnRequest.objects.get()
    assert request.status == "refunding"
    assert request.refund_retry_at - timezone.now() > timedelta(hours=23)
    assert OrderEvent.objects.filter(order=shipped,
                                     parameters__kind="return_refund_refused").exists()
    assert sum(r["amount"] for r in alipay_gateway.refunds.values()) == Decimal("80.00")
