"""Flow to the buyer. Codes travel with the order in two steps: ``ship_codes`` records the
packages that went out on a shipped line (codes turn in_transit; ``fulfill_with_codes``
ships lines and records their codes in one transaction), and when shop marks the order
delivered its ``order_delivered`` signal (connected in ``apps.py``) turns them
retail_sold."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.traced import traced_product_ids
from shop import services as shop_services
from shop.errors import field_error
from shop.models import Order, OrderLine, Organization

from ..codes import normalise_code
from ..error_codes import SupplyChainErrorCode as E
from ..models import Disposition, ShippedCode, TraceCode, TraceEvent
from ..trace_texts import reason
from .common import BizStep
from .invalidation import changed


@transaction.atomic
def ship_codes(order_line, codes: list[str], *, user=None):
    """Record the packages (by their scanned or assigned codes) that went out on an order
    line: each code must be an unshipped, unrecalled package of the line's variant, and a
    line gets no more codes than it has shipped units. Codes turn ``in_transit`` (or
    ``retail_sold`` straight away when the order was already delivered).

    Locks the order, then the line, then the codes (primary-key order), as shop's
    fulfilment and delivery do, so concurrent calls cannot give a line too many codes."""
    order = Order.objects.select_for_update().get(pk=order_line.order_id)
    order_line = OrderLine.objects.select_for_update().get(pk=order_line.pk)
    wanted = []
    for text in codes:
        code = normalise_code(text)
        if code is None:
            raise field_error("codes", _("%(code)s is not a trace code.") % {"code": text},
                              E.INVALID)
        if code not in wanted:
            wanted.append(code)
    if not wanted:
        raise field_error("codes", _("Give at least one trace code."), E.REQUIRED)
    if not order_line.quantity_fulfilled:
        raise field_error("codes", _("Ship this line first; codes are recorded for shipped items."),
                          E.INVALID)
    rows = {t.code: t for t in TraceCode.objects.select_for_update(of=("self",))
            .filter(code__in=wanted).select_related("packing_run").order_by("pk")}
    for code in wanted:
        trace = rows.get(code)
        if trace is None:
            raise field_error("codes", _("%(code)s was never issued.") % {"code": code},
                              E.NOT_FOUND)
        if trace.packing_run.variant_id != order_line.variant_id:
            raise field_error("codes", _("%(code)s is not a package of this line's product.")
                              % {"code": code}, E.INVALID)
        if trace.disposition != Disposition.ACTIVE or trace.shipped_at is not None:
            raise field_error("codes", _("%(code)s has already been shipped or recalled.")
                              % {"code": code}, E.INVALID)
    already = ShippedCode.objects.filter(order_line=order_line).count()
    if already + len(wanted) > order_line.quantity_fulfilled:
        raise field_error("codes", _("%(n)s items of this line have shipped; %(m)s codes would be "
                                     "too many.")
                          % {"n": order_line.quantity_fulfilled, "m": already + len(wanted)},
                          E.INSUFFICIENT_QUANTITY)
    now = timezone.now()
    traces = [rows[c] for c in wanted]
    ShippedCode.objects.bulk_create(
        ShippedCode(trace_code=t, order_line=order_line, shipped_at=now, shipped_by=user)
        for t in traces)
    TraceCode.objects.filter(pk__in=[t.pk for t in traces]).update(
        disposition=Disposition.IN_TRANSIT, shipped_at=now)
    # The trace pages of these codes now show the shipment.
    changed(lots={t.packing_run.graded_lot_id for t in traces})
    # The journey is public (anyone scanning the code reads it): it says the package left
    # for its buyer, never which order it went out on.
    why = reason("shipped")
    TraceEvent.objects.bulk_create(
        TraceEvent(organization_id=t.packing_run.organization_id, biz_step=BizStep.SHIPPING,
                   event_time=now, actor=user, trace_code=t, disposition=Disposition.IN_TRANSIT,
                   action=TraceEvent.Action.OBSERVE, **why)
        for t in traces)
    if order.status == Order.Status.DELIVERED:
        mark_codes_sold(order, user=user)
    return list(ShippedCode.objects.filter(order_line=order_line).select_related("trace_code"))


@transaction.atomic
def fulfill_with_codes(order, organization: Organization, lines: list[dict], *,
                       carrier: str, tracking_number: str, user=None):
    """Ship a seller's lines and record the packages that went out, in one transaction:
    ``lines`` is ``[{"order_line_id", "codes": [...], "quantity"}]`` where ``quantity``
    defaults to the number of codes. A wrong code, or more codes than units shipped now,
    refuses the whole shipment (no fulfilment, no stock moved, no code changed).
    Returns ``(fulfillment, shipped_codes)``.

    每物一码: a line of a traced product ships only with one code per unit shipped."""
    traced = _traced_line_ids(order, [line["order_line_id"] for line in lines])
    items = []
    for line in lines:
        codes = list(line.get("codes") or [])
        quantity = line.get("quantity")
        if quantity is None:
            if not codes:
                raise field_error("quantity", _("Say how many items of the line are shipped, or "
                                                "give their trace codes."), E.REQUIRED)
            quantity = len({(c or "").strip().upper() for c in codes})
        distinct = len({(c or "").strip().upper() for c in codes})
        if distinct > quantity:
            raise field_error("codes", _("%(n)s items of this line are shipped now; %(m)s codes "
                                         "would be too many.")
                              % {"n": quantity, "m": distinct}, E.INSUFFICIENT_QUANTITY)
        if line["order_line_id"] in traced and distinct != quantity:
            raise field_error("codes", _("This product is traced: scan one trace code for each "
                                         "of the %(n)s items shipped (%(m)s given).")
                              % {"n": quantity, "m": distinct}, E.TRACE_CODES_REQUIRED)
        items.append((line["order_line_id"], quantity, codes))
    fulfillment = shop_services.fulfill_order_lines(
        order, organization, [{"order_line_id": pk, "quantity": q} for pk, q, _c in items],
        carrier=carrier, tracking_number=tracking_number, user=user, codes_recorded=True)
    shipped = []
    lines_by_pk = {line.pk: line for line in OrderLine.objects.filter(
        pk__in=[pk for pk, _q, codes in items if codes])}
    for pk, _quantity, codes in items:
        if codes:
            shipped.extend(ship_codes(lines_by_pk[pk], codes, user=user))
    return fulfillment, shipped


def refuse_traced_without_codes(sender, order, lines, **kwargs) -> None:
    """Receiver of ``shop.signals.lines_shipping_without_codes`` (connected in
    ``apps.py``): a traced product's line ships only with its codes
    (``fulfill_with_codes``), never through a plain fulfilment."""
    traced = _traced_line_ids(order, [line.pk for line, _quantity in lines])
    if traced:
        raise field_error("lines", _("This product is traced: scan one trace code for each "
                                     "item shipped."), E.TRACE_CODES_REQUIRED)


def _traced_line_ids(order, line_ids) -> set[int]:
    lines = list(OrderLine.objects.filter(order=order, pk__in=line_ids)
                 .select_related("variant__product"))
    traced = traced_product_ids({line.variant.product for line in lines if line.variant_id})
    return {line.pk for line in lines if line.variant_id and line.variant.product_id in traced}


def mark_codes_sold(order, *, user=None) -> int:
    """A delivered order's packages are sold: its shipped codes still in transit turn
    ``retail_sold``, each with a retail_selling event (recalled codes stay recalled).
    Runs inside the caller's transaction; returns how many codes turned sold."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    rows = list(TraceCode.objects.select_for_update(of=("self",))
                .filter(shipment__order_line__order=order, disposition=Disposition.IN_TRANSIT)
                .order_by("pk").values_list("pk", "packing_run__organization_id",
                                            "packing_run__graded_lot_id"))
    if not rows:
        return 0
    now = timezone.now()
    TraceCode.objects.filter(pk__in=[pk for pk, _org, _lot in rows]).update(
        disposition=Disposition.RETAIL_SOLD)
    changed(lots={lot for _pk, _org, lot in rows})
    why = reason("delivered")
    TraceEvent.objects.bulk_create(
        TraceEvent(organization_id=org_id, biz_step=BizStep.RETAIL_SELLING, event_time=now,
                   actor=user, trace_code_id=pk, disposition=Disposition.RETAIL_SOLD,
                   action=TraceEvent.Action.OBSERVE, **why)
        for pk, org_id, _lot in rows)
    return len(rows)


def codes_sold_on_delivery(sender, order, user=None, **kwargs) -> None:
    """Receiver of ``shop.signals.order_delivered`` (connected in ``apps.py``)."""
    mark_codes_sold(order, user=user)

def codes_returned(sender, request, lines, restocked, codes=None, user=None, **kwargs) -> None:
    """Receiver of ``shop.signals.goods_returned`` (connected in ``apps.py``): the packages
    a buyer sent back. ``lines`` is ``[(order_line, units back, units that were out)]``.
    A line's packages are those named in ``codes``; with none named, all its packages
    still out when everything of the line that was out came back. Back on sale, a package
    is in stock again and may ship on another order; not sellable, it is ``returned``.
    Either way it leaves the buyer's order, and its journey says it came back without
    saying from whom. Runs in the caller's transaction."""
    named = {}
    for text in codes or []:
        code = normalise_code(text)
        if code is None:
            raise field_error("codes", _("%(code)s is not a trace code.") % {"code": text},
                              E.INVALID)
        named[code] = text
    chosen = []
    for order_line, units, out in lines:
        shipped = list(ShippedCode.objects.select_for_update(of=("self",))
                       .filter(order_line=order_line).select_related("trace_code__packing_run")
                       .order_by("pk"))
        every_unit_coded = len(shipped) == out
        if named:
            mine = [s for s in shipped if s.trace_code.code in named]
            if len(mine) > units or (every_unit_coded and len(mine) != units):
                raise field_error("codes", _("Scan the trace codes of the %(n)s packages of "
                                             "%(product)s that came back.")
                                  % {"n": units, "product": order_line.product_name},
                                  E.INSUFFICIENT_QUANTITY)
        elif units == out:
            mine = shipped
        elif shipped:
            raise field_error("codes", _("Scan the trace codes of the %(n)s packages of "
                                         "%(product)s that came back.")
                              % {"n": units, "product": order_line.product_name}, E.REQUIRED)
        else:
            mine = []
        chosen.extend(mine)
    unknown = set(named) - {s.trace_code.code for s in chosen}
    if unknown:
        code = named[sorted(unknown)[0]]
        raise field_error("codes", _("%(code)s did not go out on these items.")
                          % {"code": code}, E.INVALID)
    if not chosen:
        return
    traces = [s.trace_code for s in chosen]
    ShippedCode.objects.filter(pk__in=[s.pk for s in chosen]).delete()
    # A recalled package stays recalled whatever the seller says of it.
    if restocked:
        TraceCode.objects.filter(pk__in=[t.pk for t in traces]).exclude(
            disposition=Disposition.RECALLED).update(disposition=Disposition.ACTIVE,
                                                      shipped_at=None)
    else:
        TraceCode.objects.filter(pk__in=[t.pk for t in traces]).exclude(
            disposition=Disposition.RECALLED).update(disposition=Disposition.RETURNED)
    changed(lots={t.packing_run.graded_lot_id for t in traces})
    # Naming neither the buyer nor the order: anyone holding the package reads it.
    why = reason("returned_restocked" if restocked else "returned")
    now = timezone.now()
    TraceEvent.objects.bulk_create(
        TraceEvent(organization_id=t.packing_run.organization_id, biz_step=BizStep.RECEIVING,
                   event_time=now, actor=user if getattr(user, "is_authenticated", False)
                   else None, trace_code=t,
                   disposition=(Disposition.RECALLED if t.disposition == Disposition.RECALLED
                                else Disposition.ACTIVE if restocked else Disposition.RETURNED),
                   action=TraceEvent.Action.OBSERVE, **why)
        for t in traces)
