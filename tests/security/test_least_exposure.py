"""What each caller sees of what is not theirs: a seller of a shared order, a stranger
holding a signed-in buyer's checkout ID, anyone asking ``node(id:)`` for livestream
records."""

from __future__ import annotations

import pytest
from django.utils import timezone

from livestream.models import Broadcast, Host, Venue
from shop import services
from shop.models import User
from tests.factories import SERVICE_ADDRESS, gid

pytestmark = pytest.mark.django_db

ORDER = """query($id: ID!) { order(id: $id) { userEmail
  lines { productName totalPrice { gross { amount } } }
  subtotal { gross { amount } } total { gross { amount } } shippingPrice { gross { amount } }
  totalCharged { amount } transactions { id } billingAddress { firstName }
  events { type user { email firstName lastName lastLogin } } } }"""


def test_a_seller_sees_its_own_share_of_a_shared_order(gql_as, two_seller_order, coop_user,
                                                       coop):
    User.objects.filter(pk=two_seller_order.shopper.pk).update(last_login=timezone.now())
    variables = {"id": gid("Order", two_seller_order.pk)}
    buyer_view = gql_as(two_seller_order.shopper).data(ORDER, variables)["order"]
    seller_view = gql_as(coop_user).data(ORDER, variables)["order"]

    own = sum(line.total_price_amount for line in two_seller_order.lines.filter(organization=coop))
    assert len(buyer_view["lines"]) == 2 and len(seller_view["lines"]) == 1
    assert seller_view["subtotal"]["gross"]["amount"] == float(own)
    assert seller_view["total"]["gross"]["amount"] == float(own)
    assert seller_view["shippingPrice"]["gross"]["amount"] == 0
    assert buyer_view["total"]["gross"]["amount"] == float(two_seller_order.total_amount) > own
    assert seller_view["userEmail"] is None and buyer_view["userEmail"] == "shopper@example.com"
    assert seller_view["transactions"] == [] and seller_view["billingAddress"] is None

    # The buyer placed the order: the seller sees the event, not who the buyer is.
    placed = [e for e in seller_view["events"] if e["user"] is not None]
    assert all(e["user"]["email"] != "shopper@example.com" for e in placed)
    assert any(e["user"] and e["user"]["email"] == "shopper@example.com"
               for e in buyer_view["events"])
    assert all(e["user"]["lastLogin"] is None for e in placed)


def test_a_stranger_cannot_reach_a_signed_in_buyers_checkout(gql, gql_as, persimmon, shipping,
                                                             channel):
    buyer = User.objects.create_user("buyer@example.com", "a-Strong-pass-123")
    stranger = User.objects.create_user("stranger@example.com", "a-Strong-pass-123")
    checkout = services.create_checkout("default", user=buyer, email="buyer@example.com",
                                        lines=[{"variant_id": persimmon.variants.first().pk,
                                                "quantity": 1}],
                                        shipping_address=SERVICE_ADDRESS)
    services.update_checkout_delivery_method(checkout, shipping["post"].pk)
    checkout_id = gid("Checkout", checkout.token)
    node = 'query($id: ID!) { node(id: $id) { ... on Checkout { email } } }'
    lookup = 'query($id: ID) { checkout(id: $id) { email } }'
    for client in (gql, gql_as(stranger)):
        assert client.data(node, {"id": checkout_id})["node"] is None
        assert client.data(lookup, {"id": checkout_id})["checkout"] is None
    assert gql_as(buyer).data(node, {"id": checkout_id})["node"]["email"] == "buyer@example.com"

    complete = """mutation($id: ID) { checkoutComplete(id: $id) {
      order { userEmail shippingAddress { streetAddress1 } } errors { field code } } }"""
    first = gql_as(buyer).data(complete, {"id": checkout_id})["checkoutComplete"]
    assert first["errors"] == [] and first["order"]["userEmail"] == "buyer@example.com"
    for client in (gql, gql_as(stranger)):
        again = client.data(complete, {"id": checkout_id})["checkoutComplete"]
        assert again["order"] is None
        assert [e["code"] for e in again["errors"]] == ["NOT_FOUND"]
    again = gql_as(buyer).data(complete, {"id": checkout_id})["checkoutComplete"]
    assert again["order"]["userEmail"] == "buyer@example.com"


NODE = """query($id: ID!) { node(id: $id) { __typename ... on LiveHost { displayName }
  ... on LiveVenue { name } ... on LineupItem { position } } }"""


def test_livestream_nodes_show_what_the_public_pages_show(gql, gql_as, item, broadcast, host,
                                                          studio, host_user, operator_user):
    host_id, venue_id = gid("LiveHost", host.pk), gid("LiveVenue", studio.pk)
    item_id = gid("LineupItem", item.pk)
    for node_id in (host_id, venue_id, item_id):
        assert gql.data(NODE, {"id": node_id})["node"] is not None

    Host.objects.filter(pk=host.pk).update(is_active=False)
    Venue.objects.filter(pk=studio.pk).update(is_active=False)
    Broadcast.objects.filter(pk=broadcast.pk).update(status=Broadcast.Status.CANCELLED)
    for node_id in (host_id, venue_id, item_id):
        assert gql.data(NODE, {"id": node_id})["node"] is None
        assert gql_as(operator_user).data(NODE, {"id": node_id})["node"] is not None
    assert gql_as(host_user).data(NODE, {"id": host_id})["node"]["displayName"] == "柿饼小王"
    assert gql_as(host_user).data(NODE, {"id": item_id})["node"] is not None
