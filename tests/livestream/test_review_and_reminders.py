"""Reminders on a real Celery worker, the review (复盘) with its CSV/XLSX sales detail
list, and the public schedule page."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook

from livestream import services
from livestream.models import Broadcast, Reminder
from livestream.tasks import send_broadcast_reminders
from shop import services as shop_services
from shop.models import Notification
from tests.background import TASK_TIMEOUT
from tests.factories import broadcast_checkout, gid

SUBSCRIBE = """mutation($id: ID!) { broadcastSubscribe(id: $id) {
  broadcast { isSubscribed } errors { code } } }"""


@pytest.mark.django_db(transaction=True)
def test_each_subscriber_gets_one_reminder(celery_worker, gql_as, gql, broadcast, shopper,
                                           host_user):
    assert gql_as(shopper).data(SUBSCRIBE, {"id": gid("Broadcast", broadcast.pk)}) == {
        "broadcastSubscribe": {"broadcast": {"isSubscribed": True}, "errors": []}}
    gql_as(host_user).data(SUBSCRIBE, {"id": gid("Broadcast", broadcast.pk)})
    anonymous = gql.post(SUBSCRIBE, {"id": gid("Broadcast", broadcast.pk)})
    assert anonymous["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    # Starts in 10 minutes, inside the 30-minute lead: both are reminded, once.
    assert send_broadcast_reminders.delay().get(timeout=TASK_TIMEOUT) == 2
    assert send_broadcast_reminders.delay().get(timeout=TASK_TIMEOUT) == 0
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(user=shopper, kind="broadcast_reminder").count() == 1
    reminders = gql_as(shopper).data("""{ myBroadcastReminders { subject sentAt
      broadcast { title } } }""")["myBroadcastReminders"]
    assert len(reminders) == 1
    assert "渑池柿饼专场" in reminders[0]["subject"]


def test_reminder_waits_until_the_lead_time(broadcast, shopper, settings):
    services.subscribe(broadcast, shopper)
    Broadcast.objects.filter(pk=broadcast.pk).update(
        starts_at=timezone.now() + timedelta(hours=3), ends_at=timezone.now() + timedelta(hours=4))
    assert services.send_due_reminders() == 0
    assert services.send_due_reminders(now=timezone.now() + timedelta(hours=2, minutes=40)) == 1


def _sell(broadcast, item, variant, shipping, other_coop, product_type, category, channel):
    services.start_broadcast(broadcast)
    for i, quantity in enumerate([2, 1, 2]):
        order = shop_services.complete_checkout(broadcast_checkout(
            broadcast, variant, shipping, quantity=quantity, email=f"fan{i}@example.com").token)
    shop_services.cancel_order(order, reason="买错了")  # not counted
    services.end_broadcast(broadcast, viewer_count=150)
    shop_services.complete_checkout(broadcast_checkout(broadcast, variant, shipping,
                                                       email="late@example.com").token)


def test_review_figures_and_exports(gql_as, host_user, shopper, operator_user, broadcast, item,
                                    variant, shipping, other_coop, product_type, category,
                                    channel):
    _sell(broadcast, item, variant, shipping, other_coop, product_type, category, channel)
    query = """query($id: ID!) { broadcast(id: $id) { status review {
      gmv { amount } orders units buyers refunds postLive { gmv { amount } orders units }
      viewerCount conversionPercent topProducts { productName units amount { amount } }
      salesPerCooperative { name units amount { amount } } previousBroadcasts { title }
      salesCsvUrl salesXlsxUrl } } }"""
    review = gql_as(host_user).data(query, {"id": gid("Broadcast", broadcast.pk)})["broadcast"][
        "review"]
    assert review["gmv"]["amount"] == 89.7  # 3 units at 29.90; the cancelled order is out
    assert (review["orders"], review["units"], review["buyers"]) == (2, 3, 2)
    assert review["postLive"] == {"gmv": {"amount": 39.9}, "orders": 1, "units": 1}
    assert review["conversionPercent"] == pytest.approx(1.33)
    assert review["topProducts"][0]["units"] == 3
    assert review["salesPerCooperative"] == [
        {"name": "渑池县果园柿饼专业合作社", "units": 3, "amount": {"amount": 89.7}}]
    assert gql_as(shopper).data(query, {"id": gid("Broadcast", broadcast.pk)})["broadcast"][
        "review"] is None

    client = Client()
    client.force_login(host_user)
    response = client.get(f"/live/broadcasts/{broadcast.pk}/sales.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4  # header + every attributed line (cancelled shown with status)
    with override("zh-hans"):  # Chinese once the catalogue has the msgids merged
        assert {r[2] for r in rows[1:]} == {_("Live"), _("Post-live")}
        assert rows[0][0] == _("Order number")
    response = client.get(f"/live/broadcasts/{broadcast.pk}/sales.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 5
    assert sheet.cell(row=1, column=1).value == rows[0][0]
    shopper_client = Client()
    shopper_client.force_login(shopper)
    assert shopper_client.get(f"/live/broadcasts/{broadcast.pk}/sales.csv").status_code == 403


def test_review_compares_with_host_history(host, studio, broadcast, item, variant, shipping,
                                           other_coop, product_type, category, channel):
    _sell(broadcast, item, variant, shipping, other_coop, product_type, category, channel)
    services.complete_review(broadcast, review_notes="柿饼讲解时间太长")
    later_start = timezone.now() + timedelta(days=1)
    later = services.create_broadcast(host=host, venue=studio, title="第二场",
                                      starts_at=later_start,
                                      ends_at=later_start + timedelta(hours=1), platform="douyin")
    Broadcast.objects.filter(pk=later.pk).update(status="ended")
    later.refresh_from_db()
    review = services.broadcast_review(later)
    assert [h["broadcast"].pk for h in review["previous"]] == [broadcast.pk]
    assert review["previous_average_gmv"] == Decimal("89.70")
    assert review["gmv_vs_previous_average"] == Decimal("0.00")


def test_public_schedule_page_in_chinese(client, broadcast, item):
    response = client.get("/live/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="zh-hans"' in page
    assert "渑池柿饼专场" in page and "柿饼小王" in page and "电商中心1号直播间" in page
    assert "¥29.90" in page and "¥39.90" in page
    with override("zh-hans"):
        assert _("Live sales schedule") in page and _("Douyin") in page
