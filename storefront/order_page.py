"""The buyer's order page beyond paying: confirming receipt (确认收货), when the shop will
confirm it otherwise, and the recalls that concern the order (a banner with what to do)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from shop import services as shop_services
from shop.models import Order
from supplychain.services.recalls import order_recalls


def confirm(request, order: Order):
    """The buyer's 确认收货 button: the order becomes delivered, its codes sold."""
    user = request.user if request.user.is_authenticated else None
    try:
        shop_services.confirm_receipt(order, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you! Receipt confirmed."))
    return redirect("storefront:order", number=order.number)


def context(order: Order) -> dict:
    shipped = order.status == Order.Status.SHIPPED
    return {
        "can_confirm": shipped,
        "auto_confirm_at": shop_services.auto_confirm_at(order) if shipped else None,
        "recalls": order_recalls(order),
    }
