"""The buyer withdraws (撤销) an after-sales request through /graphql/
(``orderReturnRequestCancel``): before the seller answered, or after a return was approved
until the goods went back; the seller is told, the units may be asked about again; later,
or by anyone else, it is refused and nothing changes."""

from __future__ import annotations

import pytest

from shop import services as shop_services
from shop.models import Notification, User
from shop.returns import ReturnRequest
from tests import after_sales
from tests.after_sales import DECIDE, REQUEST, pay, ship
from tests.clients import GraphQLClient, refused
from tests.factories import PASSWORD, gid, ready_checkout

pytestmark = pytest.mark.django_db

buyer, shipped = after_sales.buyer, after_sales.shipped

CANCEL = """mutation($id: ID!, $token: UUID) { orderReturnRequestCancel(id: $id, token: $token) {
  returnRequest { status statusDisplay } order { number }
  errors { field code message } } }"""
TRACKING = """mutation($id: ID!, $token: UUID) {
  orderReturnRequestUpdateTracking(id: $id, token: $token,
                                   input: {carrier: "中国邮政", trackingNumber: "EMS1CN"}) {
    errors { field code message } } }"""


def _ask(client, order, token=None, quantity=2):
    input = {"lines": [{"orderLineId": gid("OrderLine", line.pk), "quantity": quantity}
                       for line in order.lines.all()],
             "type": "RETURN_AND_REFUND", "reason": "QUALITY"}
    answer = client.data(REQUEST, {"order": gid("Order", order.pk), "token": token,
                                   "input": input})["orderReturnRequestCreate"]
    assert answer["errors"] == [], answer
    return answer["returnRequest"]["id"]


def test_the_buyer_withdraws_a_waiting_request_and_may_ask_again(shipped, buyer, coop,
                                                                 coop_user, other_coop_user):
    shopper = GraphQLClient(buyer, language="zh-hans")
    request_id = _ask(shopper, shipped)

    # Nobody else may withdraw it: another shopper, the seller, another cooperative, a
    # stranger.
    someone = User.objects.create_user("someone@example.com", PASSWORD)
    for client in (GraphQLClient(someone), GraphQLClient(coop_user),
                   GraphQLClient(other_coop_user), GraphQLClient()):
        assert refused(client.post(CANCEL, {"id": request_id}))
    assert ReturnRequest.objects.get().status == "requested"

    done = shopper.data(CANCEL, {"id": request_id})["orderReturnRequestCancel"]
    assert done["errors"] == []
    assert done["returnRequest"] == {"status": "WITHDRAWN", "statusDisplay": "买家已撤销"}
    told = Notification.objects.get(organization=coop, kind="return_withdrawn")
    assert str(shipped.number) in told.subject
    # The seller can no longer approve it, the buyer not withdraw it twice.
    approve = GraphQLClient(coop_user).data(DECIDE % "orderReturnRequestApprove",
                                            {"id": request_id})["orderReturnRequestApprove"]
    assert approve["errors"][0]["code"] == "INVALID"
    again = shopper.data(CANCEL, {"id": request_id})["orderReturnRequestCancel"]
    assert again["errors"][0]["code"] == "INVALID"
    # The same units may be asked about again.
    second = _ask(shopper, shipped)
    assert second != request_id
    assert ReturnRequest.objects.filter(status="requested").count() == 1


def test_an_approved_return_until_the_goods_are_sent_back(shipped, buyer, coop_user,
                                                          alipay_gateway):
    shopper, seller = GraphQLClient(buyer, language="zh-hans"), GraphQLClient(coop_user)
    first = _ask(shopper, shipped)
    seller.post(DECIDE % "orderReturnRequestApprove", {"id": first})
    assert ReturnRequest.objects.get().status == "awaiting_return"
    done = shopper.data(CANCEL, {"id": first})["orderReturnRequestCancel"]
    assert done["returnRequest"]["status"] == "WITHDRAWN"

    # Once the buyer has said the parcel is on its way, the seller decides.
    second = _ask(shopper, shipped)
    seller.post(DECIDE % "orderReturnRequestApprove", {"id": second})
    assert shopper.data(TRACKING, {"id": second})["orderReturnRequestUpdateTracking"][
        "errors"] == []
    late = shopper.data(CANCEL, {"id": second})["orderReturnRequestCancel"]
    assert [(e["field"], e["code"]) for e in late["errors"]] == [("id", "INVALID")]
    assert "在寄回途中" in late["errors"][0]["message"]
    assert ReturnRequest.objects.get(pk=ReturnRequest.objects.latest("pk").pk).status == \
        "awaiting_return"
    # A refunded request cannot be withdrawn either.
    seller.post(DECIDE % "orderReturnRequestMarkAsReceived", {"id": second})
    refunded = shopper.data(CANCEL, {"id": second})["orderReturnRequestCancel"]
    assert refunded["errors"][0]["code"] == "INVALID"
    assert len(alipay_gateway.refunds) == 1


def test_a_guest_withdraws_with_the_orders_token(channel, variant, shipping, coop, coop_user,
                                                 alipay_gateway):
    checkout = ready_checkout(channel, variant, shipping, quantity=1, email="guest@example.com")
    order = ship(pay(shop_services.complete_checkout(checkout.token, None), alipay_gateway),
                 coop, coop_user)
    token = str(order.checkout_token)
    request_id = _ask(GraphQLClient(), order, token=token, quantity=1)
    assert refused(GraphQLClient().post(CANCEL, {"id": request_id}))
    assert refused(GraphQLClient().post(CANCEL, {
        "id": request_id, "token": "6f1c1d1e-0000-4000-8000-000000000000"}))
    done = GraphQLClient().data(CANCEL, {"id": request_id, "token": token})
    assert done["orderReturnRequestCancel"]["returnRequest"]["status"] == "WITHDRAWN"
