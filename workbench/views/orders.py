"""Orders to ship: the paid orders with this producer's lines, and shipping them with each
package's trace code scanned by the phone's camera (or typed). Every scanned code is
checked at once by the shipping service itself in a transaction that is rolled back, so
the refusals (recalled, another producer's, already shipped, too many) are the service's
own, word for word; the shipment is then made by ``supplychain.services.fulfill_with_codes``
(the API's ``orderFulfillWithCodes``).

After-sales (售后): the shoppers' refund and return requests to this producer, open ones
first, and the decision on each (approve, goods received, refuse with a reason), made by
``shop.services.returns`` as the API's ``orderReturnRequest*`` mutations make it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shop.models import ShippingMethod
from shop.pickup import PickupNotice, point_of
from shop.returns import ReturnRequest
from shop.services import pickup as pickup_services
from shop.services import returns as return_services
from supplychain import services as supplychain_services
from supplychain.models import ShippedCode

from .. import selectors
from ..access import member_required
from ..forms import ShipForm, apply_service_errors
from ..nav import crumbs
from ..roles import PRODUCER
from . import page


class _DryRun(Exception):
    """Raised to roll back a check made by running the real service."""


def scanned_text_to_code(text: str) -> str:
    """The code in what a scanner read: the QR holds the trace page's URL (``…/t/CODE``)."""
    text = (text or "").strip()
    if "/t/" in text:
        text = text.rsplit("/t/", 1)[1].split("?")[0].split("/")[0]
    return text.strip().upper()


def _lines_payload(order, data) -> list[dict]:
    """``[{"order_line_id", "codes", "quantity"}]`` from the form: per own line, the
    scanned codes (one per line of text) and, when no code was scanned, a typed count."""
    lines = []
    for line in order.own_lines:
        codes = [scanned_text_to_code(c) for c in data.get(f"codes_{line.pk}", "").split()]
        codes = list(dict.fromkeys(c for c in codes if c))
        count = (data.get(f"qty_{line.pk}") or "").strip()
        if codes:
            lines.append({"order_line_id": line.pk, "codes": codes, "quantity": len(codes)})
        elif count.isdigit() and int(count) > 0:
            lines.append({"order_line_id": line.pk, "codes": [], "quantity": int(count)})
    return lines


def check_codes(order, organization, line, codes: list[str]) -> str | None:
    """The shipping service's refusal of shipping ``codes`` on ``line`` now, or ``None``
    when it would accept them. Nothing is kept: the transaction is rolled back."""
    try:
        with transaction.atomic():
            supplychain_services.fulfill_with_codes(
                order, organization,
                [{"order_line_id": line.pk, "codes": codes, "quantity": len(codes)}],
                carrier="-", tracking_number="-", user=None)
            raise _DryRun
    except _DryRun:
        return None
    except ValidationError as error:
        return error.messages[0]


@require_GET
@member_required(PRODUCER)
def order_list(request):
    orders = selectors.orders_to_ship(request.organization)
    for order in orders:
        order.units_left = sum(line.quantity_unfulfilled for line in order.own_lines)
    open_requests = ReturnRequest.objects.filter(organization=request.organization,
                                                 status__in=ReturnRequest.OPEN).count()
    return page(request, "workbench/orders/list.html", {"orders": orders,
                                                        "open_requests": open_requests},
                crumbs=crumbs((_("Orders to ship"), None)))


def _own_order(request, number):
    order = selectors.order_for_shipping(request.organization, number)
    if order is None:
        raise Http404
    return order


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def order_ship(request, number):
    order = _own_order(request, number)
    if request.method == "POST" and request.POST.get("action") == "ready_for_pickup":
        return _ready_for_pickup(request, order)
    # The carrier the buyer chose is the one to hand the parcel to.
    form = ShipForm(request.POST or None, initial={"carrier": order.shipping_method_name})
    if request.method == "POST" and form.is_valid():
        lines = _lines_payload(order, request.POST)
        try:
            supplychain_services.fulfill_with_codes(
                order, request.organization, lines, carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"], user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"codes": None, "quantity": None})
        else:
            messages.success(request, _("Order %(n)s shipped with %(carrier)s.")
                             % {"n": order.number, "carrier": form.cleaned_data["carrier"]})
            return redirect("workbench:orders")
    carriers = sorted(set(ShippingMethod.objects.filter(is_active=True)
                          .values_list("name", flat=True)))
    for line in order.own_lines:
        line.typed_codes = request.POST.get(f"codes_{line.pk}", "")
        line.shipped = [s.trace_code.code for s in line.shipped_codes.all()]
    pickup_point = point_of(order.shipping_method)
    return page(request, "workbench/orders/ship.html", {
        "order": order, "form": form, "carriers": carriers,
        "shippable": order.status in selectors.SHIPPABLE,
        "pickup_point": pickup_point,
        "pickup_notice": PickupNotice.objects.filter(order=order).first() if pickup_point
        else None,
        # A buyer's open request (the whole order back before shipping) is answered first.
        "open_return": ReturnRequest.objects.filter(
            order=order, organization=request.organization,
            status__in=ReturnRequest.OPEN).first(),
    }, crumbs=crumbs((_("Orders to ship"), reverse("workbench:orders")),
                     (_("Order %(n)s") % {"n": order.number}, None)),
        status=400 if form.errors else 200)


def _ready_for_pickup(request, order):
    """The 自提 button: the buyer is told the order waits at the pick-up point."""
    try:
        pickup_services.mark_ready_for_pickup(order, request.organization, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The buyer of order %(n)s has been told it is ready for "
                                    "pick-up.") % {"n": order.number})
    return redirect("workbench:order-ship", number=order.number)


@require_POST
@member_required(PRODUCER)
def order_check_code(request, number):
    """A scanned code, checked at once: ``{"ok", "code", "message", "count", "quantity"}``.
    ``codes`` are those already accepted for the line, to which this one is added."""
    order = _own_order(request, number)
    wanted = request.POST.get("line")
    line = next((own for own in order.own_lines if str(own.pk) == wanted), None)
    if line is None:
        raise Http404
    code = scanned_text_to_code(request.POST.get("code", ""))
    accepted = [c for c in (scanned_text_to_code(c) for c in request.POST.get(
        "codes", "").split()) if c]
    if code in accepted:
        return JsonResponse({"ok": False, "code": code, "count": len(accepted),
                             "quantity": line.quantity_unfulfilled,
                             "message": _("%(code)s is already scanned for this line.")
                             % {"code": code}})
    refusal = check_codes(order, request.organization, line, [*accepted, code])
    count = len(accepted) + (0 if refusal else 1)
    return JsonResponse({"ok": refusal is None, "code": code, "message": refusal or "",
                         "count": count, "quantity": line.quantity_unfulfilled})


# After-sales ------------------------------------------------------------------------------

@require_GET
@member_required(PRODUCER)
def return_list(request):
    """Requests to this producer: open ones first (oldest first: they wait longest), then
    the last answered ones."""
    waiting = Case(When(status__in=ReturnRequest.OPEN, then=Value(0)), default=Value(1),
                   output_field=IntegerField())
    rows = list(ReturnRequest.objects.filter(organization=request.organization)
                .select_related("order").prefetch_related("lines__order_line")
                .annotate(waiting=waiting).order_by("waiting", "created_at")[:100])
    return page(request, "workbench/orders/returns.html", {
        "open": [r for r in rows if r.is_open], "answered": [r for r in rows if not r.is_open]
        [-20:][::-1]},
        crumbs=crumbs((_("Orders to ship"), reverse("workbench:orders")),
                      (_("After-sales"), None)))


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def return_detail(request, pk):
    """One request: what, why, the shopper's photos; approve, goods received or refuse."""
    item = get_object_or_404(ReturnRequest.objects.select_related(
        "order__shipping_address", "refund"), pk=pk, organization=request.organization)
    if request.method == "POST":
        action = request.POST.get("action")
        decisions = {"approve": return_services.approve_return_request,
                     "received": return_services.mark_return_received,
                     "refuse": return_services.refuse_return_request}
        if action not in decisions:
            raise Http404
        extra = {"reason": request.POST.get("reason", "")} if action == "refuse" else {}
        if action == "approve" and item.type == ReturnRequest.Type.RETURN_AND_REFUND:
            extra = {"address": request.POST.get("address", "")}  # where the goods go back
        if action == "received":
            # Back on sale unless the seller says the goods cannot be sold again.
            extra = {"restock": request.POST.get("restock", "yes") != "no",
                     "codes": request.POST.getlist("codes") or None}
        try:
            item = decisions[action](item, request.organization, user=request.user, **extra)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if item.status == ReturnRequest.Status.REFUNDING:
                messages.error(request, _("The refund did not go through: %(why)s Try again "
                                          "in a moment.") % {"why": item.refund.gateway_message
                                                             if item.refund else ""})
            else:
                messages.success(request, _("Request of order %(n)s: %(status)s.")
                                 % {"n": item.order.number,
                                    "status": item.get_status_display()})
        return redirect("workbench:return", pk=item.pk)
    lines = list(item.lines.select_related("order_line"))
    # The packages still with the buyer, for the seller to tick those that came back
    # (ticked already when all of a line's did).
    packages = []
    if item.status == ReturnRequest.Status.AWAITING_RETURN:
        for line in lines:
            codes = list(ShippedCode.objects.filter(order_line=line.order_line_id)
                         .order_by("pk").values_list("trace_code__code", flat=True))
            packages.extend((code, len(codes) == line.quantity) for code in codes)
    return page(request, "workbench/orders/return.html", {
        "item": item, "lines": lines, "photo_urls": return_services.photo_urls(item),
        "packages": packages,
        "seller_address": request.organization.address,
    }, crumbs=crumbs((_("Orders to ship"), reverse("workbench:orders")),
                     (_("After-sales"), reverse("workbench:returns")),
                     (_("Order %(n)s") % {"n": item.order.number}, None)))
