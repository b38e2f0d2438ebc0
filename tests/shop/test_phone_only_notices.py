"""An account registered by mobile number has no e-mail address, and is still told what it
must know: a notice to it is recorded and texted to its verified number (nothing e-mailed,
nothing failing), and a recall reaches such a buyer and such a member of the producer by
text message, each once. Texts go to the SMS stand-in."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from shop.models import Membership, Notification, Order, User
from shop.notifications import notify
from shop.tasks import send_order_notification
from supplychain import services
from supplychain.services.recalls import notify_recall
from tests.clients import GraphQLClient
from tests.factories import ADDRESS, gid, make_paid_order
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


CREATE = """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { id email } errors { field code } } }"""
SHIP = """mutation($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) { errors { code } } }"""
CHOOSE = """mutation($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) { errors { code } } }"""
COMPLETE = """mutation($id: ID!) { checkoutComplete(id: $id) {
  order { number userEmail } errors { field code } } }"""


def test_a_buyer_without_email_orders_through_the_api_and_is_texted(sms_api, settings,
                                                                   variant, shipping):
    settings.SMS_TEMPLATES = {**settings.SMS_TEMPLATES, "order_placed": "SMS_490012"}
    buyer = phone_only("13700001234")
    gql = GraphQLClient(buyer, language="zh-hans")
    created = gql.data(CREATE, {"input": {"channel": "default", "lines": [
        {"variantId": gid("ProductVariant", variant.pk), "quantity": 1}]}})["checkoutCreate"]
    assert created["errors"] == [] and created["checkout"]["email"] is None
    checkout = created["checkout"]["id"]
    assert gql.data(SHIP, {"id": checkout, "address": {**ADDRESS, "phone": "13700001234"}})[
        "checkoutShippingAddressUpdate"]["errors"] == []
    assert gql.data(CHOOSE, {"id": checkout, "method": gid("ShippingMethod",
                                                           shipping["post"].pk)})[
        "checkoutDeliveryMethodUpdate"]["errors"] == []
    done = gql.data(COMPLETE, {"id": checkout})["checkoutComplete"]
    assert done["errors"] == [] and done["order"]["userEmail"] == ""
    order = Order.objects.get(number=done["order"]["number"])
    assert order.user == buyer

    mail.outbox.clear()
    sms_api.requests.clear()
    assert send_order_notification(order.pk, "order_placed")
    assert mail.outbox == []
    assert texted(sms_api) == [("13700001234", "SMS_490012")]
    assert Notification.objects.filter(user=buyer, kind="order_placed").exists()

    # A guest still gives an e-mail address.
    guest = GraphQLClient(language="zh-hans")
    guest_checkout = guest.data(CREATE, {"input": {"channel": "default", "lines": [
        {"variantId": gid("ProductVariant", variant.pk), "quantity": 1}]}})[
        "checkoutCreate"]["checkout"]["id"]
    guest.data(SHIP, {"id": guest_checkout, "address": ADDRESS})
    guest.data(CHOOSE, {"id": guest_checkout, "method": gid("ShippingMethod",
                                                            shipping["post"].pk)})
    refused = guest.data(COMPLETE, {"id": guest_checkout})["checkoutComplete"]
    assert refused["order"] is None
    assert refused["errors"] == [{"field": "email", "code": "EMAIL_NOT_SET"}]
