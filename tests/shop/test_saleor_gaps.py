"""Operations real Saleor storefronts (saleor/storefront, saleor/react-storefront) send,
through the real /graphql/ view: the deprecated single-line delete, the checkout error's
``variants`` and ``addressType``, the shop's own description, and who may learn what of
an order marked ready for pick-up."""

import pytest

from shop import services as shop_services
from shop.models import Order, Stock, User
from shop.pickup import PickupNotice
from shop.services.addresses import create_address
from shop.services.pickup import save_pickup_point
from tests.clients import GraphQLClient, refused
from tests.factories import ADDRESS, SERVICE_ADDRESS, gid, make_paid_order, ready_checkout

pytestmark = pytest.mark.django_db

LINE_DELETE = """mutation($id: ID, $checkoutId: ID, $lineId: ID) {
  checkoutLineDelete(id: $id, checkoutId: $checkoutId, lineId: $lineId) {
    checkout { id quantity lines { id } } errors { field code message } } }"""


def _checkout(persimmon, user=None):
    return shop_services.create_checkout("default", user=user, lines=[
        {"variant_id": variant.pk, "quantity": 1} for variant in persimmon.variants.all()])


def test_a_shopper_removes_one_line_by_id_or_by_checkout_id(gql, channel, persimmon):
    checkout = _checkout(persimmon)
    first, second = checkout.lines.order_by("pk")
    deleted = gql.data(LINE_DELETE, {"id": gid("Checkout", checkout.token),
                                     "lineId": gid("CheckoutLine", first.pk)})
    payload = deleted["checkoutLineDelete"]
    assert payload["errors"] == []
    assert payload["checkout"]["lines"] == [{"id": gid("CheckoutLine", second.pk)}]
    # The official storefront names the checkout ``checkoutId``.
    deleted = gql.data(LINE_DELETE, {"checkoutId": gid("Checkout", checkout.token),
                                     "lineId": gid("CheckoutLine", second.pk)})
    assert deleted["checkoutLineDelete"]["checkout"]["quantity"] == 0
    assert not checkout.lines.exists()
    # A line already gone is a field error, as checkoutLinesDelete gives.
    again = gql.data(LINE_DELETE, {"id": gid("Checkout", checkout.token),
                                   "lineId": gid("CheckoutLine", second.pk)})
    assert again["checkoutLineDelete"]["errors"] == [
        {"field": "lineId", "code": "NOT_FOUND",
         "message": "Couldn't find a line with this ID in the checkout."}]
    # The official storefront declares ``$lineId: ID``: sent without one, a field error.
    unnamed = gql.data(LINE_DELETE, {"id": gid("Checkout", checkout.token)})
    assert [(e["field"], e["code"]) for e in unnamed["checkoutLineDelete"]["errors"]] == [
        ("lineId", "REQUIRED")]


def test_another_shoppers_checkout_is_refused_as_the_many_lines_delete_refuses_it(
        channel, persimmon):
    owner = User.objects.create_user("owner@example.com", "a-Strong-pass-123")
    stranger = User.objects.create_user("stranger@example.com", "a-Strong-pass-123")
    checkout = _checkout(persimmon, user=owner)
    line = checkout.lines.first()
    cid, lid = gid("Checkout", checkout.token), gid("CheckoutLine", line.pk)
    many = """mutation($id: ID, $ids: [ID!]!) { checkoutLinesDelete(id: $id, linesIds: $ids) {
      checkout { id } errors { field code } } }"""
    for client in (GraphQLClient(), GraphQLClient(stranger)):
        one = client.data(LINE_DELETE, {"id": cid, "lineId": lid})["checkoutLineDelete"]
        both = client.data(many, {"id": cid, "ids": [lid]})["checkoutLinesDelete"]
        assert one["checkout"] is None and both["checkout"] is None
        assert [(e["field"], e["code"]) for e in one["errors"]] == [
            (e["field"], e["code"]) for e in both["errors"]] == [("id", "NOT_FOUND")]
    assert checkout.lines.count() == 2
    owned = GraphQLClient(owner).data(LINE_DELETE, {"id": cid, "lineId": lid})
    assert owned["checkoutLineDelete"]["checkout"]["quantity"] == 1


# react-storefront's checkoutComplete asks every error for its variants and address type.
COMPLETE = """mutation($id: ID) { checkoutComplete(id: $id) {
  order { id } errors { field code message variants addressType } } }"""
SHIPPING_ADDRESS = """mutation($id: ID, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { id } errors { field code variants addressType } } }"""
BILLING_ADDRESS = """mutation($id: ID, $address: AddressInput!) {
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address) {
    checkout { id } errors { field code variants addressType } } }"""


def test_a_sold_out_variant_is_named_in_the_errors_variants(gql, channel, variant, shipping):
    checkout = ready_checkout(channel, variant, shipping, quantity=2)
    Stock.objects.filter(product_variant=variant).update(quantity=1)
    result = gql.data(COMPLETE, {"id": gid("Checkout", checkout.token)})["checkoutComplete"]
    assert result["order"] is None
    [error] = result["errors"]
    assert error["code"] == "INSUFFICIENT_STOCK"
    assert error["variants"] == [gid("ProductVariant", variant.pk)]
    assert error["addressType"] is None


def test_an_error_about_no_variant_has_none_and_address_errors_name_their_address(
        gql, channel, persimmon):
    checkout = _checkout(persimmon)
    cid = gid("Checkout", checkout.token)
    result = gql.data(COMPLETE, {"id": cid})["checkoutComplete"]
    assert [(e["code"], e["variants"], e["addressType"]) for e in result["errors"]] == [
        ("EMAIL_NOT_SET", None, None)]
    bad = {**ADDRESS, "postalCode": "47240"}
    shipping = gql.data(SHIPPING_ADDRESS, {"id": cid, "address": bad})
    assert shipping["checkoutShippingAddressUpdate"]["errors"] == [
        {"field": "postalCode", "code": "INVALID", "variants": None, "addressType": "SHIPPING"}]
    billing = gql.data(BILLING_ADDRESS, {"id": cid, "address": bad})
    assert billing["checkoutBillingAddressUpdate"]["errors"] == [
        {"field": "postalCode", "code": "INVALID", "variants": None, "addressType": "BILLING"}]
    # Not found is about the checkout, not an address.
    nowhere = gid("Checkout", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
    missing = gql.data(SHIPPING_ADDRESS, {"id": nowhere, "address": ADDRESS})
    assert missing["checkoutShippingAddressUpdate"]["errors"] == [
        {"field": "id", "code": "NOT_FOUND", "variants": None, "addressType": None}]


# Ready for pick-up: who asks is checked first -------------------------------------------

READY = """mutation($id: ID!) { orderReadyForPickup(id: $id) {
  readyAt order { number } errors { field code message } } }"""


def _pickup_order(coop, persimmon):
    point = save_pickup_point(coop.warehouses.get(), address="渑池县果园乡果园村 12 号",
                              opening_hours="每天 8:00-18:00")
    checkout = shop_services.create_checkout(
        "default", email="buyer@example.com", shipping_address=SERVICE_ADDRESS,
        lines=[{"variant_id": persimmon.variants.order_by("sku").first().pk, "quantity": 1}])
    shop_services.update_checkout_delivery_method(checkout, point.method_id)
    order = shop_services.complete_checkout(checkout.token, None)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    return order


def test_a_stranger_learns_nothing_of_an_order_from_ready_for_pickup(
        coop, coop_user, other_coop_user, persimmon, channel, variant, shipping):
    pickup = _pickup_order(coop, persimmon)
    delivered = make_paid_order(channel, variant, shipping)
    nowhere = gid("Order", delivered.pk + pickup.pk + 1000)
    ids = [gid("Order", pickup.pk), gid("Order", delivered.pk), nowhere]
    shopper = User.objects.create_user("stranger@example.com", "a-Strong-pass-123")
    for stranger in (shopper, other_coop_user):
        answers = [GraphQLClient(stranger).post(READY, {"id": id}) for id in ids]
        assert all(refused(answer) for answer in answers)
        assert {(error["message"], error["extensions"]["exception"]["code"])
                for answer in answers for error in answer["errors"]} == {
            ("You can only manage your own organisation's records", "PermissionDenied")}
    assert refused(GraphQLClient().post(READY, {"id": ids[0]}))
    assert not PickupNotice.objects.exists()

    # The seller itself is told what is wrong, and marks its pick-up order ready.
    seller = GraphQLClient(coop_user)
    assert seller.data(READY, {"id": ids[1]})["orderReadyForPickup"]["errors"] == [
        {"field": "id", "code": "INVALID",
         "message": "This order is not collected at a pick-up point."}]
    ready = seller.data(READY, {"id": ids[0]})["orderReadyForPickup"]
    assert ready["errors"] == [] and ready["order"]["number"] == str(pickup.number)
    assert PickupNotice.objects.filter(order=pickup).exists()


def test_an_operator_is_told_an_order_does_not_exist(operator_user, channel):
    missing = GraphQLClient(operator_user).data(READY, {"id": gid("Order", 987654)})
    assert [(e["field"], e["code"]) for e in missing["orderReadyForPickup"]["errors"]] == [
        ("id", "NOT_FOUND")]


# Query.shop ------------------------------------------------------------------------------

SHOP = """query($lang: LanguageCodeEnum) { shop {
  name description defaultCountry { code country }
  countries(languageCode: $lang) { code country }
  languages { code language }
  defaultMailSenderName defaultMailSenderAddress channelCurrencies version
  companyAddress { id } permissions { code name } } }"""


def test_the_shop_describes_itself_from_the_pavilion_and_channels(gql, channel, pavilion):
    pavilion.slogan = "仰韶故里，柿子飘香"
    pavilion.save()
    shop = gql.data(SHOP)["shop"]
    assert shop["name"] == "渑池特色馆" and shop["description"] == "仰韶故里，柿子飘香"
    assert shop["defaultCountry"] == {"code": "CN", "country": "China"}
    assert shop["countries"] == [{"code": "CN", "country": "China"}]
    assert {"code": "ZH_HANS", "language": "Simplified Chinese"} in shop["languages"]
    assert [language["code"] for language in shop["languages"]] == ["ZH_HANS", "BO", "EN"]
    assert shop["defaultMailSenderName"] is None and shop["defaultMailSenderAddress"] is None
    assert shop["channelCurrencies"] == ["CNY"]
    assert shop["version"] == "0.1.0"
    assert shop["companyAddress"] is None
    assert shop["permissions"] == []
    chinese = gql.data(SHOP, {"lang": "ZH_HANS"})["shop"]
    assert chinese["countries"] == [{"code": "CN", "country": "中国"}]
    assert GraphQLClient(language="zh-hans").data(SHOP)["shop"]["defaultCountry"][
        "country"] == "中国"


def test_the_shop_lists_a_channels_carriers_from_their_lowest_price(
        gql, channel, coop, shipping):
    save_pickup_point(coop.warehouses.get(), address="渑池县果园乡果园村 12 号",
                      opening_hours="每天 8:00-18:00")
    query = """query($channel: String!) { shop { availableShippingMethods(channel: $channel) {
      id name translation(languageCode: EN) { name } price { amount currency } } } }"""
    methods = gql.data(query, {"channel": "default"})["shop"]["availableShippingMethods"]
    assert methods == [
        {"id": gid("ShippingMethod", shipping["post"].pk), "name": "中国邮政",
         "translation": None, "price": {"amount": 8.0, "currency": "CNY"}},
        {"id": gid("ShippingMethod", shipping["sf"].pk), "name": "顺丰速运",
         "translation": None, "price": {"amount": 12.0, "currency": "CNY"}}]
    assert gql.data(query, {"channel": "nowhere"})["shop"]["availableShippingMethods"] == []


def test_only_staff_are_shown_the_permissions(channel, coop_user, operator_user):
    assert GraphQLClient(coop_user).data(SHOP)["shop"]["permissions"] == []
    permissions = GraphQLClient(operator_user).data(SHOP)["shop"]["permissions"]
    assert {"code": "CHANGE_ORDER", "name": "Can change order"} in permissions


def test_a_shop_without_a_published_pavilion_is_the_specialty_pavilion(channel):
    shop = GraphQLClient(language="zh-hans").data(SHOP)["shop"]
    assert shop["name"] == "特色馆" and shop["description"] is None


# checkoutShippingMethodUpdate: Saleor's older name for choosing a carrier ---------------

SHIPPING_METHOD = """mutation($id: ID, $checkoutId: ID, $method: ID!) {
  checkoutShippingMethodUpdate(id: $id, checkoutId: $checkoutId, shippingMethodId: $method) {
    checkout { deliveryMethod { ... on ShippingMethod { id name } }
               shippingPrice { gross { amount } } }
    errors { field code message } } }"""


def test_the_older_shipping_method_update_chooses_the_carrier(channel, variant, shipping):
    owner = User.objects.create_user("owner@example.com", "a-Strong-pass-123")
    checkout = shop_services.create_checkout(
        "default", user=owner, email=owner.email, shipping_address=SERVICE_ADDRESS,
        lines=[{"variant_id": variant.pk, "quantity": 1}])
    cid, sf = gid("Checkout", checkout.token), gid("ShippingMethod", shipping["sf"].pk)
    client = GraphQLClient(owner)
    chosen = client.data(SHIPPING_METHOD, {"id": cid, "method": sf})
    payload = chosen["checkoutShippingMethodUpdate"]
    assert payload["errors"] == []
    assert payload["checkout"]["deliveryMethod"] == {"id": sf, "name": "顺丰速运"}
    assert payload["checkout"]["shippingPrice"]["gross"]["amount"] == 12.0
    post = gid("ShippingMethod", shipping["post"].pk)
    again = client.data(SHIPPING_METHOD, {"checkoutId": cid, "method": post})
    assert again["checkoutShippingMethodUpdate"]["checkout"]["deliveryMethod"]["id"] == post

    # Not a shipping method: a field error; another shopper's checkout: not found.
    wrong = client.data(SHIPPING_METHOD, {"id": cid, "method": gid("Warehouse", 1)})
    assert [e["field"] for e in wrong["checkoutShippingMethodUpdate"]["errors"]] == [
        "shippingMethodId"]
    stranger = User.objects.create_user("stranger@example.com", "a-Strong-pass-123")
    for other in (GraphQLClient(), GraphQLClient(stranger)):
        answer = other.data(SHIPPING_METHOD, {"id": cid, "method": sf})
        assert [(e["field"], e["code"]) for e in answer["checkoutShippingMethodUpdate"][
            "errors"]] == [("id", "NOT_FOUND")]
    checkout.refresh_from_db()
    assert checkout.shipping_method_id == shipping["post"].pk


# addressSetDefault: react-storefront's way to choose a default address -------------------

SET_DEFAULT = """mutation($address: ID!, $user: ID!, $type: AddressTypeEnum!) {
  addressSetDefault(addressId: $address, userId: $user, type: $type) {
    user { defaultShippingAddress { streetAddress1 } defaultBillingAddress { streetAddress1 } }
    errors { field code } } }"""
ME = "{ me { defaultShippingAddress { streetAddress1 } defaultBillingAddress { streetAddress1 } } }"


def test_a_shopper_sets_their_own_default_address_and_staff_anyones(operator_user, db):
    shopper = User.objects.create_user("owner@example.com", "a-Strong-pass-123")
    create_address(shopper, SERVICE_ADDRESS)  # the first: both defaults
    other = create_address(shopper, {**SERVICE_ADDRESS, "street_address_1": "淮河路 3 号"})
    ids = {"address": gid("Address", other.pk), "user": gid("User", shopper.pk)}
    own = GraphQLClient(shopper).data(SET_DEFAULT, {**ids, "type": "SHIPPING"})
    assert own["addressSetDefault"]["errors"] == []
    assert own["addressSetDefault"]["user"] == {
        "defaultShippingAddress": {"streetAddress1": "淮河路 3 号"},
        "defaultBillingAddress": {"streetAddress1": "仰韶路 12 号"}}

    stranger = User.objects.create_user("stranger@example.com", "a-Strong-pass-123")
    for client in (GraphQLClient(stranger), GraphQLClient()):
        assert refused(client.post(SET_DEFAULT, {**ids, "type": "BILLING"}))
    # Naming themselves with another's address: not in their book.
    theirs = GraphQLClient(stranger).data(SET_DEFAULT, {
        **ids, "user": gid("User", stranger.pk), "type": "BILLING"})
    assert [(e["field"], e["code"]) for e in theirs["addressSetDefault"]["errors"]] == [
        ("id", "NOT_FOUND")]
    me = GraphQLClient(shopper).data(ME)["me"]
    assert me["defaultBillingAddress"] == {"streetAddress1": "仰韶路 12 号"}

    staff = GraphQLClient(operator_user).data(SET_DEFAULT, {**ids, "type": "BILLING"})
    assert staff["addressSetDefault"]["errors"] == []
    me = GraphQLClient(shopper).data(ME)["me"]
    assert me["defaultBillingAddress"] == {"streetAddress1": "淮河路 3 号"}
