"""Redis killed while shoppers check out and pay: every request still succeeds, the work
to do after each commit waits in the outbox, and once Redis is back every notification
reaches the buyer exactly once, even when a row is handed to the broker twice."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from shop import outbox
from shop.models import Order, OrderEvent, PaymentNotice
from shop.outbox import OutboxMessage
from shop.tasks import send_order_notification
from tests.background import (
    TASK_TIMEOUT,
    KillableRedis,
    _forget_connections,
    wait_for_task_runs,
)
from tests.factories import COMPLETE, gid, ready_checkout
from tests.payments import notify, start

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def killable_redis(settings):
    server = KillableRedis()
    server.start()
    previous = {"broker_url": celery_app.conf.broker_url,
                "result_backend": celery_app.conf.result_backend,
                "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(broker_url=server.url, result_backend=server.url,
                           task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _forget_connections()
    yield server
    celery_app.conf.update(**previous)
    _forget_connections()
    if server.process.poll() is None:
        server.kill()


def sent_kinds(order):
    return sorted(order.events.filter(type=OrderEvent.Type.NOTIFICATION_SENT)
                  .values_list("parameters__kind", flat=True))


def test_checkout_and_payment_survive_redis_and_notify_exactly_once_after(
        killable_redis, gql_as, channel, variant, shipping, coop_user, alipay_gateway):
    checkouts = [ready_checkout(channel, variant, shipping, quantity=1, user=coop_user)
                 for _ in range(2)]
    killable_redis.kill()

    orders, took = [], []
    for checkout in checkouts:
        began = time.monotonic()
        result = gql_as(coop_user).data(COMPLETE, {"id": gid("Checkout", checkout.token)})
        took.append(time.monotonic() - began)
        assert result["checkoutComplete"]["errors"] == []
        orders.append(Order.objects.get(number=result["checkoutComplete"]["order"]["number"]))
    print(f"\ncheckoutComplete with Redis killed: {', '.join(f'{t:.2f}' for t in took)} s")

    # Alipay's notice for the first order, paid while Redis is down: accepted and recorded.
    payment = start(gql_as, coop_user, orders[0])
    notice = alipay_gateway.pay(payment["transaction"]["outTradeNo"])
    assert notify(notice) == "success"
    assert notify(notice) == "success"  # Alipay repeats a notice; still success
    orders[0].refresh_from_db()
    assert orders[0].status == Order.Status.PAID
    assert PaymentNotice.objects.filter(out_trade_no=payment["transaction"]["outTradeNo"],
                                        outcome="accepted").exists()

    # Nothing reached the buyer yet; everything waits in the outbox with its error.
    pending = OutboxMessage.objects.filter(published_at__isnull=True)
    # The statistics' refresh of the paid day waits there too (a recomputation: one per
    # committed change of the day, however many).
    pending = list(pending)
    tasks = [m.task for m in pending]
    assert set(tasks) == {"shop.tasks.send_order_notification",
                          "county_statistics.tasks.refresh_days"}
    assert tasks.count("shop.tasks.send_order_notification") == 3
    notifications = [m for m in pending if m.task == "shop.tasks.send_order_notification"]
    assert sorted((m.kwargs["order_id"], m.kwargs["kind"]) for m in notifications) == sorted([
        (orders[0].pk, "order_placed"), (orders[1].pk, "order_placed"),
        (orders[0].pk, "order_paid")])
    assert all(m.attempts >= 1 and m.last_error for m in pending)
    assert mail.outbox == []

    killable_redis.start()
    with start_worker(celery_app, pool="threads", concurrency=2, perform_ping_check=False,
                      loglevel="WARNING", shutdown_timeout=TASK_TIMEOUT), \
            wait_for_task_runs(send_order_notification) as wait:
        # The beat sweeper, as it runs every 30 seconds once the rows are past their grace.
        later = timezone.now() + outbox.SWEEP_GRACE + timedelta(seconds=1)
        assert outbox.publish_pending(now=later) == len(pending)
        # (The worker's own work may already queue new statistics refreshes meanwhile.)
        assert not OutboxMessage.objects.filter(
            published_at__isnull=True, task=send_order_notification.name).exists()
        wait(lambda: len(sent_kinds(orders[0])) + len(sent_kinds(orders[1])) == 3,
             "the notifications did not arrive after Redis came back")

        # A row handed to the broker a second time (its publication lost in a crash) is
        # sent again; the task sees the notification already recorded and sends nothing.
        runs = {"count": 0}

        def count_run(sender=None, **_kwargs):
            if getattr(sender, "name", None) == send_order_notification.name:
                runs["count"] += 1
        task_postrun.connect(count_run, weak=False)
        try:
            OutboxMessage.objects.filter(task=send_order_notification.name).update(
                published_at=None)
            assert outbox.publish_pending(now=later) == 3
            wait(lambda: runs["count"] == 3, "the second hand-over was not run")
        finally:
            task_postrun.disconnect(count_run)
    assert sent_kinds(orders[0]) == ["order_paid", "order_placed"]
    assert sent_kinds(orders[1]) == ["order_placed"]
    assert sorted(m.subject for m in mail.outbox) == sorted(
        [f"订单 {orders[0].number} 已收到您的付款", f"您的订单 {orders[0].number} 已提交",
         f"您的订单 {orders[1].number} 已提交"])
