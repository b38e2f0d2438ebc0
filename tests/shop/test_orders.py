"""Orders: who sees them, cooperatives ship only their own lines, accounts."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop import services
from shop.models import Order, Stock
from tests.factories import SERVICE_ADDRESS, gid

pytestmark = pytest.mark.django_db

ORDER = """query($id: ID!) { order(id: $id) { number status pavilionStatus
  lines { id productName seller { name } quantityFulfilled }
  fulfillments { trackingNumber carrier seller { name } lines { quantity } }
  events { type user { email } message carrier trackingNumber } } }"""
FULFILL = """mutation($order: ID!, $lines: [OrderFulfillLineInput!]!, $number: String!) {
  orderFulfill(order: $order, input: {lines: $lines, carrier: "顺丰", trackingNumber: $number}) {
    order { status pavilionStatus } fulfillments { trackingNumber } errors { field code message } } }"""


def test_order_visible_to_its_buyer_and_staff_only(gql, gql_as, two_seller_order,
                                                  operator_user):
    from shop.models import User

    variables = {"id": gid("Order", two_seller_order.pk)}
    assert gql_as(two_seller_order.shopper).data(ORDER, variables)["order"]["number"] == str(
        two_seller_order.number)
    staff = gql_as(operator_user).data(ORDER, variables)["order"]
    assert len(staff["lines"]) == 2
    stranger = User.objects.create_user("stranger@example.com", "a-Strong-pass-123")
    assert gql_as(stranger).data(ORDER, variables)["order"] is None
    assert gql.data(ORDER, variables)["order"] is None
    node = 'query($id: ID!) { node(id: $id) { ... on Order { number } } }'
    assert gql_as(stranger).data(node, variables)["node"] is None


def test_each_cooperative_sees_and_ships_only_its_own_lines(
        gql_as, two_seller_order, coop_user, other_coop_user, coop, other_coop, operator_user,
        django_capture_on_commit_callbacks):
    variables = {"id": gid("Order", two_seller_order.pk)}
    seen = gql_as(coop_user).data(ORDER, variables)["order"]
    assert [l["seller"]["name"] for l in seen["lines"]] == [coop.name]
    own_line = two_seller_order.lines.get(organization=coop)
    their_line = two_seller_order.lines.get(organization=other_coop)

    # Shipping the other cooperative's line is refused and changes nothing.
    refused = gql_as(coop_user).post(FULFILL, {
        "order": gid("Order", two_seller_order.pk), "number": "SF1",
        "lines": [{"orderLineId": gid("OrderLine", their_line.pk), "quantity": 1}]})
    assert refused["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    mixed = gql_as(coop_user).data(FULFILL, {
        "order": gid("Order", two_seller_order.pk), "number": "SF1",
        "lines": [{"orderLineId": gid("OrderLine", own_line.pk), "quantity": 1},
                  {"orderLineId": gid("OrderLine", their_line.pk), "quantity": 1}]})["orderFulfill"]
    assert mixed["errors"][0]["code"] == "FULFILL_ORDER_LINE"
    too_many = gql_as(coop_user).data(FULFILL, {
        "order": gid("Order", two_seller_order.pk), "number": "SF1",
        "lines": [{"orderLineId": gid("OrderLine", own_line.pk), "quantity": 3}]})["orderFulfill"]
    assert too_many["errors"][0]["code"] == "FULFILL_ORDER_LINE"
    assert not two_seller_order.fulfillments.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = gql_as(coop_user).data(FULFILL, {
            "order": gid("Order", two_seller_order.pk), "number": "SF1234567890",
            "lines": [{"orderLineId": gid("OrderLine", own_line.pk), "quantity": 2}]}
        )["orderFulfill"]
    assert done["errors"] == []
    assert (done["order"]["status"], done["order"]["pavilionStatus"]) == (
        "PARTIALLY_FULFILLED", "PARTIALLY_SHIPPED")
    stock = Stock.objects.get(product_variant=own_line.variant)
    assert (stock.quantity, stock.quantity_allocated) == (8, 0)

    other = gql_as(other_coop_user).data(ORDER, variables)["order"]
    assert other["fulfillments"] == []  # another seller's package stays private
    gql_as(other_coop_user).data(FULFILL, {
        "order": gid("Order", two_seller_order.pk), "number": "EMS42",
        "lines": [{"orderLineId": gid("OrderLine", their_line.pk), "quantity": 1}]})
    history = gql_as(operator_user).data(ORDER, variables)["order"]
    assert (history["status"], history["pavilionStatus"]) == ("FULFILLED", "SHIPPED")
    shipped = [e for e in history["events"] if e["type"] == "SHIPPED"]
    assert [(e["user"]["email"], e["carrier"], e["trackingNumber"]) for e in shipped] == [
        (coop_user.email, "顺丰", "SF1234567890"), (other_coop_user.email, "顺丰", "EMS42")]
    # The buyer was told by e-mail (through the Celery task, inline here).
    assert [m.to for m in mail.outbox] == [["shopper@example.com"]]
    assert str(two_seller_order.number) in mail.outbox[0].subject
    assert two_seller_order.events.filter(type="notification_sent").count() == 1


def test_unpaid_orders_cannot_ship(gql_as, two_seller_order, coop_user):
    Order.objects.filter(pk=two_seller_order.pk).update(status=Order.Status.UNPAID)
    line = two_seller_order.lines.get(organization__slug="mianchi-persimmon")
    result = gql_as(coop_user).data(FULFILL, {
        "order": gid("Order", two_seller_order.pk), "number": "SF1",
        "lines": [{"orderLineId": gid("OrderLine", line.pk), "quantity": 1}]})["orderFulfill"]
    assert result["errors"][0]["code"] == "CANNOT_FULFILL_UNPAID_ORDER"


ORDERS = """query($first: Int) { orders(first: $first) { totalCount edges { node {
  number status total { gross { amount } } user { email }
  lines { productName seller { name } variant { sku } }
  events { type user { email } } shippingAddress { city } } } } }"""


def test_orders_list_query_count_does_not_grow(gql_as, channel, persimmon, shipping,
                                               operator_user):
    variant = persimmon.variants.first()

    def place(n):
        for i in range(n):
            checkout = services.create_checkout("default", email=f"o{i}@example.com", lines=[
                {"variant_id": variant.pk, "quantity": 1}], shipping_address=SERVICE_ADDRESS)
            services.update_checkout_delivery_method(checkout, shipping["post"].pk)
            services.complete_checkout(checkout.token)

    client = gql_as(operator_user)

    def count(first):
        with CaptureQueriesContext(connection) as ctx:
            data = client.data(ORDERS, {"first": first})
        return len(ctx.captured_queries), data

    place(2)
    small, data = count(2)
    assert len(data["orders"]["edges"]) == 2
    place(6)
    large, data = count(8)
    assert len(data["orders"]["edges"]) == 8
    assert large == small


def test_shoppers_and_coops_list_only_their_orders(gql_as, two_seller_order, coop_user,
                                                   other_coop_user):
    from shop.models import User

    stranger = User.objects.create_user("s@example.com", "a-Strong-pass-123")
    assert gql_as(stranger).data(ORDERS, {"first": 10})["orders"]["totalCount"] == 0
    mine = gql_as(coop_user).data(ORDERS, {"first": 10})["orders"]["edges"]
    assert [[l["seller"]["name"] for l in e["node"]["lines"]] for e in mine] == [
        ["渑池县果园柿饼专业合作社"]]
    me = """{ me { email orders(first: 5) { edges { node { number } } } } }"""
    data = gql_as(two_seller_order.shopper).data(me)["me"]
    assert [e["node"]["number"] for e in data["orders"]["edges"]] == [
        str(two_seller_order.number)]


def test_account_register_and_password_change(gql, gql_as):
    register = """mutation($input: AccountRegisterInput!) { accountRegister(input: $input) {
      user { email } requiresConfirmation errors { field code message } } }"""
    data = gql.data(register, {"input": {"email": "New@Example.com",
                                         "password": "walnut-Persimmon-88"}})["accountRegister"]
    assert data["errors"] == [] and data["user"]["email"] == "new@example.com"
    again = gql.data(register, {"input": {"email": "new@example.com",
                                          "password": "walnut-Persimmon-88"}})["accountRegister"]
    assert again["errors"][0]["code"] == "UNIQUE"
    weak = gql.data(register, {"input": {"email": "w@example.com", "password": "123"}})
    assert weak["accountRegister"]["errors"][0]["code"] == "INVALID_PASSWORD"

    from shop.models import User

    user = User.objects.get(email="new@example.com")
    change = """mutation($old: String!, $new: String!) {
      passwordChange(oldPassword: $old, newPassword: $new) { user { email } errors { field code } } }"""
    client = gql_as(user)
    wrong = client.data(change, {"old": "nope", "new": "millet-Honey-2024"})["passwordChange"]
    assert wrong["errors"] == [{"field": "oldPassword", "code": "INVALID_CREDENTIALS"}]
    ok = client.data(change, {"old": "walnut-Persimmon-88", "new": "millet-Honey-2024"})
    assert ok["passwordChange"]["errors"] == []
    token = """mutation { tokenCreate(email: "new@example.com", password: "millet-Honey-2024") {
      token errors { code } } }"""
    assert gql.data(token)["tokenCreate"]["token"]
    # The old token stopped working with the password change.
    refused = client.post("{ me { email } }")
    assert refused["errors"] and not (refused.get("data") or {}).get("me")
