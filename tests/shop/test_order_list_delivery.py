"""An order list answers every order's ``deliveryMethod`` and ``collectionPointName`` in
a number of queries that does not grow with the list, pick-up orders included."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop import services as shop_services
from shop.services.pickup import save_pickup_point
from tests.clients import GraphQLClient
from tests.factories import make_paid_order, ready_checkout

pytestmark = pytest.mark.django_db

ORDERS = """{ orders(first: 50) { edges { node { number collectionPointName
  deliveryMethod { __typename ... on Warehouse { name } ... on ShippingMethod { name } } } } } }"""


@pytest.fixture
def point(coop):
    return save_pickup_point(coop.warehouses.get(), address="渑池县果园乡果园村 12 号",
                             opening_hours="每天 8:00-18:00", phone="0398-4812345")


def _orders(channel, persimmon, shipping_methods, point, picked_up, posted):
    variant = persimmon.variants.order_by("sku").first()
    for _ in range(picked_up):
        checkout = ready_checkout(channel, variant, {"pickup": point.method}, method="pickup")
        shop_services.complete_checkout(checkout.token, None)
    for _ in range(posted):
        make_paid_order(channel, variant, shipping_methods)


def _listed(client):
    with CaptureQueriesContext(connection) as queries:
        edges = client.data(ORDERS)["orders"]["edges"]
    return [e["node"] for e in edges], len(queries)


def test_pick_up_orders_cost_no_query_each(channel, persimmon, shipping_methods, point,
                                           admin_user):
    client = GraphQLClient(admin_user)
    _orders(channel, persimmon, shipping_methods, point, picked_up=1, posted=1)
    small, few = _listed(client)
    _orders(channel, persimmon, shipping_methods, point, picked_up=5, posted=3)
    large, many = _listed(client)

    assert len(small) == 2 and len(large) == 10
    pick_ups = [o for o in large if o["deliveryMethod"]["__typename"] == "Warehouse"]
    posted = [o for o in large if o["deliveryMethod"]["__typename"] == "ShippingMethod"]
    assert len(pick_ups) == 6 and len(posted) == 4
    assert {o["deliveryMethod"]["name"] for o in pick_ups} == {point.warehouse.name}
    assert {o["collectionPointName"] for o in pick_ups} == {point.method.name}
    assert all(o["collectionPointName"] is None for o in posted)
    assert many == few
