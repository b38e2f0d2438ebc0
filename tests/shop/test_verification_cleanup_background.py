"""Old verification codes are deleted by the beat's hourly task on a real worker (Redis
broker, ``tests/background.py``): codes that expired before the hour the sending limits
look back on go, codes still working or still counted stay, and running it again deletes
nothing more. The limits keep counting what stays: a number that asked for five codes
this hour is still refused a sixth after the cleanup."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from config.celery import app as celery_app
from shop import tasks
from shop.verification import VerificationCode
from tests.background import TASK_TIMEOUT
from tests.clients import GraphQLClient
from tests.sms_api import FakeSmsApi

CODE = """mutation($phone: String!) { requestPhoneCode(phone: $phone) {
  errors { field code } } }"""


def _code(address, minutes_ago, **values):
    asked = timezone.now() - timedelta(minutes=minutes_ago)
    return VerificationCode.objects.create(address=address, created_at=asked,
                                           expires_at=asked + timedelta(minutes=10), **values)


@pytest.mark.django_db(transaction=True)
def test_the_hourly_task_deletes_old_codes_once(celery_worker, settings):
    entry = celery_app.conf.beat_schedule["delete-expired-verification-codes"]
    assert entry["task"] == "shop.tasks.delete_expired_verification_codes"
    old = [_code("13800000001", 24 * 60), _code("13800000002", 90, used_at=timezone.now()),
           _code("a@example.com", 75, attempts=5)]
    # Asked this hour: five for one number (its limit), one still working.
    counted = [_code("13812345678", minutes) for minutes in (55, 45, 35, 25, 15)]
    working = _code("13900000003", 2)

    first = tasks.delete_expired_verification_codes.delay()
    assert first.get(timeout=TASK_TIMEOUT) == len(old)
    again = tasks.delete_expired_verification_codes.delay()
    assert again.get(timeout=TASK_TIMEOUT) == 0
    assert set(VerificationCode.objects.values_list("pk", flat=True)) == {
        row.pk for row in [*counted, working]}

    api = FakeSmsApi()
    try:
        api.configure(settings, {"verification_code": "SMS_490002"})
        with TestCase.captureOnCommitCallbacks(execute=True):
            answer = GraphQLClient(language="zh-hans").data(CODE, {"phone": "13812345678"})
        assert answer["requestPhoneCode"]["errors"] == [
            {"field": "phone", "code": "CODE_THROTTLED"}]
    finally:
        api.close()
