"""What an approved after-sales request does to the order: the refund (under the request's
own refund number, so it happens once however often it is asked, and retried on a
schedule while the gateway fails), the units refunded before they shipped taken off the
order with their stock released, and returned goods back in stock when the seller says
they can be sold again. The decisions themselves are in ``shop.services.returns``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..error_codes import OrderErrorCode
from ..errors import field_error
from ..models import Allocation, Order, OrderEvent, OrderLine, Refund, Stock
from ..money import money
from ..returns import ReturnRequest, ReturnRequestLine
from ..signals import goods_returned, order_lines_cancelled
from .orders import locked_order, record_event
from .payments import refund_order
from .stock import increase_stock, release_reserved_stock

Status = ReturnRequest.Status


def refund_return_request(request: ReturnRequest, user=None) -> ReturnRequest:
    """Refund an approved request through ``refund_order`` under its refund number: safe to
    call again (a retry after a failure, a second tap, the scheduled retry): it refunds at
    most once. A failure sets when the schedule tries again, waiting twice as long after
    each (``RETURN_REFUND_RETRY_MINUTES`` first, a day at most). The buyer's refund notice
    is the order's own (``order_refunded``)."""
    request = ReturnRequest.objects.select_related("order").get(pk=request.pk)
    if request.status == Status.REFUNDED:
        return request
    if request.status != Status.REFUNDING:
        raise field_error("id", _("This request has been answered already: %(status)s.")
                          % {"status": request.get_status_display()},
                          OrderErrorCode.INVALID.value)
    refund = refund_order(request.order, request.amount,
                          _("After-sales request %(id)s: %(reason)s")
                          % {"id": request.pk, "reason": request.get_reason_display()},
                          user=user, out_request_no=request.refund_key)
    with transaction.atomic():
        request = ReturnRequest.objects.select_for_update().select_related("order").get(
            pk=request.pk)
        request.refund = refund
        if refund.status == Refund.Status.SUCCESS:
            request.status, request.refund_retry_at = Status.REFUNDED, None
        else:
            request.refund_failures += 1
            wait = settings.RETURN_REFUND_RETRY_MINUTES * 2 ** (request.refund_failures - 1)
            request.refund_retry_at = timezone.now() + timedelta(minutes=min(wait, 24 * 60))
        request.save(update_fields=["refund", "status", "refund_failures", "refund_retry_at"])
    return request


def retry_failed_refunds(limit: int = 100) -> int:
    """The scheduled retry (beat): refund again every approved request whose refund failed
    (or never reached the gateway) and whose time to retry has come. Each goes through
    :func:`refund_return_request` under its own number, so a request the seller retried
    meanwhile, or one refunded by a retry the gateway answered late, is refunded once.
    Returns how many were refunded by this run."""
    due = (ReturnRequest.objects.filter(status=Status.REFUNDING)
           .filter(Q(refund_retry_at__isnull=True) | Q(refund_retry_at__lte=timezone.now()))
           .order_by("refund_retry_at", "pk").values_list("pk", flat=True)[:limit])
    refunded = 0
    for pk in list(due):
        request = ReturnRequest(pk=pk)
        try:
            request = refund_return_request(request)
        except ValidationError as error:
            # Refused by the shop itself (nothing left of the payment, say): the seller's
            # page shows the request approved and unrefunded; tried again in a day, and
            # the other requests of this run go on.
            ReturnRequest.objects.filter(pk=pk).update(
                refund_retry_at=timezone.now() + timedelta(hours=24))
            record_event(ReturnRequest.objects.get(pk=pk).order, OrderEvent.Type.REFUND_FAILED,
                         message=" ".join(error.messages)[:255],
                         kind="return_refund_refused", request=pk)
            continue
        refunded += request.status == Status.REFUNDED
    return refunded


def cancel_unshipped_units(request: ReturnRequest, user=None) -> bool:
    """Take the units of an approved refund of unshipped items off the order (they will
    never ship) and release their stock (``order_lines_cancelled``: units bought in a
    broadcast still on air go back to its live allocation). In the caller's transaction,
    the order locked; refused when some of them have shipped since the buyer asked.
    Returns whether nothing of the order is left, none of it shipped."""
    order = locked_order(request.order)
    rows = list(ReturnRequestLine.objects.filter(request=request))
    lines = {line.pk: line for line in OrderLine.objects.select_for_update().filter(
        pk__in=[row.order_line_id for row in rows]).order_by("pk")}
    for row in rows:
        if lines[row.order_line_id].quantity_unfulfilled < row.quantity:
            raise field_error("id", _("Some of these items have shipped since the buyer asked: "
                                      "refuse the request; the buyer can ask for a return."),
                              OrderErrorCode.INVALID.value)
    parts = []
    for row in rows:
        line = lines[row.order_line_id]
        line.quantity_cancelled += row.quantity
        line.save(update_fields=["quantity_cancelled"])
        parts.extend(_release_allocations(line, row.quantity))
    release_reserved_stock(parts)
    order_lines_cancelled.send(sender=OrderLine, order=order, user=user, lines=[
        (lines[row.order_line_id], row.quantity) for row in rows])
    lines = list(order.lines.all())
    if order.status == Order.Status.PARTIALLY_SHIPPED and not any(
            line.quantity_unfulfilled > 0 for line in lines):
        order.status = Order.Status.SHIPPED  # what is left of it has all shipped
        order.save(update_fields=["status", "updated_at"])
    return all(line.quantity_cancelled == line.quantity for line in lines)


def left_to_refund(order: Order, request: ReturnRequest) -> Decimal:
    """What is left of the order's payment for ``request``: what was charged, less what was
    refunded and what other approved requests are about to refund."""
    order = Order.objects.get(pk=order.pk)  # as now, under the caller's lock
    pending = (ReturnRequest.objects.filter(order=order, status=Status.REFUNDING)
               .exclude(pk=request.pk).aggregate(n=Sum("amount"))["n"] or Decimal(0))
    return max(money(order.total_charged_amount - order.total_refunded_amount - pending),
               Decimal(0))


def _release_allocations(line: OrderLine, units: int) -> list[tuple[int, int]]:
    """The line's allocations lose ``units`` (first stock rows first); returns the stock
    rows' share, ``[(stock_id, units)]``, for ``release_reserved_stock`` to give back."""
    parts = []
    for allocation in (Allocation.objects.select_for_update()
                       .filter(order_line=line, quantity_allocated__gt=0).order_by("stock_id")):
        if units == 0:
            break
        take = min(allocation.quantity_allocated, units)
        allocation.quantity_allocated -= take
        allocation.save(update_fields=["quantity_allocated"])
        parts.append((allocation.stock_id, take))
        units -= take
    return parts


def take_back_returned_units(request: ReturnRequest, *, restock: bool, codes=None,
                             user=None) -> None:
    """The returned goods reached the seller: back on sale (``restock``), each unit returns
    to the stock row it shipped from; not sellable (damaged, opened, spoiled), the stock
    stays as it is. The supply chain records each package's return (``goods_returned``,
    ``codes``: the packages the seller scanned). In the caller's transaction."""
    rows = list(ReturnRequestLine.objects.filter(request=request).select_related(
        "order_line__variant", "order_line__organization"))
    earlier = dict(ReturnRequestLine.objects.filter(
        order_line__in=[row.order_line_id for row in rows], request__received_at__isnull=False)
        .exclude(request=request).values_list("order_line_id").annotate(
            n=Sum("quantity")).values_list("order_line_id", "n"))
    lines = []
    for row in rows:
        line = row.order_line
        lines.append((line, row.quantity, line.quantity_fulfilled - earlier.get(line.pk, 0)))
        if restock and line.variant_id:
            warehouse = _warehouse_shipped_from(line)
            if warehouse is not None:
                increase_stock(line.variant, warehouse, row.quantity)
    goods_returned.send(sender=ReturnRequest, request=request, lines=lines, restocked=restock,
                        codes=codes, user=user)


def _warehouse_shipped_from(line: OrderLine):
    """The warehouse of the stock row the line's units were allocated from, else the
    seller's first warehouse with a stock row of the variant."""
    allocation = line.allocations.select_related("stock__warehouse").order_by("stock_id").first()
    if allocation is not None:
        return allocation.stock.warehouse
    stock = (Stock.objects.filter(product_variant_id=line.variant_id,
                                  warehouse__organization_id=line.organization_id)
             .select_related("warehouse").order_by("pk").first())
    return stock.warehouse if stock is not None else None
