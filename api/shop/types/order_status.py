"""Saleor's view of an order's state, derived from the pavilion's own status: Saleor keeps
fulfilment (``status``: UNFULFILLED → PARTIALLY_FULFILLED → FULFILLED, or CANCELED) apart
from payment (``paymentStatus``, ``chargeStatus``); the pavilion's single status (UNPAID,
PAID, PARTIALLY_SHIPPED, SHIPPED, DELIVERED, CANCELLED, REFUNDED) says both at once."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy as _

from shop.models import Order


class OrderStatus(graphene.Enum):
    DRAFT = "draft"
    UNCONFIRMED = "unconfirmed"
    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    FULFILLED = "fulfilled"
    CANCELED = "canceled"
    EXPIRED = "expired"


FULFILMENT = {
    Order.Status.UNPAID: "unfulfilled",
    Order.Status.PAID: "unfulfilled",
    Order.Status.PARTIALLY_SHIPPED: "partially_fulfilled",
    Order.Status.SHIPPED: "fulfilled",
    Order.Status.DELIVERED: "fulfilled",
    Order.Status.CANCELLED: "canceled",
    Order.Status.REFUNDED: "canceled",
}

LABELS = {
    "unfulfilled": _("Unfulfilled"),
    "partially_fulfilled": _("Partially fulfilled"),
    "fulfilled": _("Fulfilled"),
    "canceled": _("Canceled"),
}


def fulfilment_status(order) -> str:
    return FULFILMENT.get(order.status, "unfulfilled")


def status_display(order) -> str:
    """What the buyer reads: the pavilion's own status label, in the buyer's language."""
    return str(Order.Status(order.status).label)


def payment_status(order) -> str:
    """Saleor's PaymentChargeStatusEnum name for the order's money."""
    charged, refunded, total = (order.total_charged_amount, order.total_refunded_amount,
                                order.total_amount)
    if refunded > 0:
        return "FULLY_REFUNDED" if refunded >= charged else "PARTIALLY_REFUNDED"
    if charged <= 0:
        return "CANCELLED" if order.status == Order.Status.CANCELLED else "NOT_CHARGED"
    return "FULLY_CHARGED" if charged >= total else "PARTIALLY_CHARGED"


def authorize_status(order) -> str:
    """Alipay charges at once; what is charged counts as authorised."""
    if order.total_charged_amount <= 0:
        return "NONE"
    return "FULL" if order.total_charged_amount >= order.total_amount else "PARTIAL"
