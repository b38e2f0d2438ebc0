"""SMS through Alibaba Cloud's official SDK against a local stand-in of its API: the
shipping notice and a recall notice are texted to the mobile number on the buyer's order
(signed request, signature, template and its variables); kinds without a template, an
order without a mobile number or missing keys send nothing; a refusal is logged while the
e-mail still goes out."""

import json

import pytest
from django.core import mail

from shop import services as shop_services
from shop import sms
from shop.models import Address, Order
from shop.tasks import send_order_notification
from supplychain import services as chain
from tests.factories import SERVICE_ADDRESS
from tests.sms_api import FakeSmsApi

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_api(settings):
    api = FakeSmsApi()
    api.configure(settings, {"order_shipped": "SMS_480001", "recall": "SMS_480002"})
    yield api
    api.close()


@pytest.fixture
def shipped_order(packing_run, channel, shipping, coop, coop_user):
    checkout = shop_services.create_checkout(
        "default", email="buyer@example.com", shipping_address=SERVICE_ADDRESS,
        lines=[{"variant_id": packing_run.variant_id, "quantity": 2}])
    shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)
    order = shop_services.complete_checkout(checkout.token)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    codes = list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True)[:2])
    fulfilment, _shipped = chain.fulfill_with_codes(
        order, coop, [{"order_line_id": order.lines.get().pk, "codes": codes}], carrier="顺丰",
        tracking_number="SF1234567890", user=coop_user)
    order.refresh_from_db()
    return order, fulfilment


def test_shipping_notice_is_texted_to_the_order_mobile(sms_api, shipped_order):
    order, fulfilment = shipped_order
    mail.outbox.clear()
    assert send_order_notification(order.pk, f"order_shipped:{fulfilment.pk}")
    assert len(sms_api.requests) == 1
    params = sms_api.requests[0]
    assert params["PhoneNumbers"] == "13812345678"
    assert params["SignName"] == "县域特色馆" and params["TemplateCode"] == "SMS_480001"
    variables = json.loads(params["TemplateParam"])
    assert variables["number"] == str(order.number) and len(variables["subject"]) <= 35
    # Signed with the AccessKey, as the SDK does for Alibaba Cloud.
    headers = sms_api.headers[0]
    assert "LTAI5tTestKeyId" in headers.get("Authorization", "") + json.dumps(params)
    assert len(mail.outbox) == 1  # the e-mail still goes out

    # A kind without a template (paid) is not texted.
    send_order_notification(order.pk, "order_paid")
    assert len(sms_api.requests) == 1


def test_recall_is_texted_to_affected_buyers(sms_api, shipped_order, coop, graded_lot,
                                            coop_user):
    recall = chain.recall_lot(coop, graded_lot=graded_lot, level="level_2", reason="霉变",
                              user=coop_user)
    chain.notify_recall(recall.pk)
    texted = [r for r in sms_api.requests if r["TemplateCode"] == "SMS_480002"]
    assert [p["PhoneNumbers"] for p in texted] == ["13812345678"]  # the buyer, not the members
    assert json.loads(texted[0]["TemplateParam"])["number"] == str(recall.pk)


def test_refusals_and_missing_numbers_send_nothing_and_break_nothing(sms_api, shipped_order,
                                                                     settings, caplog):
    order, fulfilment = shipped_order
    sms_api.code = "isv.BUSINESS_LIMIT_CONTROL"
    mail.outbox.clear()
    assert send_order_notification(order.pk, f"order_shipped:{fulfilment.pk}")
    assert len(sms_api.requests) == 1 and len(mail.outbox) == 1
    assert "isv.BUSINESS_LIMIT_CONTROL" in caplog.text

    Address.objects.filter(pk=order.shipping_address_id).update(phone="0398-4812345")
    assert sms.order_phones(Order.objects.get(pk=order.pk)) == []  # a landline: no SMS
    assert sms.mobile("+86 138-1234-5678") == "13812345678"

    settings.SMS_ACCESS_KEY_ID = ""
    message = sms.SmsBackend()
    assert message.send(type("M", (), {"kind": "order_shipped", "reference": "order:1",
                                       "subject": "x"})()) == 0
    assert len(sms_api.requests) == 1
