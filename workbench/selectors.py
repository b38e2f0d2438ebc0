"""Read-only queries of the workbench pages: what a page lists, scoped to one
organisation, in a number of queries that does not grow with the list (joins, prefetches
and aggregates). Writes never happen here: they are the domain apps' services."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product, ProductChannelListing, ProductMedia, ProductVariant
from shop.models import Channel, Order, OrderLine, Stock, Warehouse
from supplychain.models import (
    Base,
    Certification,
    Disposition,
    GradedLot,
    GradeStandard,
    GradingInput,
    Household,
    Inspection,
    PackingRun,
    Recall,
    ShippedCode,
    SourcingLot,
    TraceCode,
)

ZERO_KG = Decimal("0.000")
KG = DecimalField(max_digits=14, decimal_places=3)
# A variant is low on stock below this many units free to sell, all warehouses together.
LOW_STOCK_UNITS = getattr(settings, "WORKBENCH_LOW_STOCK_UNITS", 10)
# Certificates expiring within this many days are flagged.
CERTIFICATE_WARNING_DAYS = 60
SHIPPABLE = (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED)
SOLD = (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED, Order.Status.SHIPPED,
        Order.Status.DELIVERED)


# Warehouses, channels -------------------------------------------------------------------

def warehouses(organization) -> list[Warehouse]:
    return list(Warehouse.objects.filter(organization=organization)
                .prefetch_related("channels").order_by("name", "pk"))


def channels() -> list[Channel]:
    return list(Channel.objects.filter(is_active=True).order_by("pk"))


# Products ---------------------------------------------------------------------------------

def _variants_with_stock():
    return (ProductVariant.objects.order_by("sort_order", "sku")
            .prefetch_related(Prefetch("stocks", Stock.objects.select_related("warehouse")
                                       .order_by("warehouse__name", "pk")),
                              "channel_listings__channel",
                              "attribute_values__value__attribute"))


def products(organization):
    """The organisation's products with variants, stock, listings and first image: five
    queries whatever the number of products."""
    return list(Product.objects.filter(organization=organization)
                .select_related("category", "pavilion", "product_type")
                .prefetch_related(Prefetch("variants", _variants_with_stock()),
                                  Prefetch("channel_listings",
                                           ProductChannelListing.objects.select_related("channel")),
                                  Prefetch("media",
                                           ProductMedia.objects.order_by("sort_order", "pk")))
                .order_by("-created_at", "-pk"))


def product(organization, pk) -> Product | None:
    return (Product.objects.filter(organization=organization, pk=pk)
            .select_related("category", "pavilion", "product_type")
            .prefetch_related(Prefetch("variants", _variants_with_stock()),
                              Prefetch("channel_listings",
                                       ProductChannelListing.objects.select_related("channel")),
                              Prefetch("media", ProductMedia.objects.order_by("sort_order", "pk")),
                              "grade_standards", "product_type__variant_attributes")
            .first())


def variant_summary(variant: ProductVariant) -> dict:
    """On hand, allocated and free units of a prefetched variant, and its prices."""
    stocks = list(variant.stocks.all())
    free = sum(s.quantity_available for s in stocks)
    return {
        "on_hand": sum(s.quantity for s in stocks),
        "allocated": sum(s.quantity_allocated for s in stocks),
        "free": free,
        "low": variant.track_inventory and free < LOW_STOCK_UNITS,
        "prices": [(listing.channel, listing.price_amount, listing.cost_price_amount)
                   for listing in variant.channel_listings.all()],
        "grade": next((v.value.name for v in variant.attribute_values.all()
                       if v.value.attribute.slug == "grade"), ""),
    }


def low_stock(organization) -> list[dict]:
    """Variants of the organisation's products with fewer than ``LOW_STOCK_UNITS`` free
    units across its warehouses, fewest first (one query)."""
    free = (Stock.objects.filter(product_variant=OuterRef("pk"))
            .values("product_variant")
            .annotate(n=Sum(F("quantity") - F("quantity_allocated"))).values("n"))
    rows = (ProductVariant.objects.filter(product__organization=organization,
                                          track_inventory=True)
            .annotate(free=Coalesce(Subquery(free), Value(0)))
            .filter(free__lt=LOW_STOCK_UNITS)
            .select_related("product").order_by("free", "product__name", "sku"))
    return [{"variant": v, "product": v.product, "free": v.free} for v in rows]


# Producers ------------------------------------------------------------------------------------

def households(organization):
    return list(Household.objects.filter(organization=organization)
                .annotate(lots=Count("sourcing_lots")).order_by("village", "head_name", "pk"))


def bases(organization):
    today = timezone.localdate()
    rows = list(Base.objects.filter(organization=organization)
                .prefetch_related(Prefetch("certifications",
                                           Certification.objects.order_by("valid_until")))
                .order_by("name", "pk"))
    for base in rows:
        for cert in base.certifications.all():
            cert.expired = cert.valid_until < today
            cert.expiring = not cert.expired and (
                cert.valid_until <= today + timedelta(days=CERTIFICATE_WARNING_DAYS))
        base.warning = any(c.expired or c.expiring for c in base.certifications.all())
    return rows


def expiring_certificates(organization):
    limit = timezone.localdate() + timedelta(days=CERTIFICATE_WARNING_DAYS)
    return list(Certification.objects.filter(base__organization=organization,
                                             valid_until__lte=limit)
                .select_related("base").order_by("valid_until"))


# Sourcing lots ------------------------------------------------------------------------------

def _graded_kg():
    return (GradingInput.objects.filter(sourcing_lot=OuterRef("pk")).values("sourcing_lot")
            .annotate(s=Sum("quantity_kg")).values("s"))


def sourcing_lots(organization, product_id=None, pk=None):
    """Lots with product, origin, kilograms left to grade, latest inspection and recall:
    three queries whatever the number of lots."""
    rows = (SourcingLot.objects.filter(organization=organization)
            .select_related("product", "household", "base")
            .annotate(graded_kg=Coalesce(Subquery(_graded_kg(), output_field=KG),
                                         Value(ZERO_KG, output_field=KG)),
                      recalled=Exists(Recall.objects.filter(sourcing_lot=OuterRef("pk"))))
            .prefetch_related(Prefetch("inspections", Inspection.objects.order_by(
                "inspected_on", "pk")))
            .order_by("-received_at", "-pk"))
    if product_id:
        rows = rows.filter(product_id=product_id)
    if pk is not None:
        rows = rows.filter(pk=pk)
    rows = list(rows)
    for lot in rows:
        lot.remaining_kg = lot.quantity_kg - lot.graded_kg
        inspections = list(lot.inspections.all())
        lot.latest_inspection = inspections[-1] if inspections else None
    return rows


def sourcing_lot(organization, pk: int) -> SourcingLot | None:
    rows = sourcing_lots(organization, pk=pk)
    return rows[0] if rows else None


def graded_lots(organization, pk=None):
    """Graded lots with grade, product, kilograms left to pack and packing runs."""
    packed = (PackingRun.objects.filter(graded_lot=OuterRef("pk")).values("graded_lot")
              .annotate(s=Sum(ExpressionWrapper(F("quantity") * F("net_weight_kg"),
                                                output_field=KG))).values("s"))
    rows = (GradedLot.objects.filter(organization=organization)
            .select_related("grade__product", "record")
            .annotate(packed_kg=Coalesce(Subquery(packed, output_field=KG),
                                         Value(ZERO_KG, output_field=KG)))
            .prefetch_related(Prefetch("packing_runs", PackingRun.objects.select_related(
                "variant", "warehouse").order_by("-packed_at", "-pk")))
            .order_by("-pk"))
    if pk is not None:
        rows = rows.filter(pk=pk)
    rows = list(rows)
    for lot in rows:
        lot.remaining_kg = lot.quantity_kg - lot.packed_kg
    return rows


def grade_standards(product_id):
    return list(GradeStandard.objects.filter(product_id=product_id).order_by("rank", "pk"))


def packing_runs(organization):
    return list(PackingRun.objects.filter(organization=organization)
                .select_related("variant__product", "warehouse", "graded_lot__grade")
                .order_by("-packed_at", "-pk"))


def first_codes(run: PackingRun, n: int = 5) -> list[str]:
    return list(run.trace_codes.order_by("serial").values_list("code", flat=True)[:n])


# Recalls ----------------------------------------------------------------------------------------

def recall_preview(*, sourcing_lot: SourcingLot | None = None,
                   graded_lot: GradedLot | None = None) -> dict:
    """What recalling a lot would touch, before it is done: the codes not yet recalled, the
    unsold units in stock (at most what is not allocated to orders) and the orders that
    received packages of it. The same reach as ``supplychain.services.recall_lot``."""
    if sourcing_lot is not None:
        graded_ids = list(GradedLot.objects.filter(
            record__inputs__sourcing_lot=sourcing_lot).values_list("pk", flat=True).distinct())
    else:
        graded_ids = [graded_lot.pk]
    codes = TraceCode.objects.filter(packing_run__graded_lot_id__in=graded_ids)
    counts = codes.aggregate(
        codes=Count("pk", filter=~Q(disposition=Disposition.RECALLED)),
        unsold=Count("pk", filter=Q(disposition=Disposition.ACTIVE, shipped_at__isnull=True)))
    orders = (ShippedCode.objects.filter(trace_code__packing_run__graded_lot_id__in=graded_ids)
              .values("order_line__order_id").distinct().count())
    return {"graded_lots": len(graded_ids), "codes": counts["codes"],
            "units": counts["unsold"], "orders": orders}


def recalls(organization):
    return list(Recall.objects.filter(organization=organization)
                .select_related("sourcing_lot", "graded_lot").order_by("-created_at"))


# Orders to ship -------------------------------------------------------------------------------

def orders_to_ship(organization):
    """Paid orders with lines of this organisation still to ship, oldest first (two
    queries)."""
    own = OrderLine.objects.filter(organization=organization).select_related(
        "variant").order_by("pk")
    return list(Order.objects.filter(status__in=SHIPPABLE, lines__organization=organization,
                                     lines__quantity_fulfilled__lt=F("lines__quantity")
                                     - F("lines__quantity_cancelled"))
                .distinct().select_related("shipping_address")
                .prefetch_related(Prefetch("lines", own, to_attr="own_lines"))
                .order_by("paid_at", "pk"))


def order_for_shipping(organization, number) -> Order | None:
    own = OrderLine.objects.filter(organization=organization).select_related(
        "variant").prefetch_related(Prefetch("shipped_codes", ShippedCode.objects.select_related(
            "trace_code"))).order_by("pk")
    return (Order.objects.filter(number=number, lines__organization=organization).distinct()
            .select_related("shipping_address")
            .prefetch_related(Prefetch("lines", own, to_attr="own_lines"),
                              "fulfillments").first())


# Sales ----------------------------------------------------------------------------------------

def sales(organization, weeks: int = 12) -> dict:
    """The organisation's own sales of the last ``weeks`` weeks (paid orders, by the day
    they were paid, weeks starting on Monday in the county's time): per product and week,
    and per product in total. Two queries."""
    since = timezone.localdate() - timedelta(weeks=weeks)
    lines = (OrderLine.objects.filter(organization=organization, order__status__in=SOLD,
                                      order__paid_at__date__gte=since)
             .annotate(week=TruncWeek("order__paid_at"))
             .values("week", "variant__product_id", "product_name")
             .annotate(orders=Count("order_id", distinct=True), units=Sum("quantity"),
                       revenue=Sum("total_price_amount"))
             .order_by("-week", "product_name"))
    rows = [{"week": row["week"].date() if row["week"] else None,
             "product_id": row["variant__product_id"], "product": row["product_name"],
             "orders": row["orders"], "units": row["units"], "revenue": row["revenue"]}
            for row in lines]
    totals = defaultdict(lambda: {"orders": 0, "units": 0, "revenue": Decimal("0.00")})
    for row in rows:
        total = totals[row["product"]]
        total["units"] += row["units"]
        total["revenue"] += row["revenue"]
    orders_per_product = dict(
        OrderLine.objects.filter(organization=organization, order__status__in=SOLD,
                                 order__paid_at__date__gte=since)
        .values_list("product_name").annotate(n=Count("order_id", distinct=True)))
    for name, total in totals.items():
        total["orders"] = orders_per_product.get(name, 0)
    return {"since": since, "rows": rows,
            "products": sorted(({"product": k, **v} for k, v in totals.items()),
                               key=lambda r: -r["revenue"]),
            "total_revenue": sum((r["revenue"] for r in rows), Decimal("0.00")),
            "total_units": sum(r["units"] for r in rows)}


# The home page's to-do list -------------------------------------------------------------

def producer_todo(organization) -> list[dict]:
    """What a cooperative should do next, first things first: each item a sentence and
    the page where it is done. Its first product and producers are steps of its first-steps
    checklist (``first_steps.producer_steps``), not repeated here."""
    todo = []
    counts = {
        "warehouses": Warehouse.objects.filter(organization=organization).count(),
        "products": Product.objects.filter(organization=organization).count(),
    }
    if not counts["warehouses"]:
        todo.append({"level": "warn", "url": reverse("workbench:warehouses"),
                     "text": _("You have no warehouse yet: ask the pavilion's operators to "
                               "set one up, so that stock can be kept and sold.")})
    to_ship = len(orders_to_ship(organization))
    if to_ship:
        todo.append({"level": "warn", "url": reverse("workbench:orders"),
                     "text": _("%(n)s paid orders are waiting to be shipped.") % {"n": to_ship}})
    uninspected = (SourcingLot.objects.filter(organization=organization)
                   .exclude(inspections__isnull=False).count())
    if uninspected:
        todo.append({"url": reverse("workbench:lots"),
                     "text": _("%(n)s sourcing lots have no inspection yet.") % {"n": uninspected}})
    expiring = expiring_certificates(organization)
    if expiring:
        todo.append({"level": "bad", "url": reverse("workbench:bases"),
                     "text": _("%(n)s base certificates have expired or expire soon.")
                     % {"n": len(expiring)}})
    low = low_stock(organization)
    if low and counts["products"]:
        todo.append({"level": "warn", "url": reverse("workbench:stock"),
                     "text": _("%(n)s variants are low on stock.") % {"n": len(low)}})
    return todo
