"""An account registered by mobile number has no e-mail address, and is still told what it
must know: a notice to it is recorded and texted to its verified number (nothing e-mailed,
nothing failing), and a recall reaches such a buyer and such a member of the producer by
text message, each once. Texts go to the SMS stand-in."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from shop.models import Membership, Notification, User
from shop.notifications import notify
from supplychain import services
from supplychain.services.recalls import notify_recall
from tests.factories import make_paid_order
from tests.sms_api import FakeSmsApi

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_api(settings):
    api = FakeSmsApi()
    api.configure(settings, {"account_notice": "SMS_490010", "recall": "SMS_490011"})
    yield api
    api.close()


def phone_only(number, first_name="小王"):
    user = User(verified_phone=number, phone=number, first_name=first_name)
    user.set_unusable_password()
    user.save()
    return user


def texted(sms_api):
    return [(r["PhoneNumbers"], r["TemplateCode"]) for r in sms_api.requests]


def test_a_notice_to_an_account_without_email_is_texted(sms_api):
    user = phone_only("13700001234")
    assert str(user) == "13700001234" and user.get_full_name() == "小王"
    notify(user, "account_notice", "账户通知", "正文")
    assert Notification.objects.get(user=user).subject == "账户通知"
    assert mail.outbox == []
    assert texted(sms_api) == [("13700001234", "SMS_490010")]
    assert json.loads(sms_api.requests[0]["TemplateParam"])["subject"] == "账户通知"


def test_a_recall_reaches_buyers_and_members_without_email(
        sms_api, packing_run, graded_lot, coop, coop_user, channel, shipping, zh_catalogue):
    buyer = phone_only("13700001234")
    order = make_paid_order(channel, packing_run.variant, shipping, buyer=buyer)
    assert order.user_email == "" and order.user == buyer
    member = phone_only("13700005678", "小李")
    Membership.objects.create(user=member, organization=coop, role=Membership.Role.MEMBER)
    recall = services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                                 reason="霉菌超标", user=coop_user)
    sms_api.requests.clear()
    mail.outbox.clear()
    # The buyer (paid, waiting for the recalled lot) and the producer's two members: each
    # once; a retry tells nobody again.
    assert notify_recall(recall.pk) == 3
    assert notify_recall(recall.pk) == 0
    assert sorted(texted(sms_api)) == [("13700001234", "SMS_490011"),
                                       ("13700005678", "SMS_490011")]
    assert [m.to for m in mail.outbox] == [[coop_user.email]]
    assert set(recall.notices.values_list("email", flat=True)) == {
        coop_user.email, "13700001234", "13700005678"}
    assert Notification.objects.filter(user__in=[buyer, member], kind="recall").count() == 2
