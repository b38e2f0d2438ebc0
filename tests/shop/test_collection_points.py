"""Saleor's click and collect over the pavilion's pick-up points (自提), through the real
/graphql/ view: a checkout of one cooperative's goods lists that cooperative's pick-up
warehouses in ``availableCollectionPoints`` (``clickAndCollectOption: LOCAL``);
``checkoutDeliveryMethodUpdate(deliveryMethodId: <Warehouse ID>)`` chooses the point as
the storefront does (its free shipping method), ``deliveryMethod`` answers the Warehouse,
and the order keeps where and when to collect. Refusals: a warehouse that is no pick-up
point, a point that does not hand over the cart's goods, a checkout without an address."""

from __future__ import annotations

import pytest

from shop import services as shop_services
from shop.models import Order, Warehouse
from shop.services.pickup import save_pickup_point
from tests.clients import GraphQLClient
from tests.factories import SERVICE_ADDRESS, gid, make_product

pytestmark = pytest.mark.django_db

POINTS = """query($id: ID!) { checkout(id: $id) {
  availableCollectionPoints { id name slug isPrivate clickAndCollectOption openingHours
    address { id companyName streetAddress1 cityArea phone country { code } } } } }"""
CHOOSE = """mutation($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { deliveryMethod { __typename ... on Warehouse { id name }
                                ... on ShippingMethod { id name } }
               shippingPrice { gross { amount } } totalPrice { gross { amount } } }
    errors { field code message } } }"""
COMPLETE = """mutation($id: ID!) { checkoutComplete(id: $id) {
  order { collectionPointName shippingMethodName
          deliveryMethod { __typename ... on Warehouse { id clickAndCollectOption } } }
  errors { field code message } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename ... on Warehouse {
  name clickAndCollectOption address { streetAddress1 } } } }"""


@pytest.fixture
def point(coop):
    return save_pickup_point(coop.warehouses.get(), address="渑池县果园乡果园村 12 号",
                             opening_hours="每天 8:00-18:00", phone="0398-4812345")


def _checkout(variant, address=SERVICE_ADDRESS):
    return shop_services.create_checkout(
        "default", email="buyer@example.com", shipping_address=address,
        lines=[{"variant_id": variant.pk, "quantity": 1}])


def test_a_pick_up_warehouse_is_a_collection_point_chosen_as_the_storefront_does(
        point, persimmon, shipping):
    gql = GraphQLClient(language="zh-hans")
    checkout = _checkout(persimmon.variants.order_by("sku").first())
    cid = gid("Checkout", checkout.token)
    [found] = gql.data(POINTS, {"id": cid})["checkout"]["availableCollectionPoints"]
    warehouse = point.warehouse
    assert found == {
        "id": gid("Warehouse", warehouse.pk), "name": warehouse.name, "slug": warehouse.slug,
        "isPrivate": False, "clickAndCollectOption": "LOCAL", "openingHours": "每天 8:00-18:00",
        "address": {"id": gid("Address", f"warehouse-{warehouse.slug}"),
                    "companyName": "渑池县果园柿饼专业合作社",
                    "streetAddress1": "渑池县果园乡果园村 12 号", "cityArea": "渑池县",
                    "phone": "0398-4812345", "country": {"code": "CN"}}}
    # The warehouse is a public place: fetched by its ID too.
    assert gql.data(NODE, {"id": found["id"]})["node"] == {
        "__typename": "Warehouse", "name": warehouse.name, "clickAndCollectOption": "LOCAL",
        "address": {"streetAddress1": "渑池县果园乡果园村 12 号"}}

    chosen = gql.data(CHOOSE, {"id": cid, "method": found["id"]})["checkoutDeliveryMethodUpdate"]
    assert chosen["errors"] == []
    assert chosen["checkout"]["deliveryMethod"] == {"__typename": "Warehouse",
                                                    "id": found["id"], "name": warehouse.name}
    assert chosen["checkout"]["shippingPrice"]["gross"]["amount"] == 0
    assert chosen["checkout"]["totalPrice"]["gross"]["amount"] == 58.0
    # The same choice as the storefront's pick-up: the point's own shipping method.
    checkout.refresh_from_db()
    assert checkout.shipping_method_id == point.method_id
    # Choosing a carrier again answers a ShippingMethod.
    carrier = gql.data(CHOOSE, {"id": cid, "method": gid("ShippingMethod", shipping["sf"].pk)})
    assert carrier["checkoutDeliveryMethodUpdate"]["checkout"]["deliveryMethod"][
        "__typename"] == "ShippingMethod"
    gql.data(CHOOSE, {"id": cid, "method": found["id"]})

    order = gql.data(COMPLETE, {"id": cid})["checkoutComplete"]
    assert order["errors"] == []
    assert order["order"]["deliveryMethod"] == {"__typename": "Warehouse", "id": found["id"],
                                                "clickAndCollectOption": "LOCAL"}
    assert order["order"]["collectionPointName"] == order["order"]["shippingMethodName"]
    assert "渑池县果园乡果园村 12 号" in order["order"]["collectionPointName"]
    assert Order.objects.get().shipping_method_id == point.method_id


def test_collection_points_refused_where_they_do_not_serve(
        point, persimmon, coop, other_coop, product_type, category, channel, shipping):
    gql = GraphQLClient(language="zh-hans")
    # A warehouse without a pick-up point is no collection point, and no public node.
    plain = Warehouse.objects.create(name="冷库", slug="mianchi-cold", organization=coop)
    plain.channels.add(channel)
    checkout = _checkout(persimmon.variants.order_by("sku").first())
    cid = gid("Checkout", checkout.token)
    refused = gql.data(CHOOSE, {"id": cid, "method": gid("Warehouse", plain.pk)})[
        "checkoutDeliveryMethodUpdate"]
    assert refused["checkout"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("deliveryMethodId", "DELIVERY_METHOD_NOT_APPLICABLE")]
    assert gql.data(NODE, {"id": gid("Warehouse", plain.pk)})["node"] is None

    # Another cooperative's goods: no collection point, and this one is refused.
    millet = make_product(other_coop, product_type, category, channel, "仰韶小米",
                          "yangshao-millet", ["20.00"])
    mixed = _checkout(millet.variants.get())
    mid = gid("Checkout", mixed.token)
    assert gql.data(POINTS, {"id": mid})["checkout"]["availableCollectionPoints"] == []
    refused = gql.data(CHOOSE, {"id": mid, "method": gid("Warehouse", point.warehouse_id)})[
        "checkoutDeliveryMethodUpdate"]
    assert refused["errors"][0]["code"] == "DELIVERY_METHOD_NOT_APPLICABLE"
    assert "只交付本合作社的商品" in refused["errors"][0]["message"]

    # No address yet: the buyer's contact for the ready notice comes first, as in the shop.
    bare = shop_services.create_checkout("default", email="buyer@example.com", lines=[
        {"variant_id": persimmon.variants.order_by("sku").first().pk, "quantity": 1}])
    refused = gql.data(CHOOSE, {"id": gid("Checkout", bare.token),
                                "method": gid("Warehouse", point.warehouse_id)})
    assert refused["checkoutDeliveryMethodUpdate"]["errors"][0]["code"] == \
        "SHIPPING_ADDRESS_NOT_SET"

    # A point switched off is listed nowhere and refused.
    save_pickup_point(point.warehouse, address=point.address,
                      opening_hours=point.opening_hours, is_active=False)
    assert gql.data(POINTS, {"id": cid})["checkout"]["availableCollectionPoints"] == []
    refused = gql.data(CHOOSE, {"id": cid, "method": gid("Warehouse", point.warehouse_id)})
    assert refused["checkoutDeliveryMethodUpdate"]["errors"][0]["code"] == \
        "DELIVERY_METHOD_NOT_APPLICABLE"
    for document in (POINTS, CHOOSE):
        assert "errors" not in gql.post(document, {"id": cid, "method": cid})
    for unchanged in (checkout, mixed, bare):
        unchanged.refresh_from_db()
        assert unchanged.shipping_method_id is None
