"""Closing an order: the buyer confirms receipt (确认收货), or the shop confirms it for them
once ``ORDER_AUTO_CONFIRM_DAYS`` have passed since the last package shipped. Either way the
order becomes delivered through ``mark_order_delivered`` (so its trace codes are marked
sold today, by the ``order_delivered`` signal)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..error_codes import OrderErrorCode
from ..errors import field_error
from ..models import Order, OrderEvent
from .fulfilment import mark_order_delivered
from .orders import locked_order


def auto_confirm_at(order: Order):
    """When a shipped order is confirmed without the buyer: ``ORDER_AUTO_CONFIRM_DAYS``
    after its last shipment (``None`` while nothing has shipped)."""
    shipped = order.events.filter(type=OrderEvent.Type.SHIPPED).aggregate(d=Max("date"))["d"]
    if shipped is None:
        return None
    return shipped + timedelta(days=settings.ORDER_AUTO_CONFIRM_DAYS)


def _close(order: Order, user, message: str) -> Order:
    order = mark_order_delivered(order, user=user)
    # The delivery event says who closed the order and how.
    event = order.events.filter(type=OrderEvent.Type.DELIVERED).order_by("-pk").first()
    event.message = message[:255]
    event.save(update_fields=["message"])
    return order


@transaction.atomic
def confirm_receipt(order: Order, user=None) -> Order:
    """The buyer says the packages arrived. ``user`` is the signed-in buyer (``None`` for
    a guest, whose page the view has already checked belongs to this browser). Refused for
    another person's order and for an order that has not fully shipped."""
    order = locked_order(order)
    if order.user_id and (user is None or user.pk != order.user_id):
        raise field_error("id", _("Only the buyer can confirm receipt of this order."),
                          OrderErrorCode.INVALID.value)
    if order.status == Order.Status.DELIVERED:
        raise field_error("id", _("Receipt of this order has already been confirmed."),
                          OrderErrorCode.INVALID.value)
    if order.status != Order.Status.SHIPPED:
        raise field_error("id", _("Receipt can be confirmed once everything has shipped."),
                          OrderErrorCode.INVALID.value)
    return _close(order, user, _("Receipt confirmed by the buyer."))


def confirm_overdue_receipts(now=None, limit: int = 500) -> int:
    """Confirm every shipped order whose last shipment is ``ORDER_AUTO_CONFIRM_DAYS`` old
    (beat, hourly); each in its own transaction, skipping rows another worker holds.
    Returns how many were confirmed now (running twice confirms nothing more)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ORDER_AUTO_CONFIRM_DAYS)
    ids = list(Order.objects.filter(status=Order.Status.SHIPPED)
               .annotate(last_shipped=Max("events__date", filter=Q(events__type=OrderEvent.Type.SHIPPED)))
               .filter(last_shipped__lte=cutoff).order_by("last_shipped")
               .values_list("pk", flat=True)[:limit])
    confirmed = 0
    for pk in ids:
        with transaction.atomic():
            order = (Order.objects.select_for_update(skip_locked=True)
                     .filter(pk=pk, status=Order.Status.SHIPPED).first())
            if order is None:
                continue
            _close(order, None, _("Receipt confirmed automatically %(days)s days after "
                                  "shipping.") % {"days": settings.ORDER_AUTO_CONFIRM_DAYS})
            confirmed += 1
    return confirmed

