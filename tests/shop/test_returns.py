"""After-sales requests through /graphql/: the buyer (or a guest with the order's token)
asks, the seller approves, receives the goods back or refuses; the refund goes through
Alipay's refund API at the local gateway, once, never beyond what was paid; another
organisation, another shopper and a stranger are refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import Category
from shop import services as shop_services
from shop.models import Notification, Order, OrderEvent, Refund, Stock, User
from shop.returns import ReturnRequest
from shop.services.returns import refund_return_request
from tests.after_sales import DECIDE, REFUSE, REQUEST, pay, photo, ship
from tests.clients import GraphQLClient, refused
from tests.factories import gid, ready_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return User.objects.create_user("buyer@example.com", "a-Strong-pass-123")


@pytest.fixture
def order(channel, variant, shipping, buyer, alipay_gateway):
    """2 x 渑池柿饼 at 39.90 + 8.00 邮政 = 87.80, paid through the gateway."""
    checkout = ready_checkout(channel, variant, shipping, quantity=2, user=buyer)
    return pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway)


def _ask(client, order, input, token=None, files=None):
    variables = {"order": gid("Order", order.pk), "token": token, "input": input}
    if files:
        return client.post_multipart(REQUEST, variables, files)["data"]["orderReturnRequestCreate"]
    return client.data(REQUEST, variables)["orderReturnRequestCreate"]


def _lines(order, quantity=1):
    return [{"orderLineId": gid("OrderLine", line.pk), "quantity": quantity}
            for line in order.lines.all()]


def _decide(client, name, request_id):
    return client.post(DECIDE % name, {"id": request_id})


def test_return_and_refund_from_request_to_refund(order, buyer, coop, coop_user,
                                                  alipay_gateway):
    coop.address, coop.contact_phone = "渑池县仰韶路 8 号", "0398-4812345"
    coop.save()
    ship(order, coop, coop_user)
    shop_services.confirm_receipt(order, user=buyer)
    shopper = GraphQLClient(buyer, language="zh-hans")
    asked = _ask(shopper, order, {"lines": _lines(order), "type": "RETURN_AND_REFUND",
                                  "reason": "NO_REASON", "note": "不想要了"})
    assert asked["errors"] == []
    request = asked["returnRequest"]
    assert request["status"] == "REQUESTED" and request["amount"] == {"amount": 39.9}
    assert request["lines"] == [{"quantity": 1, "orderLine": {"productName": "渑池柿饼"}}]
    assert Notification.objects.filter(organization=coop, kind="return_requested").exists()

    seller = GraphQLClient(coop_user, language="zh-hans")
    approved = _decide(seller, "orderReturnRequestApprove", request["id"])["data"][
        "orderReturnRequestApprove"]
    assert approved["errors"] == []
    assert approved["returnRequest"]["status"] == "AWAITING_RETURN"
    assert "仰韶路 8 号" in approved["returnRequest"]["returnAddress"]
    told = Notification.objects.get(user=buyer, kind="return_approved")
    assert "仰韶路 8 号" in told.body and str(order.number) in told.subject
    assert alipay_gateway.refunds == {}  # nothing refunded before the goods are back

    received = _decide(seller, "orderReturnRequestMarkAsReceived", request["id"])["data"][
        "orderReturnRequestMarkAsReceived"]
    assert received["errors"] == []
    assert received["returnRequest"]["status"] == "REFUNDED"
    assert received["returnRequest"]["refund"] == {"status": "SUCCESS"}
    order.refresh_from_db()
    assert order.total_refunded_amount == Decimal("39.90")
    assert order.status == Order.Status.DELIVERED  # a partial refund
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("39.90")]

    # Approving again refunds nothing more.
    again = _decide(seller, "orderReturnRequestApprove", request["id"])["data"][
        "orderReturnRequestApprove"]
    assert again["errors"][0]["code"] == "INVALID"
    assert len(alipay_gateway.refunds) == 1
    # The buyer reads the request on the order.
    mine = shopper.data("""query($id: ID!) { order(id: $id) { returnRequests {
        status statusDisplay amount { amount } } } }""", {"id": gid("Order", order.pk)})
    assert mine["order"]["returnRequests"] == [
        {"status": "REFUNDED", "statusDisplay": "已退款", "amount": {"amount": 39.9}}]


def test_refund_only_needs_a_photo_and_refunds_at_once(order, buyer, coop, coop_user,
                                                     alipay_gateway):
    ship(order, coop, coop_user)
    shopper = GraphQLClient(buyer)
    input = {"lines": _lines(order, 2), "type": "REFUND_ONLY", "reason": "DAMAGED",
             "note": "two of them were crushed"}
    without = _ask(shopper, order, input)
    assert [(e["field"], e["code"]) for e in without["errors"]] == [("photos", "REQUIRED")]

    input["photos"] = [None]
    asked = _ask(shopper, order, input, files={"input.photos.0": photo()})
    assert asked["errors"] == []
    assert asked["returnRequest"]["amount"] == {"amount": 79.8}
    assert len(asked["returnRequest"]["photoUrls"]) == 1
    approved = _decide(GraphQLClient(coop_user), "orderReturnRequestApprove",
                       asked["returnRequest"]["id"])["data"]["orderReturnRequestApprove"]
    assert approved["errors"] == []
    assert approved["returnRequest"]["status"] == "REFUNDED"
    order.refresh_from_db()
    assert order.total_refunded_amount == Decimal("79.80")
    request = ReturnRequest.objects.get()
    assert list(alipay_gateway.refunds) == [request.refund_key]


def test_refusal_with_a_reason_reaches_the_buyer_and_frees_the_units(
        order, buyer, coop, coop_user, alipay_gateway):
    ship(order, coop, coop_user)
    shopper = GraphQLClient(buyer)
    input = {"lines": _lines(order, 2), "type": "RETURN_AND_REFUND", "reason": "QUALITY"}
    first = _ask(shopper, order, input)["returnRequest"]
    second = _ask(shopper, order, input)
    assert second["errors"][0]["code"] == "UNIQUE"  # one open request per seller

    seller = GraphQLClient(coop_user)
    empty = seller.data(REFUSE, {"id": first["id"], "reason": "  "})["orderReturnRequestRefuse"]
    assert empty["errors"][0]["field"] == "reason"
    why = "商品完好，照片看不出问题"
    done = seller.data(REFUSE, {"id": first["id"], "reason": why})["orderReturnRequestRefuse"]
    assert done["returnRequest"] == {"status": "REFUSED", "refusalReason": why}
    assert "商品完好" in Notification.objects.get(user=buyer, kind="return_refused").body
    assert alipay_gateway.refunds == {}
    # The refused units may be asked about again.
    assert _ask(shopper, order, input)["errors"] == []


def test_another_organisation_another_shopper_and_strangers_are_refused(
        order, buyer, coop, coop_user, other_coop_user, alipay_gateway):
    ship(order, coop, coop_user)
    input = {"lines": _lines(order), "type": "RETURN_AND_REFUND", "reason": "NO_REASON"}
    someone = User.objects.create_user("someone@example.com", "a-Strong-pass-123")
    variables = {"order": gid("Order", order.pk), "input": input}
    assert refused(GraphQLClient(someone).post(REQUEST, variables))
    assert refused(GraphQLClient().post(REQUEST, variables))
    assert refused(GraphQLClient().post(REQUEST, dict(variables, token=str(order.checkout_token))))
    assert not ReturnRequest.objects.exists()

    request_id = _ask(GraphQLClient(buyer), order, input)["returnRequest"]["id"]
    for name in ("orderReturnRequestApprove", "orderReturnRequestMarkAsReceived"):
        assert refused(_decide(GraphQLClient(other_coop_user), name, request_id))
        assert refused(_decide(GraphQLClient(buyer), name, request_id))
        assert refused(_decide(GraphQLClient(), name, request_id))
    assert refused(GraphQLClient(other_coop_user).post(REFUSE, {"id": request_id,
                                                                "reason": "不行"}))
    # Another organisation does not read it either.
    query = """query($id: ID!) { node(id: $id) { ... on OrderReturnRequest { status } } }"""
    assert GraphQLClient(other_coop_user).data(query, {"id": request_id})["node"] is None
    assert GraphQLClient(coop_user).data(query, {"id": request_id})["node"] == {
        "status": "REQUESTED"}
    assert ReturnRequest.objects.get().status == "requested"
    assert alipay_gateway.refunds == {}


def test_a_guest_asks_with_the_orders_token(channel, variant, shipping, coop, coop_user,
                                            alipay_gateway):
    checkout = ready_checkout(channel, variant, shipping, quantity=1, email="guest@example.com")
    order = pay(shop_services.complete_checkout(checkout.token, None), alipay_gateway)
    ship(order, coop, coop_user)
    input = {"lines": _lines(order), "type": "RETURN_AND_REFUND", "reason": "NOT_AS_DESCRIBED"}
    wrong = GraphQLClient().post(REQUEST, {"order": gid("Order", order.pk), "input": input,
                                           "token": "6f1c1d1e-0000-4000-8000-000000000000"})
    assert refused(wrong)
    asked = _ask(GraphQLClient(), order, input, token=str(order.checkout_token))
    assert asked["errors"] == [] and asked["returnRequest"]["status"] == "REQUESTED"
    # The guest's notices go to the order's address.
    request = ReturnRequest.objects.get()
    _decide(GraphQLClient(coop_user), "orderReturnRequestApprove", gid("OrderReturnRequest",
                                                                        request.pk))
    assert OrderEvent.objects.filter(order=order, parameters__kind="return_approved").exists()


def test_what_cannot_be_asked(order, buyer, coop, coop_user, channel, variant, shipping,
                              alipay_gateway, settings):
    shopper = GraphQLClient(buyer)
    # Before shipping a refund only, "no longer wanted", of units not shipped.
    sent_back = _ask(shopper, order, {"lines": _lines(order, 1), "type": "RETURN_AND_REFUND",
                                      "reason": "NOT_WANTED"})
    assert [(e["field"], e["code"]) for e in sent_back["errors"]] == [("type", "INVALID")]
    a_problem = _ask(shopper, order, {"lines": _lines(order, 1), "type": "REFUND_ONLY",
                                      "reason": "QUALITY"})
    assert [(e["field"], e["code"]) for e in a_problem["errors"]] == [("reason", "INVALID")]
    ship(order, coop, coop_user)
    nothing_unshipped = _ask(shopper, order, {"lines": _lines(order, 1), "type": "REFUND_ONLY",
                                              "reason": "NOT_WANTED"})
    assert nothing_unshipped["errors"][0]["code"] == "INVALID_QUANTITY"
    too_many = _ask(shopper, order, {"lines": _lines(order, 3), "type": "RETURN_AND_REFUND",
                                     "reason": "NO_REASON"})
    assert [(e["field"], e["code"]) for e in too_many["errors"]] == [
        ("quantity", "INVALID_QUANTITY")]
    no_reason_kept = _ask(shopper, order, {"lines": _lines(order), "type": "REFUND_ONLY",
                                           "reason": "NO_REASON"}, files=None)
    assert no_reason_kept["errors"][0]["field"] == "type"
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")
    not_a_photo = _ask(shopper, order, {"lines": _lines(order), "type": "REFUND_ONLY",
                                        "reason": "DAMAGED", "photos": [None]},
                       files={"input.photos.0": fake})
    assert [(e["field"], e["code"]) for e in not_a_photo["errors"]] == [("photos", "INVALID")]
    # Seven days after delivery the window has closed.
    shop_services.confirm_receipt(order, user=buyer)
    OrderEvent.objects.filter(order=order, type=OrderEvent.Type.DELIVERED).update(
        date=timezone.now() - timedelta(days=settings.RETURN_WINDOW_DAYS, minutes=1))
    late = _ask(shopper, order, {"lines": _lines(order), "type": "RETURN_AND_REFUND",
                                 "reason": "NO_REASON"})
    assert late["errors"][0]["code"] == "INVALID" and "7" in late["errors"][0]["message"]
    # An unpaid order has nothing to refund.
    checkout = ready_checkout(channel, variant, shipping, quantity=1, user=buyer)
    unpaid = shop_services.complete_checkout(checkout.token, buyer)
    answer = _ask(shopper, unpaid, {"lines": _lines(unpaid), "type": "REFUND_ONLY",
                                    "reason": "NOT_WANTED"})
    assert answer["errors"][0]["code"] == "CANNOT_REFUND"
    assert not ReturnRequest.objects.exists()


def test_fresh_produce_is_refund_only_for_a_problem(order, buyer, coop, coop_user, variant,
                                                   alipay_gateway):
    fresh = Category.objects.create(name="新鲜水果", slug="fresh-fruit")
    variant.product.category.parent = fresh
    variant.product.category.save()
    ship(order, coop, coop_user)
    shopper = GraphQLClient(buyer)
    for type_, reason in (("RETURN_AND_REFUND", "QUALITY"), ("REFUND_ONLY", "NO_REASON")):
        answer = _ask(shopper, order, {"lines": _lines(order), "type": type_, "reason": reason,
                                       "photos": [None]}, files={"input.photos.0": photo()})
        assert answer["errors"][0]["field"] == "type", answer
        assert "渑池柿饼" in answer["errors"][0]["message"]
    spoiled = _ask(shopper, order, {"lines": _lines(order), "type": "REFUND_ONLY",
                                    "reason": "DAMAGED", "photos": [None]},
                   files={"input.photos.0": photo()})
    assert spoiled["errors"] == []


def test_before_shipping_the_whole_order_is_refunded_and_its_stock_released(
        order, buyer, coop_user, variant, alipay_gateway):
    stock = Stock.objects.get(product_variant=variant)
    assert stock.quantity_allocated == 2
    asked = _ask(GraphQLClient(buyer), order, {"lines": _lines(order, 2), "type": "REFUND_ONLY",
                                               "reason": "NOT_WANTED"})
    assert asked["errors"] == [] and asked["returnRequest"]["amount"] == {"amount": 87.8}
    approved = _decide(GraphQLClient(coop_user), "orderReturnRequestApprove",
                       asked["returnRequest"]["id"])["data"]["orderReturnRequestApprove"]
    assert approved["order"]["pavilionStatus"] == "REFUNDED"
    order.refresh_from_db()
    assert order.total_refunded_amount == Decimal("87.80")
    stock.refresh_from_db()
    assert stock.quantity_allocated == 0


def test_a_failed_refund_is_retried_under_the_same_number_and_refunds_once(
        order, buyer, coop, coop_user, alipay_gateway, settings):
    ship(order, coop, coop_user)
    asked = _ask(GraphQLClient(buyer), order, {"lines": _lines(order), "type": "REFUND_ONLY",
                                               "reason": "QUALITY", "photos": [None]},
                 files={"input.photos.0": photo()})
    request_id = asked["returnRequest"]["id"]
    seller = GraphQLClient(coop_user)
    gateway_url = settings.ALIPAY_GATEWAY_URL
    settings.ALIPAY_GATEWAY_URL = "http://127.0.0.1:9/gateway.do"  # Alipay unreachable
    first = _decide(seller, "orderReturnRequestApprove", request_id)["data"][
        "orderReturnRequestApprove"]
    assert first["returnRequest"]["status"] == "REFUNDING"
    assert first["returnRequest"]["refund"] == {"status": "FAILED"}
    settings.ALIPAY_GATEWAY_URL = gateway_url
    retried = _decide(seller, "orderReturnRequestApprove", request_id)["data"][
        "orderReturnRequestApprove"]
    assert retried["returnRequest"]["status"] == "REFUNDED"
    request = ReturnRequest.objects.get()
    # The retry of a task, or a second call, changes nothing more.
    shop_services.refund_order(order, request.amount, "again", out_request_no=request.refund_key)
    refund_return_request(request)
    assert list(Refund.objects.values_list("out_request_no", "status")) == [
        (request.refund_key, "success")]
    assert list(alipay_gateway.refunds) == [request.refund_key]
    order.refresh_from_db()
    assert order.total_refunded_amount == Decimal("39.90")


def test_a_refund_never_exceeds_what_is_left_of_the_payment(order, buyer, coop, coop_user,
                                                           operator_user, alipay_gateway):
    ship(order, coop, coop_user)
    asked = _ask(GraphQLClient(buyer), order, {"lines": _lines(order, 2),
                                               "type": "RETURN_AND_REFUND", "reason": "QUALITY"})
    seller = GraphQLClient(coop_user)
    _decide(seller, "orderReturnRequestApprove", asked["returnRequest"]["id"])
    # Staff refunded most of the order meanwhile.
    shop_services.refund_order(order, Decimal("80.00"), "客服补偿", user=operator_user)
    received = _decide(seller, "orderReturnRequestMarkAsReceived", asked["returnRequest"]["id"])[
        "data"]["orderReturnRequestMarkAsReceived"]
    assert received["errors"][0]["code"] == "CANNOT_REFUND"
    order.refresh_from_db()
    assert order.total_refunded_amount == Decimal("80.00")
    assert sum(r["amount"] for r in alipay_gateway.refunds.values()) == Decimal("80.00")


def test_one_request_per_seller_of_a_shared_order(two_seller_order, coop, other_coop,
                                                  coop_user, other_coop_user):
    order = two_seller_order
    Order.objects.filter(pk=order.pk).update(total_charged_amount=order.total_amount)
    order.refresh_from_db()
    ship(order, coop, coop_user)
    ship(order, other_coop, other_coop_user)
    shopper = GraphQLClient(order.shopper)
    both = _ask(shopper, order, {"lines": _lines(order), "type": "RETURN_AND_REFUND",
                                 "reason": "QUALITY"})
    assert both["errors"][0]["field"] == "lines"
    millet = order.lines.get(organization=other_coop)
    asked = _ask(shopper, order, {"lines": [{"orderLineId": gid("OrderLine", millet.pk),
                                             "quantity": 1}],
                                  "type": "RETURN_AND_REFUND", "reason": "QUALITY"})
    assert asked["errors"] == []
    # Each seller sees only its own requests on the order.
    query = """query($id: ID!) { order(id: $id) { returnRequests { seller { name } } } }"""
    variables = {"id": gid("Order", order.pk)}
    assert GraphQLClient(coop_user).data(query, variables)["order"]["returnRequests"] == []
    assert len(GraphQLClient(other_coop_user).data(query, variables)["order"][
        "returnRequests"]) == 1
    assert refused(_decide(GraphQLClient(coop_user), "orderReturnRequestApprove",
                           asked["returnRequest"]["id"]))


TRACKING = """mutation($id: ID!, $token: UUID, $carrier: String!, $number: String!) {
  orderReturnRequestUpdateTracking(id: $id, token: $token,
                                   input: {carrier: $carrier, trackingNumber: $number}) {
    returnRequest { status returnCarrier returnTrackingNumber }
    errors { field code message } } }"""


def test_the_buyer_says_how_the_goods_went_back(channel, variant, shipping, coop, coop_user,
                                                other_coop_user, alipay_gateway):
    checkout = ready_checkout(channel, variant, shipping, quantity=1, email="guest@example.com")
    order = ship(pay(shop_services.complete_checkout(checkout.token, None), alipay_gateway),
                 coop, coop_user)
    token = str(order.checkout_token)
    asked = _ask(GraphQLClient(), order, {"lines": _lines(order), "type": "RETURN_AND_REFUND",
                                          "reason": "QUALITY"}, token=token)
    variables = {"id": asked["returnRequest"]["id"], "token": token, "carrier": "中国邮政",
                 "number": "EMS9876543210CN"}
    early = GraphQLClient().data(TRACKING, variables)["orderReturnRequestUpdateTracking"]
    assert early["errors"][0]["code"] == "INVALID"  # the seller has not asked for them yet
    _decide(GraphQLClient(coop_user), "orderReturnRequestApprove", asked["returnRequest"]["id"])

    assert refused(GraphQLClient().post(TRACKING, dict(variables, token=None)))
    assert refused(GraphQLClient(other_coop_user).post(TRACKING, dict(variables, token=None)))
    blank = GraphQLClient().data(TRACKING, dict(variables, number=" "))[
        "orderReturnRequestUpdateTracking"]
    assert [(e["field"], e["code"]) for e in blank["errors"]] == [("trackingNumber", "REQUIRED")]
    sent = GraphQLClient().data(TRACKING, variables)["orderReturnRequestUpdateTracking"]
    assert sent["returnRequest"] == {"status": "AWAITING_RETURN", "returnCarrier": "中国邮政",
                                     "returnTrackingNumber": "EMS9876543210CN"}
    told = Notification.objects.get(organization=coop, kind="return_sent")
    assert "EMS9876543210CN" in told.body
