"""The pavilion operator's orders (客服, 订单): every seller's orders, found by number,
mobile number or buyer and filtered by status, seller, county and date; an order's lines,
payment, refunds, packages and history; and what the operators may do to it, through the
shop's own services (the API's): cancel an unpaid order, refund a paid one with a reason
(``shop.services.refund_order``, through Alipay), add a note to its history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shop import services as shop_services
from shop.models import Order, OrderEvent, Payment

from .. import operator_selectors as selectors
from ..access import member_required
from ..forms import apply_service_errors
from ..nav import crumbs
from ..operator_forms import NoteForm, OrderFilterForm, ReasonForm, RefundForm
from ..roles import OPERATOR
from . import page

PAGE_SIZE = 20


def _orders_crumb():
    return (_("All orders"), reverse("workbench:ops-orders"))


@require_GET
@member_required(OPERATOR)
def order_list(request):
    form = OrderFilterForm(request.GET or None)
    found = Paginator(selectors.orders(**form.filters()), PAGE_SIZE)
    orders = found.get_page(request.GET.get("page"))
    for order in orders:
        order.seller_names = sorted({line.organization.name for line in order.lines.all()})
    query = request.GET.copy()
    query.pop("page", None)
    return page(request, "workbench/ops/orders.html", {
        "form": form, "orders": orders, "query": query.urlencode(),
        "filtered": bool(form.filters()),
    }, crumbs=crumbs((_("All orders"), None)))


def _order(number) -> Order:
    order = selectors.order_detail(number)
    if order is None:
        raise Http404
    return order


def _refundable(order: Order):
    """What is left to refund of the order's charged payment (``None`` when nothing was
    charged)."""
    charged = [p for p in order.payments.all()
               if p.status in (Payment.Status.CHARGED, Payment.Status.PARTIALLY_REFUNDED)]
    if not charged:
        return None
    return charged[0].charged_amount - charged[0].refunded_amount


def _detail(request, order, *, cancel_form=None, refund_form=None, note_form=None, status=200):
    refundable = _refundable(order)
    return page(request, "workbench/ops/order.html", {
        "order": order,
        "lines": list(order.lines.all()),
        "sellers": sorted({line.organization.name for line in order.lines.all()}),
        "events": list(order.events.all()),
        "can_cancel": order.status == Order.Status.UNPAID,
        "refundable": refundable,
        "cancel_form": cancel_form or ReasonForm(prefix="cancel"),
        "refund_form": refund_form or RefundForm(prefix="refund",
                                                 initial={"amount": refundable}),
        "note_form": note_form or NoteForm(prefix="note"),
        "after_sales": list(order.return_requests.all()),
    }, crumbs=crumbs(_orders_crumb(), (_("Order %(number)s") % {"number": order.number},
                                       None)), status=status)


@require_GET
@member_required(OPERATOR)
def order_detail(request, number):
    return _detail(request, _order(number))


@require_POST
@member_required(OPERATOR)
def order_cancel(request, number):
    order = _order(number)
    if order.status != Order.Status.UNPAID:
        # A paid order is refunded instead (which also puts its goods back on sale).
        messages.error(request, _("Only an unpaid order is cancelled here; refund a paid one."))
        return redirect("workbench:ops-order", number=order.number)
    form = ReasonForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            shop_services.cancel_order(order, user=request.user,
                                       reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error, {"id": None})
        else:
            messages.success(request, _("Order %(number)s is cancelled.")
                             % {"number": order.number})
            return redirect("workbench:ops-order", number=order.number)
    return _detail(request, order, cancel_form=form, status=400)


@require_POST
@member_required(OPERATOR)
def order_refund(request, number):
    order = _order(number)
    form = RefundForm(request.POST, prefix="refund")
    if form.is_valid():
        try:
            refund = shop_services.refund_order(order, form.cleaned_data["amount"],
                                                form.cleaned_data["reason"], user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error, {"id": None})
        else:
            if refund.status == refund.Status.SUCCESS:
                messages.success(request, _("Refunded %(amount)s to the buyer.")
                                 % {"amount": f"¥{refund.amount:.2f}"})
            else:
                messages.error(request, _("Alipay refused the refund: %(message)s")
                               % {"message": refund.gateway_message})
            return redirect("workbench:ops-order", number=order.number)
    return _detail(request, _order(number), refund_form=form, status=400)


@require_POST
@member_required(OPERATOR)
def order_note(request, number):
    order = _order(number)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        with transaction.atomic():
            shop_services.record_event(order, OrderEvent.Type.NOTE, user=request.user,
                                       message=form.cleaned_data["message"])
        messages.success(request, _("Note added."))
        return redirect("workbench:ops-order", number=order.number)
    return _detail(request, order, note_form=form, status=400)
