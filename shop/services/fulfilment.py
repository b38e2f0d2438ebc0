"""Fulfilment: a seller ships its own lines of a paid order, and the order is delivered."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..error_codes import OrderErrorCode
from ..errors import field_error
from ..models import Fulfillment, FulfillmentLine, Order, OrderEvent, Organization
from ..signals import lines_shipping_without_codes, order_delivered
from .orders import locked_order, queue_order_notification, record_event
from .stock import ship_allocated_stock


@transaction.atomic
def fulfill_order_lines(order: Order, organization: Organization, lines: list[dict], *,
                        carrier: str, tracking_number: str, user=None,
                        codes_recorded: bool = False) -> Fulfillment:
    """A seller ships some of its own lines: ``lines`` is ``[{"order_line_id", "quantity"}]``.

    Refused for lines of another seller, for unpaid orders and beyond what is left; when
    the caller records no package codes (``codes_recorded``), receivers of
    ``lines_shipping_without_codes`` may refuse too."""
    order = locked_order(order)
    if order.status not in (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED):
        raise field_error("order", _("Only paid orders can be shipped."),
                          OrderErrorCode.CANNOT_FULFILL_UNPAID_ORDER.value)
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier:
        raise field_error("carrier", _("This field is required."), OrderErrorCode.REQUIRED.value)
    if not tracking_number:
        raise field_error("tracking_number", _("This field is required."),
                          OrderErrorCode.REQUIRED.value)
    if not lines:
        raise field_error("lines", _("Choose at least one line to ship."),
                          OrderErrorCode.REQUIRED.value)
    own = {line.pk: line for line in order.lines.select_for_update().filter(
        organization=organization)}
    for item in lines:
        line = own.get(item["order_line_id"])
        if line is None:
            raise field_error("order_line_id",
                              _("You can only ship your own organisation's lines."),
                              OrderErrorCode.FULFILL_ORDER_LINE.value)
        if item["quantity"] <= 0 or item["quantity"] > line.quantity_unfulfilled:
            raise field_error("quantity", _("Only %(n)s units of this line are left to ship."),
                              OrderErrorCode.FULFILL_ORDER_LINE.value, n=line.quantity_unfulfilled)
    if not codes_recorded:
        lines_shipping_without_codes.send(sender=Order, order=order, lines=[
            (own[item["order_line_id"]], item["quantity"]) for item in lines])
    fulfillment = Fulfillment.objects.create(
        order=order, organization=organization, carrier=carrier, tracking_number=tracking_number,
        created_by=user, fulfillment_order=order.fulfillments.count() + 1)
    for item in lines:
        line = own[item["order_line_id"]]
        ship_allocated_stock(line, item["quantity"])
        line.quantity_fulfilled += item["quantity"]
        line.save(update_fields=["quantity_fulfilled"])
        FulfillmentLine.objects.create(fulfillment=fulfillment, order_line=line,
                                       quantity=item["quantity"])
    unshipped = any(line.quantity_unfulfilled > 0 for line in order.lines.all())
    order.status = Order.Status.PARTIALLY_SHIPPED if unshipped else Order.Status.SHIPPED
    order.save(update_fields=["status", "updated_at"])
    record_event(order, OrderEvent.Type.SHIPPED, user=user,
                 message=_("%(seller)s shipped with %(carrier)s, tracking number %(number)s")
                 % {"seller": organization.name, "carrier": carrier, "number": tracking_number},
                 carrier=carrier, tracking_number=tracking_number,
                 organization=organization.pk, fulfillment=fulfillment.pk)
    queue_order_notification(order, f"order_shipped:{fulfillment.pk}")
    return fulfillment


@transaction.atomic
def mark_order_delivered(order: Order, user=None) -> Order:
    order = locked_order(order)
    if order.status != Order.Status.SHIPPED:
        raise field_error("id", _("Only shipped orders can be marked delivered."),
                          OrderErrorCode.INVALID.value)
    order.status = Order.Status.DELIVERED
    order.save(update_fields=["status", "updated_at"])
    order.fulfillments.update(status=Fulfillment.Status.DELIVERED)
    record_event(order, OrderEvent.Type.DELIVERED, user=user, message=_("Delivered."))
    # In this transaction: the supply chain marks the order's shipped codes sold.
    order_delivered.send(sender=Order, order=order, user=user)
    return order
