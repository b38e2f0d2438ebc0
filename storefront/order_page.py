"""The buyer's order page beyond paying: confirming receipt (确认收货), when the shop will
confirm it otherwise, and the recalls that concern the order (a banner with what to do)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from shop import services as shop_services
from shop.models import Order
from shop.pickup import PickupNotice, point_of
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


# Guest orders this session opened only through a payment link (WeChat's "open in the
# browser" link): a link forwarded or seen over a shoulder must not reveal where the buyer
# lives, so their page shows the address and mobile number masked.
SESSION_LINKED_ORDERS = "storefront.linked_orders"


def remember_linked_order(request, order: Order) -> None:
    numbers = request.session.get(SESSION_LINKED_ORDERS, [])
    if order.number not in numbers:
        request.session[SESSION_LINKED_ORDERS] = [*numbers, order.number][-20:]


def masked_address(address) -> str:
    """Region kept (the buyer recognises the order), street, recipient and mobile hidden."""
    region = (f"{address.country_area}"
              f"{address.city if address.city != address.country_area else ''}"
              f"{address.city_area}")
    name = f"{address.last_name}{address.first_name}"
    phone = address.phone
    phone = f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"
    return f"{region}****** {name[:1]}** {phone}"


def delivery_address(request, order: Order) -> str:
    address = order.shipping_address
    if address is None:
        return ""
    if order.user_id is None and order.number in request.session.get(SESSION_LINKED_ORDERS, []):
        return masked_address(address)
    return str(address)


def context(order: Order, request=None) -> dict:
    shipped = order.status == Order.Status.SHIPPED
    pickup_point = point_of(order.shipping_method) if order.shipping_method_id else None
    return {
        # 自提: where and when to collect, and since when the order waits there.
        "pickup_point": pickup_point,
        "pickup_notice": PickupNotice.objects.filter(order=order).first() if pickup_point
        else None,
        "delivery_address": (delivery_address(request, order) if request is not None
                             else str(order.shipping_address or "")),
        "can_confirm": shipped,
        "auto_confirm_at": shop_services.auto_confirm_at(order) if shipped else None,
        "recalls": order_recalls(order),
    }
