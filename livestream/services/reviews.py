"""The review (复盘) of a broadcast: live and post-live sales, refunds, top products,
sales per cooperative, conversion and the host's previous broadcasts."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from shop.models import Order, OrderLine
from shop.money import CENT, money

from ..models import Broadcast, LivePurchase
from .common import SOURCE


def sales_window(broadcast: Broadcast):
    """``(start, end, post_live_end)``: the live window (as it happened, else as planned)
    and the end of the post-live days that still count."""
    start = broadcast.started_at or broadcast.starts_at
    end = broadcast.ended_at or broadcast.ends_at
    return start, end, end + timedelta(days=settings.LIVESTREAM_POST_LIVE_DAYS)


def attributed_lines(broadcast: Broadcast):
    """Order lines attributed to ``broadcast`` (bought from it, live or after)."""
    _start, _end, post_end = sales_window(broadcast)
    return (OrderLine.objects.filter(source=SOURCE, source_ref=str(broadcast.pk),
                                     order__created_at__lte=post_end)
            .select_related("order", "organization")
            .order_by("order__created_at", "pk"))


def _totals(lines) -> dict:
    orders = {line.order_id for line in lines}
    return {
        "gmv": money(sum((line.total_price_amount for line in lines), Decimal(0))),
        "orders": len(orders),
        "units": sum(line.quantity for line in lines),
        "buyers": len({line.order.user_email for line in lines}),
    }


def _gmv_by_broadcast(pks: list[int]) -> dict[int, dict]:
    rows = (OrderLine.objects.filter(source=SOURCE, source_ref__in=[str(pk) for pk in pks])
            .exclude(order__status=Order.Status.CANCELLED)
            .filter(live_purchase__isnull=False)
            .values("source_ref").annotate(gmv=Sum("total_price_amount"), units=Sum("quantity")))
    orders = defaultdict(set)
    for ref, order_id in (OrderLine.objects.filter(source=SOURCE, live_purchase__isnull=False,
                                                   source_ref__in=[str(pk) for pk in pks])
                          .exclude(order__status=Order.Status.CANCELLED)
                          .values_list("source_ref", "order_id")):
        orders[ref].add(order_id)
    return {int(r["source_ref"]): {"gmv": money(r["gmv"] or 0), "units": r["units"] or 0,
                                   "orders": len(orders[r["source_ref"]])} for r in rows}


def broadcast_review(broadcast: Broadcast, previous: int = 5) -> dict:
    """The figures of the review: live sales (bought at the live price during the
    broadcast), post-live sales (attributed orders within the following days), refunds,
    top products, sales per cooperative, conversion and the host's previous broadcasts."""
    start, end, _post_end = sales_window(broadcast)
    lines = list(attributed_lines(broadcast))
    live_ids = set(LivePurchase.objects.filter(item__broadcast=broadcast)
                   .values_list("order_line_id", flat=True))
    kept = [line for line in lines if line.order.status != Order.Status.CANCELLED]
    live = [line for line in kept if line.pk in live_ids or line.order.created_at <= end]
    post = [line for line in kept if line not in live]
    refunded_orders = {}
    for line in kept:
        if line.order.total_refunded_amount > 0:
            own = refunded_orders.setdefault(line.order_id, [line.order, Decimal(0)])
            own[1] += line.total_price_amount
    refund_amount = money(sum((min(order.total_refunded_amount, total)
                               for order, total in refunded_orders.values()), Decimal(0)))
    products = defaultdict(lambda: {"units": 0, "amount": Decimal(0)})
    sellers = defaultdict(lambda: {"units": 0, "amount": Decimal(0), "orders": set()})
    for line in live:
        key = (line.variant_id, line.product_name, line.variant_name)
        products[key]["units"] += line.quantity
        products[key]["amount"] += line.total_price_amount
        seller = sellers[(line.organization_id, line.organization.name)]
        seller["units"] += line.quantity
        seller["amount"] += line.total_price_amount
        seller["orders"].add(line.order_id)
    top = sorted(products.items(), key=lambda kv: (-kv[1]["amount"], -kv[1]["units"]))[:5]
    totals = _totals(live)
    conversion = (Decimal(totals["orders"]) / broadcast.viewer_count * 100).quantize(CENT) \
        if broadcast.viewer_count else None
    earlier = list(Broadcast.objects.filter(
        host=broadcast.host, starts_at__lt=broadcast.starts_at,
        status__in=[Broadcast.Status.ENDED, Broadcast.Status.REVIEWED])
        .order_by("-starts_at")[:previous])
    figures = _gmv_by_broadcast([b.pk for b in earlier])
    history = [{"broadcast": b, **figures.get(b.pk, {"gmv": money(0), "units": 0, "orders": 0})}
               for b in earlier]
    average = (money(sum((h["gmv"] for h in history), Decimal(0)) / len(history))
               if history else None)
    return {
        "broadcast": broadcast,
        "window_start": start,
        "window_end": end,
        **totals,
        "refunds": len(refunded_orders),
        "refunded_amount": refund_amount,
        "post_live": _totals(post),
        "viewer_count": broadcast.viewer_count,
        "conversion_percent": conversion,
        "top_products": [{"variant_id": k[0], "product_name": k[1], "variant_name": k[2],
                          "units": v["units"], "amount": money(v["amount"])} for k, v in top],
        "per_seller": [{"organization_id": k[0], "name": k[1], "units": v["units"],
                        "orders": len(v["orders"]), "amount": money(v["amount"])}
                       for k, v in sorted(sellers.items(), key=lambda kv: -kv[1]["amount"])],
        "previous": history,
        "previous_average_gmv": average,
        "gmv_vs_previous_average": (
            (totals["gmv"] / average).quantize(CENT) if average else None),
        "lineup": list(broadcast.lineup.select_related("variant__product").order_by("position")),
    }
