"""Pick-up (自提, ``shop.pickup``): setting up a warehouse's pick-up point (a free shipping
method named after the place and hours), which checkouts may choose it (Saleor's
collection points: choosing the warehouse chooses its point's method, the same step as the
storefront's), and telling the buyer, once, that the order is ready to collect (a
notification and, with a mobile number on the order, a text message through
``shop.sms``)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .. import notifications
from ..error_codes import CheckoutErrorCode, OrderErrorCode
from ..errors import field_error
from ..models import Channel, Checkout, Order, OrderEvent, Organization, Warehouse
from ..pickup import PICKUP_CARRIER, PickupNotice, PickupPoint, point_of
from ..shipping_rates import ShippingMethod, ShippingRate, ShippingZone
from .checkout import update_checkout_delivery_method
from .orders import locked_order, record_event

# Orders a cooperative may have ready for collection: paid, not yet handed over.
READY_STATUSES = (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED)


def _text(value: str, field: str, max_length: int) -> str:
    value = " ".join(str(value or "").split())
    if not value:
        raise field_error(field, _("This field is required."), OrderErrorCode.REQUIRED.value)
    if len(value) > max_length:
        raise field_error(field, _("At most %(n)s characters.") % {"n": max_length},
                          OrderErrorCode.INVALID.value)
    return value


def method_name(warehouse: Warehouse, address: str, opening_hours: str) -> str:
    """What the buyer reads at checkout and on the order: where and when to collect."""
    return _("Pick up at %(place)s: %(address)s, %(hours)s") % {
        "place": warehouse.organization.name, "address": address, "hours": opening_hours}


@transaction.atomic
def save_pickup_point(warehouse: Warehouse, *, address: str, opening_hours: str,
                      phone: str = "", is_active: bool = True,
                      channel: Channel | None = None) -> PickupPoint:
    """Set up (or change) ``warehouse``'s pick-up point: its free shipping method in
    ``channel`` (the warehouse's first channel by default) with a zero rate in the
    channel's default zone, which every province falls back to."""
    address = _text(address, "address", 80)
    opening_hours = _text(opening_hours, "opening_hours", 40)
    phone = " ".join(str(phone or "").split())[:32]
    point = PickupPoint.objects.select_for_update().filter(warehouse=warehouse).first()
    with override(settings.LANGUAGE_CODE):  # stored in the shop's language, as names are
        name = method_name(warehouse, address, opening_hours)[:128]
    if point is None:
        channel = channel or warehouse.channels.order_by("pk").first()
        if channel is None:
            raise field_error("warehouse", _("The warehouse serves no channel yet."),
                              OrderErrorCode.INVALID.value)
        method = ShippingMethod.objects.create(channel=channel, name=name,
                                               carrier=PICKUP_CARRIER, is_active=is_active)
        point = PickupPoint.objects.create(warehouse=warehouse, method=method, address=address,
                                           opening_hours=opening_hours, phone=phone)
    else:
        point.address, point.opening_hours, point.phone = address, opening_hours, phone
        point.save(update_fields=["address", "opening_hours", "phone"])
        ShippingMethod.objects.filter(pk=point.method_id).update(name=name, is_active=is_active)
    zone = (ShippingZone.objects.filter(channel_id=point.method.channel_id, is_default=True)
            .order_by("pk").first()
            or ShippingZone.objects.create(channel_id=point.method.channel_id,
                                           name=_("Everywhere"), is_default=True))
    ShippingRate.objects.update_or_create(method=point.method, zone=zone, defaults={
        "first_price": 0, "additional_price": 0, "first_weight": 1, "max_weight": None})
    return point


def _active_points(channel_id: int):
    return (PickupPoint.objects.filter(method__channel_id=channel_id, method__is_active=True)
            .select_related("warehouse__organization", "method"))


def collection_points(checkout: Checkout) -> list[PickupPoint]:
    """The pick-up points ``checkout`` may choose: active ones of its channel whose
    organisation sold every line (``shop.pickup.serves``); none for an empty cart."""
    sellers = set(checkout.lines.values_list("variant__product__organization_id", flat=True))
    if len(sellers) != 1:
        return []
    return list(_active_points(checkout.channel_id).filter(
        warehouse__organization_id=sellers.pop()).order_by("pk"))


def choose_collection_point(checkout: Checkout, warehouse_id: int) -> Checkout:
    """Collect ``checkout``'s order at the warehouse's pick-up point: its shipping method
    is chosen as the storefront chooses it (a delivery address, the buyer's contact for the
    notice, first; only the point's own organisation's goods)."""
    point = _active_points(checkout.channel_id).filter(warehouse_id=warehouse_id).first()
    if point is None:
        raise field_error("delivery_method_id",
                          _("This warehouse is not a pick-up point of this channel."),
                          CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE.value)
    return update_checkout_delivery_method(checkout, point.method_id)


def order_pickup_point(order: Order) -> PickupPoint | None:
    return point_of(order.shipping_method) if order.shipping_method_id else None


@transaction.atomic
def mark_ready_for_pickup(order: Order, organization: Organization, user=None) -> PickupNotice:
    """The cooperative has the order ready at its pick-up point: the buyer is told where
    and when to collect it, once (asking again returns the first notice)."""
    order = locked_order(order)
    point = order_pickup_point(order)
    if point is None:
        raise field_error("id", _("This order is not collected at a pick-up point."),
                          OrderErrorCode.INVALID.value)
    if point.warehouse.organization_id != organization.pk:
        raise field_error("id", _("This order is collected at another organisation's "
                                  "pick-up point."), OrderErrorCode.INVALID.value)
    existing = PickupNotice.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if order.status not in READY_STATUSES:
        raise field_error("id", _("Only a paid order that has not been handed over can be "
                                  "ready for pick-up."), OrderErrorCode.INVALID.value)
    notice = PickupNotice.objects.create(order=order, point=point, ready_at=timezone.now(),
                                         ready_by=user)
    with override(order.buyer_language()):
        subject, body = pickup_text(order, point)
    record_event(order, OrderEvent.Type.NOTE, user=user, message=subject,
                 kind="ready_for_pickup")
    notifications.notify(order.user or order.user_email, "pickup_ready", subject, body,
                         reference=f"order:{order.number}", email=order.user_email)
    return notice


def pickup_text(order: Order, point: PickupPoint) -> tuple[str, str]:
    """The notice's subject and body in the active language."""
    subject = _("Your order %(number)s is ready for pick-up") % {"number": order.number}
    body = _("Collect it at %(place)s, %(address)s, during %(hours)s. Show the order "
             "number %(number)s.") % {"place": point.warehouse.organization.name,
                                      "address": point.address, "hours": point.opening_hours,
                                      "number": order.number}
    if point.phone:
        body += " " + _("Phone: %(phone)s") % {"phone": point.phone}
    return subject, body
