"""The brand's background work: closing notice periods (granting when no objection is
open), expiry reminders (each once) and automatic expiry; on a real Redis and Celery worker
where it matters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from brand import services, tasks
from brand.models import (
    ExpiryReminder,
    Licence,
    LicenceApplication,
    LicenceEvent,
    PublicNotice,
)
from shop.models import Notification
from tests.background import TASK_TIMEOUT
from tests.factories import end_notice, granted, in_notice


@pytest.mark.django_db(transaction=True)
def test_closing_notice_periods_on_a_real_worker(celery_worker, brand, coop, coop_user,
                                                 authority_user, persimmon, other_coop,
                                                 other_coop_user, category):
    quiet = in_notice(brand, coop, coop_user, authority_user, products=[persimmon])
    disputed = in_notice(brand, other_coop, other_coop_user, authority_user,
                         categories=[category])
    still_open = PublicNotice.objects.get(application=quiet)
    assert tasks.close_notice_periods.delay().get(timeout=TASK_TIMEOUT) == {
        "closed": 0, "granted": 0, "waiting": 0}
    services.lodge_objection(PublicNotice.objects.get(application=disputed), name="赵六",
                             contact="137", reason="基地不在本县")
    end_notice(quiet)
    end_notice(disputed)
    outcome = tasks.close_notice_periods.delay().get(timeout=TASK_TIMEOUT)
    assert outcome == {"closed": 1, "granted": 1, "waiting": 1}
    licence = Licence.objects.get()
    assert licence.licensee == coop and licence.status == Licence.Status.ACTIVE
    assert licence.granted_by == authority_user  # the approver
    still_open.refresh_from_db()
    assert still_open.status == PublicNotice.Status.CLOSED
    disputed.refresh_from_db()
    assert disputed.status == LicenceApplication.Status.PUBLIC_NOTICE
    # Running again (a retry, the next beat) changes nothing.
    assert tasks.close_notice_periods.delay().get(timeout=TASK_TIMEOUT) == {
        "closed": 0, "granted": 0, "waiting": 1}
    assert Licence.objects.count() == 1


@pytest.mark.django_db
def test_expiry_reminders_are_sent_once_each(brand, coop, coop_user, authority_user,
                                             persimmon):
    licence = granted(brand, coop, coop_user, authority_user, products=[persimmon])
    until = licence.valid_until
    assert services.send_expiry_reminders(until - timedelta(days=61)) == 0
    assert services.send_expiry_reminders(until - timedelta(days=60)) == 1
    assert services.send_expiry_reminders(until - timedelta(days=45)) == 0
    assert services.send_expiry_reminders(until - timedelta(days=30)) == 1
    assert services.send_expiry_reminders(until - timedelta(days=29)) == 0
    assert services.send_expiry_reminders(until - timedelta(days=5)) == 1
    assert services.send_expiry_reminders(until - timedelta(days=1)) == 0
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30, 60]
    reminders = Notification.objects.filter(organization=coop, kind="licence_expiring")
    assert reminders.count() == 3
    assert licence.events.filter(type=LicenceEvent.Type.EXPIRY_REMINDER).count() == 3


@pytest.mark.django_db
def test_licences_expire_automatically(gql, brand, coop, coop_user, authority_user,
                                       persimmon):
    licence = granted(brand, coop, coop_user, authority_user, products=[persimmon])
    today = timezone.localdate()
    Licence.objects.filter(pk=licence.pk).update(valid_from=today - timedelta(days=1095),
                                                 valid_until=today - timedelta(days=1))
    assert tasks.expire_licences.delay().get() == 1
    assert tasks.expire_licences.delay().get() == 0
    licence.refresh_from_db()
    assert licence.status == Licence.Status.EXPIRED
    assert licence.events.filter(type=LicenceEvent.Type.EXPIRED, user=None).count() == 1
    assert Notification.objects.filter(organization=coop, kind="licence_expired").count() == 1
