"""Read-only queries of the pavilion operator's pages (``/work/ops/``): every seller's
orders and products, the category tree and the collections (专题). Each list is a
constant number of queries whatever its length (joins, prefetches, annotations; a page
of a paginated list is its count, its rows and one prefetch per related list)."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from catalog.models import (
    Category,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    Product,
    ProductChannelListing,
    ProductModeration,
    ProductVariant,
)
from shop.models import (
    PRODUCER_KINDS,
    Fulfillment,
    Order,
    OrderEvent,
    OrderLine,
    Organization,
    Payment,
    Refund,
)
from shop.returns import ReturnRequest


def sellers() -> QuerySet:
    return Organization.objects.filter(kind__in=PRODUCER_KINDS).order_by("name")


def counties() -> list[str]:
    return list(sellers().exclude(county="").order_by("county")
                .values_list("county", flat=True).distinct())


# Orders ---------------------------------------------------------------------------------

def _day_start(day, end=False):
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def orders(*, q: str = "", status: str = "", seller=None, county: str = "",
           date_from=None, date_to=None) -> QuerySet:
    """Orders of every seller, newest first, with their buyer, address and lines (and each
    line's seller) fetched alongside, and whether an after-sales request is open on them
    (``after_sales_open``). ``q`` is an order number, a mobile number or part of the
    buyer's e-mail or name."""
    open_requests = ReturnRequest.objects.filter(order=OuterRef("pk"),
                                                 status__in=ReturnRequest.OPEN)
    result = (Order.objects.select_related("user", "shipping_address")
              .prefetch_related(Prefetch("lines", OrderLine.objects.select_related("organization")
                                         .order_by("pk")))
              .annotate(after_sales_open=Exists(open_requests))
              .order_by("-created_at", "-pk"))
    q = (q or "").strip()
    if q:
        match = (Q(user_email__icontains=q) | Q(shipping_address__first_name__icontains=q)
                 | Q(user__first_name__icontains=q) | Q(user__last_name__icontains=q))
        if q.isdigit():
            match |= (Q(shipping_address__phone__contains=q) | Q(user__phone__contains=q)
                      | Q(number=int(q)))
        result = result.filter(match)
    if status:
        result = result.filter(status=status)
    if seller is not None:
        result = result.filter(Exists(OrderLine.objects.filter(order=OuterRef("pk"),
                                                               organization=seller)))
    if county:
        result = result.filter(Exists(OrderLine.objects.filter(
            order=OuterRef("pk"), organization__county=county)))
    if date_from:
        result = result.filter(created_at__gte=_day_start(date_from))
    if date_to:
        result = result.filter(created_at__lte=_day_start(date_to, end=True))
    return result


def order_detail(number) -> Order | None:
    """One order with everything its page shows, in a fixed number of queries."""
    return (Order.objects.select_related("user", "shipping_address", "voucher")
            .prefetch_related(
                Prefetch("lines", OrderLine.objects.select_related("organization")),
                Prefetch("payments", Payment.objects.order_by("created_at")),
                Prefetch("refunds", Refund.objects.select_related("created_by")
                         .order_by("created_at")),
                Prefetch("fulfillments", Fulfillment.objects.select_related("organization")
                         .prefetch_related("lines__order_line").order_by("created_at")),
                Prefetch("events", OrderEvent.objects.select_related("user")
                         .order_by("-date", "-pk")),
                # The shopper's after-sales requests, shown read-only: the seller decides.
                Prefetch("return_requests", ReturnRequest.objects
                         .select_related("organization", "refund")
                         .prefetch_related("lines__order_line").order_by("created_at", "pk")))
            .filter(number=number).first())


# Products -------------------------------------------------------------------------------

PRODUCT_STATUSES = ("on_sale", "not_published", "taken_down")


def _latest_moderation():
    return (ProductModeration.objects.filter(product=OuterRef("pk"))
            .order_by("-created_at", "-pk"))


def products(*, q: str = "", status: str = "", seller=None, category=None) -> QuerySet:
    """Every seller's products with their seller, category, whether they are on sale
    anywhere and the operators' latest decision (``moderation``, ``moderation_reason``)."""
    published = ProductChannelListing.objects.filter(product=OuterRef("pk"), is_published=True)
    result = (Product.objects.select_related("organization", "category")
              .annotate(on_sale=Exists(published),
                        moderation=Subquery(_latest_moderation().values("action")[:1]),
                        moderation_reason=Subquery(_latest_moderation().values("reason")[:1]),
                        variant_count=Count("variants", distinct=True))
              .order_by("-created_at", "-pk"))
    q = (q or "").strip()
    if q:
        result = result.filter(Q(name__icontains=q) | Q(slug__icontains=q)
                               | Q(organization__name__icontains=q))
    taken_down = Q(moderation=ProductModeration.Action.UNPUBLISHED)
    if status == "taken_down":
        result = result.filter(taken_down)
    elif status == "on_sale":
        result = result.filter(on_sale=True)
    elif status == "not_published":
        result = result.filter(Q(moderation__isnull=True)
                               | Q(moderation=ProductModeration.Action.REPUBLISHED),
                               on_sale=False)
    if seller is not None:
        result = result.filter(organization=seller)
    if category is not None:
        result = result.filter(category=category)
    return result


def product_detail(pk) -> Product | None:
    return (Product.objects.select_related("organization", "category", "pavilion",
                                           "product_type")
            .prefetch_related(
                Prefetch("variants", ProductVariant.objects.prefetch_related(
                    "channel_listings__channel").order_by("sort_order", "pk")),
                Prefetch("channel_listings", ProductChannelListing.objects
                         .select_related("channel")),
                Prefetch("moderations", ProductModeration.objects.select_related("created_by")),
                "collections")
            .filter(pk=pk).first())


# Categories and collections -------------------------------------------------------------

def category_tree() -> list[tuple[Category, int]]:
    """``(category, depth)`` in tree order (each parent before its children, siblings in
    their sort order), with ``product_count`` on each."""
    rows = list(Category.objects.annotate(product_count=Count("products"))
                .order_by("sort_order", "slug"))
    children: dict = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    tree: list[tuple[Category, int]] = []

    def walk(parent_id, depth):
        siblings = children.get(parent_id, [])
        for index, row in enumerate(siblings):
            row.first_sibling, row.last_sibling = index == 0, index == len(siblings) - 1
            tree.append((row, depth))
            walk(row.pk, depth + 1)

    walk(None, 0)
    return tree


def collections() -> QuerySet:
    published = CollectionChannelListing.objects.filter(collection=OuterRef("pk"),
                                                        is_published=True)
    return (Collection.objects.annotate(product_count=Count("products", distinct=True),
                                        published=Exists(published))
            .order_by("name", "pk"))


def collection_products(collection) -> list[CollectionProduct]:
    """The collection's products in their order, each with its seller and whether it is
    on sale anywhere (``on_sale``)."""
    published = ProductChannelListing.objects.filter(product=OuterRef("product"),
                                                     is_published=True)
    return list(CollectionProduct.objects.filter(collection=collection)
                .select_related("product__organization").annotate(on_sale=Exists(published))
                .order_by("sort_order", "pk"))


def products_to_add(collection, q: str, limit: int = 20) -> list[Product]:
    """Products matching ``q`` (name or seller) not yet in ``collection``."""
    q = (q or "").strip()
    if not q:
        return []
    inside = CollectionProduct.objects.filter(collection=collection, product=OuterRef("pk"))
    return list(Product.objects.select_related("organization")
                .filter(Q(name__icontains=q) | Q(organization__name__icontains=q))
                .exclude(Exists(inside)).order_by("name", "pk")[:limit])
