"""A refund that failed is retried on a schedule: the beat's task
(``shop.tasks.retry_after_sales_refunds``, called here) refunds it once the local Alipay
gateway, unreachable and then refusing, accepts again, under the request's own refund
number, waiting longer after each failure; it never refunds twice (after the seller's own
retry, on a second run, or when Alipay refunded but its answer was lost)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from celery import current_app
from django.utils import timezone

from shop import alipay, tasks
from shop import services as shop_services
from shop.models import OrderEvent, Refund
from shop.returns import ReturnRequest
from tests import after_sales
from tests.after_sales import DECIDE, REQUEST, photo
from tests.clients import GraphQLClient
from tests.factories import gid
from tests.shop.alipay_gateway import new_key_pair

pytestmark = pytest.mark.django_db

buyer, shipped = after_sales.buyer, after_sales.shipped
UNREACHABLE = "http://127.0.0.1:9/gateway.do"


def _approved_while_alipay_is_down(order, buyer, coop_user, settings):
    """The seller approves while Alipay is unreachable: the refund fails."""
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


def _refunds_asked(gateway) -> list[bool]:
    """Whether each refund call the gateway received was accepted (its signature good)."""
    return [ok for method, ok in gateway.received if method == "alipay.trade.refund"]


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
    # Due, and the gateway answers but refuses (验签出错: our key is not the one it
    # knows): tried, and the next wait is twice as long.
    settings.ALIPAY_GATEWAY_URL = gateway_url
    right_key, settings.ALIPAY_PRIVATE_KEY = settings.ALIPAY_PRIVATE_KEY, new_key_pair()[0]
    ReturnRequest.objects.update(refund_retry_at=timezone.now() - timedelta(seconds=1))
    assert tasks.retry_after_sales_refunds() == 0
    assert _refunds_asked(alipay_gateway) == [False]
    assert "验签出错" in Refund.objects.get().gateway_message
    request.refresh_from_db()
    assert request.refund_failures == 2 and request.status == "refunding"
    assert timedelta(minutes=19) < request.refund_retry_at - timezone.now() <= \
        timedelta(minutes=20)

    # Alipay accepts again: the next due run refunds, under the same refund number.
    settings.ALIPAY_PRIVATE_KEY = right_key
    ReturnRequest.objects.update(refund_retry_at=timezone.now() - timedelta(seconds=1))
    assert tasks.retry_after_sales_refunds() == 1
    request.refresh_from_db()
    assert request.status == "refunded" and request.refund_retry_at is None
    assert list(alipay_gateway.refunds) == [request.refund_key]
    assert _refunds_asked(alipay_gateway) == [False, True]
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


def test_a_refund_alipay_made_whose_answer_was_lost_is_not_made_twice(
        shipped, buyer, coop_user, alipay_gateway, settings):
    _approved_while_alipay_is_down(shipped, buyer, coop_user, settings)
    settings.ALIPAY_GATEWAY_URL = alipay_gateway.url
    request = ReturnRequest.objects.get()
    payment = shipped.payments.get()
    # Alipay refunded under the request's number, but its answer never reached the shop
    # (a timeout): the shop's record still says failed.
    alipay.refund_trade(payment.out_trade_no, request.amount, "lost answer", request.refund_key)
    assert Refund.objects.get().status == "failed"
    ReturnRequest.objects.update(refund_retry_at=timezone.now() - timedelta(seconds=1))
    assert tasks.retry_after_sales_refunds() == 1
    request.refresh_from_db()
    assert request.status == "refunded"
    # The gateway refunded 39.90 once, however often it was asked under that number.
    assert alipay_gateway.trades[payment.out_trade_no]["refunded"] == Decimal("39.90")
    assert _refunds_asked(alipay_gateway) == [True, True]
    shipped.refresh_from_db()
    assert shipped.total_refunded_amount == Decimal("39.90")
