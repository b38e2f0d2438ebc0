"""Reminders that last year's usage report is due by 31 March: on 1 and 20 March to the
holders whose report is not in, each once per licence and year (in each member's language),
on a real Redis and Celery worker where a retry or a second beat run must not send twice."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from brand import services, tasks
from brand.models import Licence, UsageReportReminder
from shop.models import Notification
from tests.background import TASK_TIMEOUT
from tests.factories import granted, make_member


def reporting_year(licence) -> int:
    """The year whose report the next March's reminders are about."""
    return licence.valid_from.year


def notices(coop):
    return list(Notification.objects.filter(organization=coop, kind="usage_report_due")
                .order_by("pk").values_list("subject", flat=True))


@pytest.mark.django_db
def test_reminded_on_the_first_and_the_twentieth_of_march_each_once(licence, coop, coop_user):
    year = reporting_year(licence)
    english = make_member(coop, "english@example.com")
    english.language_code = "en"
    english.save(update_fields=["language_code"])
    mail.outbox.clear()
    assert services.send_usage_report_reminders(date(year + 1, 2, 28)) == 0
    assert services.send_usage_report_reminders(date(year + 1, 3, 1)) == 1
    due = f"{year + 1}-03-31"
    assert notices(coop) == [f"授权 {licence.number} 的 {year} 年度品牌使用情况报告请于 {due} "
                             f"前报送"]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        coop_user.email: notices(coop)[0],
        english.email: f"The {year} brand usage report of licence {licence.number} is due by "
                       f"{due}"}
    assert "品牌标识" in Notification.objects.get(kind="usage_report_due").body
    # The same day again, and the days up to the second reminder, send nothing.
    assert services.send_usage_report_reminders(date(year + 1, 3, 1)) == 0
    assert services.send_usage_report_reminders(date(year + 1, 3, 19)) == 0
    assert services.send_usage_report_reminders(date(year + 1, 3, 20)) == 1
    assert services.send_usage_report_reminders(date(year + 1, 3, 31)) == 0
    # From 1 April the report is overdue: brand labels stop (no more reminders here).
    assert services.send_usage_report_reminders(date(year + 1, 4, 1)) == 0
    assert len(notices(coop)) == 2 and len(mail.outbox) == 4
    assert sorted(UsageReportReminder.objects.values_list("year", "days_before")) == [
        (year, 11), (year, 30)]


@pytest.mark.django_db
def test_a_missed_first_reminder_is_not_sent_late_and_reported_licences_are_left_alone(
        brand, licence, coop, coop_user, other_coop, other_coop_user, authority_user,
        category):
    year = reporting_year(licence)
    reported = granted(brand, other_coop, other_coop_user, authority_user,
                       categories=[category])
    services.submit_usage_report(reported, other_coop_user, year=year, volume_sold_kg="10",
                                 sales_amount="300.00", codes_used=0)
    revoked = granted(brand, coop, coop_user, authority_user, categories=[category])
    Licence.objects.filter(pk=revoked.pk).update(status=Licence.Status.REVOKED)
    # The beat did not run until 25 March: only the latest reminder goes, to the one
    # licence whose report is missing.
    assert services.send_usage_report_reminders(date(year + 1, 3, 25)) == 1
    assert list(UsageReportReminder.objects.values_list("licence", "days_before")) == [
        (licence.pk, 11)]
    assert not Notification.objects.filter(organization=other_coop,
                                           kind="usage_report_due").exists()
    # Once the report is in, the later run reminds nobody.
    UsageReportReminder.objects.all().delete()
    services.submit_usage_report(licence, coop_user, year=year, volume_sold_kg="10",
                                 sales_amount="300.00", codes_used=0)
    assert services.send_usage_report_reminders(date(year + 1, 3, 25)) == 0


@pytest.mark.django_db(transaction=True)
def test_the_reminder_task_on_a_real_worker_sends_once_however_often_it_runs(
        celery_worker, licence, coop):
    day = date(reporting_year(licence) + 1, 3, 1).isoformat()
    mail.outbox.clear()
    # Two runs queued together (a retry beside the beat's run), then a third.
    first, second = (tasks.send_usage_report_reminders.delay(day),
                     tasks.send_usage_report_reminders.delay(day))
    assert sorted([first.get(timeout=TASK_TIMEOUT), second.get(timeout=TASK_TIMEOUT)]) == [0, 1]
    assert tasks.send_usage_report_reminders.delay(day).get(timeout=TASK_TIMEOUT) == 0
    assert len(notices(coop)) == 1 and len(mail.outbox) == 1
    assert UsageReportReminder.objects.get().licence_id == licence.pk
