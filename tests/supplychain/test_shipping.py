"""Flow to the buyer: an order line's shipped codes (recorded through the real /graphql/
view, by the seller only), shipping with codes in one step, codes sold on delivery, and a
recall that finds the order."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from graphql_relay import to_global_id as gid

from shop import services as shop_services
from shop.models import Fulfillment, Order, OrderLine, Stock
from supplychain import services
from supplychain.models import ShippedCode, TraceCode, TraceEvent
from tests.factories import make_paid_order

pytestmark = pytest.mark.django_db

SHIP_CODES = """mutation($line: ID!, $codes: [String!]!) {
  orderLineShipCodes(orderLine: $line, codes: $codes) {
    orderLine { quantityFulfilled }
    shippedCodes { code disposition shippedAt traceCode { serial } }
    errors { field code message } } }"""

FULFILL_WITH_CODES = """mutation($order: ID!, $lines: [OrderFulfillWithCodesLineInput!]!) {
  orderFulfillWithCodes(order: $order, input: {lines: $lines, carrier: "顺丰",
                                                trackingNumber: "SF1234567890"}) {
    order { status pavilionStatus } fulfillment { trackingNumber lines { quantity } }
    shippedCodes { code disposition }
    errors { field code message } } }"""

DELIVERED = """mutation($id: ID!) { orderMarkAsDelivered(id: $id) {
  order { status pavilionStatus } errors { field code message } } }"""


@pytest.fixture
def order_line(packing_run, channel, coop):
    """A line of 2 packages that has shipped (made directly: the recall test needs no
    checkout)."""
    variant = packing_run.variant
    order = Order.objects.create(number=100001, channel=channel, user_email="buyer@example.com",
                                 status=Order.Status.SHIPPED, subtotal_amount=Decimal("58.00"),
                                 total_amount=Decimal("58.00"))
    return OrderLine.objects.create(
        order=order, variant=variant, organization=coop, product_name="渑池柿饼", quantity=2,
        quantity_fulfilled=2, unit_price_amount=Decimal("29.00"),
        undiscounted_unit_price_amount=Decimal("29.00"), total_price_amount=Decimal("58.00"))


@pytest.fixture
def paid_order(packing_run, channel, shipping):
    """A buyer's paid order of 3 packages of the packed variant, through the checkout."""
    return make_paid_order(channel, packing_run.variant, shipping, quantity=3)


@pytest.fixture
def codes(packing_run):
    return list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True))


def unchanged(codes_before=0):
    """Nothing was recorded: no shipped codes beyond ``codes_before``, no code moved."""
    assert ShippedCode.objects.count() == codes_before
    moved = TraceCode.objects.exclude(disposition="active").count()
    assert moved == codes_before
    assert TraceEvent.objects.filter(biz_step="shipping").count() == codes_before


def permission_denied(result) -> bool:
    return result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_shipped_codes_link_order_and_package(order_line, packing_run, coop, graded_lot,
                                              coop_user):
    first, second, third = packing_run.trace_codes.order_by("serial")[:3]
    services.ship_codes(order_line, [first.code, second.code.lower()], user=coop_user)
    assert set(order_line.shipped_codes.values_list("trace_code__code", flat=True)) == {
        first.code, second.code}
    first.refresh_from_db()
    assert first.disposition == "in_transit" and first.shipment.order_line == order_line
    data = Client().get(f"/t/{first.code}.json").json()
    assert data["journey"][-1]["step"] == "shipping"
    with pytest.raises(ValidationError) as excinfo:
        services.ship_codes(order_line, [third.code])  # the line has 2 items
    assert excinfo.value.error_dict["codes"][0].code == "insufficient_quantity"
    with pytest.raises(ValidationError):
        services.ship_codes(order_line, ["ABCDEFGHIJKLMNOP"])
    assert ShippedCode.objects.count() == 2
    recall = services.recall_lot(coop, graded_lot=graded_lot, level="level_2", reason="霉变",
                                 user=coop_user)
    affected = services.recall_affected(recall)
    assert affected["orders"] == [(order_line.order_id, "buyer@example.com")]
    assert affected["buyer_emails"] == ["buyer@example.com"]
    # Shipped packages were sold: the 3 unsold ones leave stock, and so do the units
    # counted by hand (12 of this variant, 10 of the other), as no code says they are
    # from another lot.
    assert recall.withdrawn_units == 3 + 12 + 10
    assert set(TraceCode.objects.values_list("disposition", flat=True)) == {"recalled"}


def test_seller_ships_with_codes_and_delivery_marks_them_sold(
        gql_as, paid_order, codes, coop_user, operator_user, zh_catalogue):
    client = gql_as(coop_user)
    line = paid_order.lines.get()
    stock = Stock.objects.get(product_variant=line.variant)
    on_hand = stock.quantity
    data = client.data(FULFILL_WITH_CODES, {"order": gid("Order", paid_order.pk), "lines": [
        {"orderLineId": gid("OrderLine", line.pk), "codes": [codes[0], f" {codes[1].lower()}"]}]})
    shipped = data["orderFulfillWithCodes"]
    assert shipped["errors"] == []
    assert shipped["order"] == {"status": "PARTIALLY_FULFILLED",
                                "pavilionStatus": "PARTIALLY_SHIPPED"}
    assert shipped["fulfillment"] == {"trackingNumber": "SF1234567890",
                                      "lines": [{"quantity": 2}]}
    assert shipped["shippedCodes"] == [{"code": codes[0], "disposition": "IN_TRANSIT"},
                                       {"code": codes[1], "disposition": "IN_TRANSIT"}]
    stock.refresh_from_db()
    assert (stock.quantity, stock.quantity_allocated) == (on_hand - 2, 1)

    # Two items shipped, two codes recorded: a third code is one too many for now.
    refused = client.data(SHIP_CODES, {"line": gid("OrderLine", line.pk), "codes": [codes[2]]})
    assert refused["orderLineShipCodes"]["errors"][0]["code"] == "INSUFFICIENT_QUANTITY"
    # The last item goes out without its code at hand; the code is scanned afterwards.
    last = client.data(FULFILL_WITH_CODES, {"order": gid("Order", paid_order.pk), "lines": [
        {"orderLineId": gid("OrderLine", line.pk), "quantity": 1}]})["orderFulfillWithCodes"]
    assert last["errors"] == [] and last["order"]["pavilionStatus"] == "SHIPPED"
    assert last["shippedCodes"] == []
    added = client.data(SHIP_CODES, {"line": gid("OrderLine", line.pk), "codes": [codes[2]]})
    recorded = added["orderLineShipCodes"]
    assert recorded["errors"] == [] and recorded["orderLine"]["quantityFulfilled"] == 3
    assert [c["code"] for c in recorded["shippedCodes"]] == codes[:3]
    assert [c["traceCode"]["serial"] for c in recorded["shippedCodes"]] == [1, 2, 3]

    # Delivered: the order's packages are sold, and the trace page says so.
    done = gql_as(operator_user).data(DELIVERED, {"id": gid("Order", paid_order.pk)})
    assert done["orderMarkAsDelivered"]["order"]["pavilionStatus"] == "DELIVERED"
    assert set(TraceCode.objects.filter(code__in=codes[:3]).values_list(
        "disposition", flat=True)) == {"retail_sold"}
    assert set(TraceCode.objects.exclude(code__in=codes[:3]).values_list(
        "disposition", flat=True)) == {"active"}
    sold = TraceEvent.objects.get(trace_code__code=codes[0], biz_step="retail_selling")
    assert sold.disposition == "retail_sold" and sold.actor == operator_user
    english = Client()
    english.cookies["django_language"] = "en"
    data = english.get(f"/t/{codes[0]}.json").json()
    assert data["disposition"] == "retail_sold"
    assert [s["step"] for s in data["journey"]][-2:] == ["shipping", "retail_selling"]
    # In the reader's language, whoever recorded it; kept in Chinese for the export.
    assert data["journey"][-1]["why"] == "Delivered to the buyer"
    assert sold.reason == "已送达买家"
    # The journey is public: it says the package left for its buyer, not on which order.
    assert data["journey"][-2]["why"] == "Shipped to its buyer"
    page = Client().get(f"/t/{codes[0]}").content.decode()
    assert not any(str(paid_order.number) in (step["why"] or "") for step in data["journey"])
    assert f"订单 {paid_order.number}" not in page
    assert page.count("已售出") == 2  # the status and the last step of the journey
    epcis = Client().get(f"/t/{codes[0]}/epcis.jsonld").json()["epcisBody"]["eventList"]
    assert (epcis[-1]["bizStep"], epcis[-1]["disposition"]) == ("retail_selling", "retail_sold")


def test_a_wrong_code_ships_nothing(gql, gql_as, paid_order, codes, coop_user,
                                    other_coop_user):
    line = paid_order.lines.get()
    stock = Stock.objects.get(product_variant=line.variant)
    before = (stock.quantity, stock.quantity_allocated)
    line_id = gid("OrderLine", line.pk)

    def fulfil(client, lines):
        return client.post(FULFILL_WITH_CODES, {"order": gid("Order", paid_order.pk),
                                                "lines": lines})

    for lines, code in [
        ([{"orderLineId": line_id, "codes": [codes[0], "ABCDEFGHIJKLMNOP"]}], "NOT_FOUND"),
        ([{"orderLineId": line_id, "codes": [codes[0], "not-a-code"]}], "INVALID"),
        ([{"orderLineId": line_id, "quantity": 1, "codes": codes[:2]}],
         "INSUFFICIENT_QUANTITY"),
        ([{"orderLineId": line_id}], "REQUIRED"),
    ]:
        result = fulfil(gql_as(coop_user), lines)["data"]["orderFulfillWithCodes"]
        assert [(e["field"], e["code"]) for e in result["errors"]] == [
            ("codes" if code != "REQUIRED" else "quantity", code)], result
        assert result["order"] is None
    assert permission_denied(fulfil(gql, [{"orderLineId": line_id, "codes": codes[:1]}]))
    assert permission_denied(fulfil(gql_as(other_coop_user),
                                    [{"orderLineId": line_id, "codes": codes[:1]}]))
    # Nothing shipped, no stock moved, no code changed.
    unchanged()
    paid_order.refresh_from_db()
    stock.refresh_from_db()
    assert paid_order.status == "paid" and not Fulfillment.objects.exists()
    assert (stock.quantity, stock.quantity_allocated) == before
    line.refresh_from_db()
    assert line.quantity_fulfilled == 0


def test_only_the_seller_records_codes_and_bad_codes_change_nothing(
        gql, gql_as, paid_order, codes, coop, coop_user, other_coop_user, operator_user,
        graded_lot, persimmon):
    line = paid_order.lines.get()
    variables = {"line": gid("OrderLine", line.pk), "codes": codes[:1]}
    own = gql_as(coop_user)

    # Nothing has shipped yet: no code can go out on the line.
    result = own.data(SHIP_CODES, variables)["orderLineShipCodes"]
    assert result["errors"][0]["code"] == "INVALID" and result["shippedCodes"] is None
    shop_services.fulfill_order_lines(paid_order, coop, [{"order_line_id": line.pk,
                                                          "quantity": 2}],
                                      carrier="邮政", tracking_number="EMS1")

    # Anonymous callers and other cooperatives are refused outright.
    assert permission_denied(gql.post(SHIP_CODES, variables))
    assert permission_denied(gql_as(other_coop_user).post(SHIP_CODES, variables))
    unchanged()

    # Wrong codes: never issued, not a code, another product's package, too many.
    other_variant = persimmon.variants.order_by("sku").last()
    other_run = services.create_packing_run(graded_lot, variant=other_variant,
                                            warehouse=coop.warehouses.first(), quantity=1,
                                            net_weight_kg="0.5")
    other_code = other_run.trace_codes.get().code
    for wrong, code in [(["ABCDEFGHIJKLMNOP"], "NOT_FOUND"), (["not-a-code"], "INVALID"),
                        ([other_code], "INVALID"), (codes[:3], "INSUFFICIENT_QUANTITY"),
                        ([], "REQUIRED")]:
        result = own.data(SHIP_CODES, {**variables, "codes": wrong})["orderLineShipCodes"]
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("codes", code)], wrong
        assert result["shippedCodes"] is None
    unchanged()

    # The operator may record for any seller; the seller records the rest.
    by_operator = gql_as(operator_user).data(SHIP_CODES, variables)["orderLineShipCodes"]
    assert by_operator["shippedCodes"][0]["code"] == codes[0]
    again = own.data(SHIP_CODES, variables)["orderLineShipCodes"]
    assert again["errors"][0]["code"] == "INVALID"  # already shipped
    result = own.data(SHIP_CODES, {**variables, "codes": [codes[1].lower()]})
    assert [(c["code"], c["disposition"]) for c in
            result["orderLineShipCodes"]["shippedCodes"]] == [
        (codes[0], "IN_TRANSIT"), (codes[1], "IN_TRANSIT")]
    unchanged(codes_before=2)
    assert ShippedCode.objects.get(trace_code__code=codes[1]).shipped_by == coop_user


def test_delivery_leaves_recalled_codes_recalled(order_line, codes, coop, coop_user,
                                                 graded_lot, operator_user):
    services.ship_codes(order_line, codes[:2], user=coop_user)
    services.recall_lot(coop, graded_lot=graded_lot, level="level_1", reason="霉变")
    shop_services.mark_order_delivered(order_line.order, user=operator_user)
    assert set(TraceCode.objects.filter(code__in=codes[:2]).values_list(
        "disposition", flat=True)) == {"recalled"}
    assert not TraceEvent.objects.filter(biz_step="retail_selling").exists()
    assert Client().get(f"/t/{codes[0]}.json").json()["recall"]["reason"] == "霉变"


def test_codes_recorded_after_delivery_are_sold_at_once(order_line, codes, coop_user):
    Order.objects.filter(pk=order_line.order_id).update(status=Order.Status.DELIVERED)
    shipped = services.ship_codes(order_line, codes[:1], user=coop_user)
    assert shipped[0].trace_code.disposition == "retail_sold"
    steps = Client().get(f"/t/{codes[0]}.json").json()["journey"]
    assert [s["step"] for s in steps][-2:] == ["shipping", "retail_selling"]
