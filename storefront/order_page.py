"""The buyer's order page beyond paying: confirming receipt (确认收货), when the shop will
confirm it otherwise, the recalls that concern the order (a banner with what to do), and
after-sales (售后): asking a seller for a refund or a return, and the requests' answers."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from shop import services as shop_services
from shop.models import Order
from shop.pickup import PickupNotice, point_of
from shop.returns import ReturnRequest
from shop.services import returns as return_services
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


# What the shopper filled in when a request was refused, shown again in the form (the
# photos must be chosen again: a browser never re-sends a file).
SESSION_AFTER_SALES_DRAFT = "storefront.after_sales_draft"


def after_sales(request, order: Order):
    """The 申请售后 form: one seller's items and units, the kind, the reason, a note and
    photos. Refused: the message is shown and the form reopens with what was typed. With
    ``return_request``: how the goods went back (退货物流); with ``withdraw``: the request
    withdrawn (撤销)."""
    if request.POST.get("return_request"):
        return _return_sent(request, order)
    if request.POST.get("withdraw"):
        return _withdraw(request, order)
    seller = request.POST.get("seller", "")
    lines = []
    for line in order.lines.all():
        units = (request.POST.get(f"qty_{line.pk}") or "").strip()
        if str(line.organization_id) == seller and units.isdigit() and int(units) > 0:
            lines.append({"order_line_id": line.pk, "quantity": int(units)})
    note = request.POST.get("note", "")
    try:
        return_services.request_return(
            order, user=request.user if request.user.is_authenticated else None, lines=lines,
            type=request.POST.get("type", ""), reason=request.POST.get("reason", ""),
            note=note, photos=request.FILES.getlist("photos"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        request.session[SESSION_AFTER_SALES_DRAFT] = {
            "order": order.number, "seller": seller, "note": note[:500],
            "type": request.POST.get("type", ""), "reason": request.POST.get("reason", ""),
            "quantities": {str(item["order_line_id"]): item["quantity"] for item in lines}}
        return redirect(f"{order_url(order)}#after-sales")
    messages.success(request, _("Your request has been sent to the seller. You will be told "
                                "their answer here and by a notice."))
    return redirect(f"{order_url(order)}#after-sales")


def _return_sent(request, order: Order):
    item = order.return_requests.filter(pk=request.POST["return_request"]).first() \
        if request.POST["return_request"].isdigit() else None
    if item is None:
        raise Http404
    try:
        return_services.send_return_back(
            item, user=request.user if request.user.is_authenticated else None,
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: the seller can follow the parcel now."))
    return redirect(f"{order_url(order)}#return-request-{item.pk}")


def _withdraw(request, order: Order):
    number = request.POST["withdraw"]
    item = order.return_requests.filter(pk=number).first() if number.isdigit() else None
    if item is None:
        raise Http404
    try:
        return_services.withdraw_return_request(
            item, user=request.user if request.user.is_authenticated else None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request withdrawn. You can ask again if you change "
                                    "your mind."))
    return redirect(f"{order_url(order)}#return-request-{item.pk}")


def order_url(order: Order) -> str:
    return reverse("storefront:order", kwargs={"number": order.number})


def after_sales_context(order: Order, request=None) -> dict:
    """The order's requests with their answers, and a form per seller that may be asked."""
    draft = request.session.pop(SESSION_AFTER_SALES_DRAFT, None) if request is not None \
        else None
    if draft and draft.get("order") != order.number:
        draft = None
    sellers = return_services.sellers_to_ask(order)
    for seller in sellers:
        # Units not shipped yet are "no longer wanted"; shipped ones have the other reasons.
        seller["reasons"] = [(value, label) for value, label in ReturnRequest.Reason.choices
                             if (value == ReturnRequest.Reason.NOT_WANTED) == seller["unshipped"]]
        seller["open"] = bool(draft) and draft["seller"] == str(seller["organization"].pk)
        seller["perishable"] = any(perishable for _line, _units, perishable in seller["lines"])
        seller["rows"] = [{"line": line, "units": units, "perishable": perishable,
                           "value": (draft["quantities"].get(str(line.pk), 0)
                                     if seller["open"] else units)}
                          for line, units, perishable in seller["lines"]]
    requests = list(order.return_requests.select_related("organization", "refund")
                    .prefetch_related("lines__order_line", "photos"))
    for item in requests:
        item.photo_urls = return_services.photo_urls(item)
        item.return_address = return_services.return_address(item.organization)
        item.can_withdraw = return_services.can_withdraw(item)
    return {
        "return_requests": requests,
        "sellers_to_ask": sellers,
        "return_window_closes_at": return_services.window_closes_at(order),
        "return_window_days": settings.RETURN_WINDOW_DAYS,
        "after_sales_draft": draft or {},
    }


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
        **after_sales_context(order, request),
    }
