"""Product search: one interface, two backends.

* ``catalog.search.db.DatabaseBackend`` (PostgreSQL, the default): a weighted, GIN-indexed
  ``tsvector`` per product made of Chinese bigrams, words and pinyin.
* ``catalog.search.elastic.ElasticsearchBackend`` when ``ELASTICSEARCH_URL`` is set: an
  ``elasticsearch-dsl`` document with a Chinese analyzer (``cjk``, or ``smartcn`` when
  ``ELASTICSEARCH_ANALYZER`` says so), searched through an alias.

Callers use the functions here only: ``search_products`` (filter and rank a product
queryset; ``ranked_search`` also gives the query's head, so that a page of the best
matches is read without touching every match; statements over every match run inside
``gin_plans``), ``suggest_products`` (type-ahead), ``product_facets`` (counts for the filters),
``products_changed`` (called by the catalogue's services and signals) and
``index_dirty_products`` (run by the Celery task).
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Value
from django.db.models import FloatField as _FloatField
from django.utils.translation import gettext as _

from shop.errors import field_error

from .. import tasks
from ..error_codes import ProductErrorCode
from ..models import (
    AttributeValue,
    Category,
    Pavilion,
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    VariantAttributeValue,
)
from . import kept
from .analysis import ParsedQuery, parse_query
from .counting import gin_count
from .db import DatabaseBackend, Ranked, any_of, gin_plans, gin_rows
from .documents import GRADE_ATTRIBUTE
from .elastic import ElasticsearchBackend

logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 100
SCHEDULED_KEY = "catalog:search-index-scheduled"


def clean_query(query: str | None) -> str:
    """The query with runs of white space collapsed; refuses more than 100 characters."""
    query = " ".join((query or "").split())
    if len(query) > MAX_QUERY_LENGTH:
        raise field_error(None, _("Search text is too long (at most %(n)s characters)."),
                          ProductErrorCode.INVALID, n=MAX_QUERY_LENGTH)
    return query


def parse(query: str | None) -> ParsedQuery:
    return parse_query(clean_query(query))


@lru_cache(maxsize=4)
def _backend_for(url: str, analyzer: str, index: str):
    if not url:
        return DatabaseBackend()
    return ElasticsearchBackend(url, analyzer=analyzer, alias=index)


def get_backend():
    """The configured backend: Elasticsearch when ``ELASTICSEARCH_URL`` is set."""
    return _backend_for(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_ANALYZER,
                        settings.ELASTICSEARCH_INDEX)


def database_backend() -> DatabaseBackend:
    return _backend_for("", "", "")


# Searching ------------------------------------------------------------------------------

def search_products(queryset: QuerySet, query: str | None) -> QuerySet:
    """Products of ``queryset`` matching ``query``, annotated with ``search_rank`` (higher
    is better). An empty query matches everything (Saleor's behaviour); a query with
    nothing searchable in it (only punctuation, ``%``, quotes ...) matches nothing."""
    return ranked_search(queryset, query).queryset


def matching_products(queryset: QuerySet, query: str | None) -> QuerySet:
    """Products of ``queryset`` matching ``query``, unranked (for counts)."""
    cleaned = clean_query(query)
    if not cleaned:
        return queryset
    parsed = parse_query(cleaned)
    if parsed.empty:
        return queryset.none()
    backend = get_backend()
    if isinstance(backend, DatabaseBackend):
        return backend.matching(queryset, parsed)
    return backend.search(queryset, parsed)


def matched(queryset: QuerySet, query: str | None) -> QuerySet:
    """``queryset`` narrowed to the products matching ``query``, found by one statement
    planned for the GIN index and passed on as one array of ids. Counting the facets over
    it lets their joins keep the server's own plans (with sequential scans off, the grade
    count's join could run for seconds)."""
    if not clean_query(query):
        return queryset
    ids = [pk for (pk,) in gin_rows(
        matching_products(queryset, query).order_by().values_list("pk"))]
    return queryset.filter(any_of("pk", ids))


def ranked_search(queryset: QuerySet, query: str | None,
                  channel_id: int | None = None) -> Ranked:
    """``search_products`` with the query's head (``Ranked``): a page of the best matches
    is read through ``Ranked.first`` or ``Ranked.narrowed``, not from every match. With
    the channel of a shopper's search, the database's head also counts what that channel
    lists, so that the page's ``totalCount`` (``gin_count``) reads no more rows."""
    cleaned = clean_query(query)
    if not cleaned:
        return Ranked(queryset.annotate(search_rank=Value(0.0, output_field=_FloatField())))
    parsed = parse_query(cleaned)
    if parsed.empty:
        return Ranked(queryset.none().annotate(
            search_rank=Value(0.0, output_field=_FloatField())))
    backend = get_backend()
    if isinstance(backend, DatabaseBackend):
        return backend.search(queryset, parsed, channel_id)
    return Ranked(backend.search(queryset, parsed))


def suggest_products(queryset: QuerySet, query: str | None, limit: int = 10,
                     channel_id: int | None = None) -> list[Product]:
    """Type-ahead: at most ``limit`` products of ``queryset`` for what has been typed."""
    parsed = parse(query)
    if parsed.empty:
        return []
    backend = get_backend()
    limit = max(1, min(limit, 20))
    if isinstance(backend, DatabaseBackend):
        return backend.suggest(queryset, parsed, limit, channel_id)
    return backend.suggest(queryset, parsed, limit)


def filter_by_attributes(queryset: QuerySet, attributes: list[dict]) -> QuerySet:
    """Saleor's ``attributes: [{slug, values}]`` filter: products with a variant (or the
    product itself) carrying one of the value slugs (or names) of each attribute."""
    for item in attributes or []:
        values = [v for v in (item.get("values") or []) if v]
        if not item.get("slug") or not values:
            continue
        value_ids = AttributeValue.objects.filter(
            Q(slug__in=values) | Q(name__in=values), attribute__slug=item["slug"]
        ).values("pk")
        on_variant = VariantAttributeValue.objects.filter(
            variant__product=OuterRef("pk"), value__in=value_ids)
        on_product = ProductAttributeValue.objects.filter(
            product=OuterRef("pk"), value__in=value_ids)
        queryset = queryset.filter(Q(Exists(on_variant)) | Q(Exists(on_product)))
    return queryset


def product_facets(querysets: dict[str, QuerySet], channel) -> dict:
    """Counts for the search page's filters. ``querysets`` gives, per facet (``category``,
    ``pavilion``, ``grade``, ``price``), the products matching every filter except that
    facet's own (so choosing a category still shows the other categories' counts)."""
    def counts(queryset, field):
        return dict(queryset.order_by().values_list(field).annotate(n=Count("pk", distinct=True))
                    .values_list(field, "n"))

    category_counts = counts(querysets["category"], "category_id")
    categories = Category.objects.in_bulk([pk for pk in category_counts if pk])
    pavilion_counts = counts(querysets["pavilion"], "pavilion_id")
    pavilions = Pavilion.objects.in_bulk([pk for pk in pavilion_counts if pk])
    grade_rows = (
        VariantAttributeValue.objects.filter(
            variant__product__in=querysets["grade"].order_by().values("pk"),
            value__attribute__slug=GRADE_ATTRIBUTE)
        .values("value_id").annotate(n=Count("variant__product", distinct=True))
    )
    grade_counts = {row["value_id"]: row["n"] for row in grade_rows}
    grades = AttributeValue.objects.in_bulk(list(grade_counts))
    prices = ProductChannelListing.objects.filter(
        channel=channel, product__in=querysets["price"].order_by().values("pk"),
        discounted_price_amount__isnull=False,
    ).aggregate(low=Min("discounted_price_amount"), high=Max("discounted_price_amount"))

    def ordered(rows, objects, key):
        return sorted(((objects[pk], n) for pk, n in rows.items() if pk in objects),
                      key=lambda pair: (-pair[1], key(pair[0])))

    return {
        "categories": ordered(category_counts, categories, lambda c: c.slug),
        "pavilions": ordered(pavilion_counts, pavilions, lambda p: (p.sort_order, p.slug)),
        "grades": ordered(grade_counts, grades, lambda v: (v.sort_order, v.pk)),
        "price_min": prices["low"],
        "price_max": prices["high"],
        "currency": channel.currency_code,
    }


# Indexing -------------------------------------------------------------------------------

def product_changed(product: Product) -> None:
    """Called by the catalogue's services inside their transaction whenever a product,
    its variants or its prices change: the database index is brought up to date at once
    (same transaction), and the product is queued for the external index."""
    database_backend().index_products([product.pk])
    if settings.ELASTICSEARCH_URL:
        products_changed([product.pk])


def products_changed(product_ids) -> None:
    """Mark products for re-indexing and schedule the (debounced) indexing task once the
    transaction commits: a burst of changes within ``SEARCH_INDEX_DEBOUNCE_SECONDS``
    is indexed by one task run."""
    ids = list(product_ids)
    if not ids:
        return
    Product.objects.filter(pk__in=ids, search_index_dirty=False).update(search_index_dirty=True)
    transaction.on_commit(schedule_index_update)


def schedule_index_update() -> None:
    """Runs after the change has committed: it must never fail the operation that made
    the change. When the broker cannot be reached the marks stay, and the periodic run
    (``CELERY_BEAT_SCHEDULE``) indexes them later."""
    delay = settings.SEARCH_INDEX_DEBOUNCE_SECONDS
    try:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            tasks.update_search_index.delay()
        elif cache.add(SCHEDULED_KEY, 1, timeout=delay):
            # Runs after the window closes, so it sees every change made within it.
            tasks.update_search_index.apply_async(countdown=delay + 1)
    except Exception:  # noqa: BLE001 - logged; the marks are kept for the next run
        cache.delete(SCHEDULED_KEY)
        logger.warning("Could not schedule the search indexing task", exc_info=True)


def index_dirty_products(batch_size: int = 500) -> int:
    """Index every product marked dirty, a batch per transaction: rows are locked (others
    skip them), indexed in the database and the configured backend, then unmarked. When
    indexing fails the transaction rolls back and the marks stay for the retry."""
    backends = [database_backend()]
    if settings.ELASTICSEARCH_URL:
        backends.append(get_backend())
    done = 0
    while True:
        with transaction.atomic():
            ids = list(
                Product.objects.filter(search_index_dirty=True)
                .select_for_update(skip_locked=True).order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                if done:
                    kept.forget()
                return done
            for backend in backends:
                backend.index_products(ids)
            Product.objects.filter(pk__in=ids).update(search_index_dirty=False)
        done += len(ids)


def remove_from_index(product_ids) -> int:
    return get_backend().remove_products(list(product_ids))


def rebuild_index(product_ids, progress=None) -> int:
    """Re-index ``product_ids`` from scratch in the configured backend (Elasticsearch:
    into a new index, then the alias is switched: no moment without an index)."""
    database_backend().rebuild(product_ids, progress=None if settings.ELASTICSEARCH_URL
                               else progress)
    kept.forget()
    if settings.ELASTICSEARCH_URL:
        return get_backend().rebuild(product_ids, progress=progress)
    return len(product_ids)


__all__ = [
    "MAX_QUERY_LENGTH", "Ranked", "clean_query", "parse", "get_backend", "search_products",
    "ranked_search", "matching_products", "matched", "gin_plans", "gin_count",
    "suggest_products", "filter_by_attributes", "product_facets", "product_changed",
    "products_changed", "index_dirty_products", "remove_from_index", "rebuild_index",
]
