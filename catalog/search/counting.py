"""A search's ``totalCount``: exact, and cheap however many products match.

Counting the products a shopper may see among a common term's matches joins each match
to its product and channel listing (10,000 matches of 牦牛 at 50,000 products: 25 ms and
more). A shopper's own view (published, visible in listings, published by now, in one
channel) is counted from the narrow search table alone: each row carries the channels
that list it (``ProductSearch.listed``, kept by the database on every write of a listing),
so the statement that chooses the query's head counts the listed matches on its way
(``DatabaseBackend.head``), and only the few products published later than now are left
to subtract. Nothing about the view is worked out beforehand, so the first search after
a change of the catalogue costs what any other does.

Other views (a member's, which adds their own products; an operator's; a filtered one)
count the matches of the narrow table (read with the query's head,
``DatabaseBackend.count_matching``) less the matches among the products the view leaves
out, when those are few and already worked out for this catalogue version (``kept``), or
when there are many matches; otherwise, or when the search conditions cannot be told apart
from the other filters, the direct way.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND, WhereNode
from django.utils import timezone

from ..models import Product, ProductChannelListing, ProductSearch
from . import kept
from .analysis import ParsedQuery
from .db import VECTOR, DatabaseBackend, Match, any_of, at_least, gin_rows

# Up to this many matches are counted the direct way (a few milliseconds) unless what the
# view leaves out is already kept: below it, working that out for one count costs more
# than it saves.
DIRECT_LIMIT = 5000
# The most products a view may leave out for a count by difference; the first this many
# and one are read to know.
LEFT_OUT_LIMIT = 2000
# Stands for the channel in the shopper's view built to compare a view with
# (``shoppers_channel``): no channel has it.
ANY_CHANNEL = -(2 ** 62)


def gin_count(queryset: QuerySet) -> int:
    """``queryset.count()`` (a search's matches among what a shopper may see), kept per
    catalogue version."""
    key = kept.statement_key("count", queryset.order_by().values_list("pk"))
    if key is None:
        return 0
    return kept.per_version(key, lambda: count(queryset), timed=True)


def count(queryset: QuerySet) -> int:
    split = split_search(queryset)
    if split is None:
        return count_matches(queryset)
    view, parsed = split
    shopper = shoppers_channel(view, parsed)
    if shopper is not None:
        return count_listed(parsed, *shopper)
    backend = DatabaseBackend()
    matching = backend.count_matching(parsed)
    if not matching:
        return 0
    # Once a search of the view has worked out what it leaves out, every other search of
    # the view counts by difference too, however few its matches.
    left_out = left_out_of(view, work_out=matching > DIRECT_LIMIT)
    if left_out is None:
        return count_matches(queryset)
    if not left_out:
        return matching
    rows = backend.matching(ProductSearch.objects.filter(any_of("product_id", left_out)),
                            parsed, VECTOR)
    return matching - gin_rows(rows.values_list("pk"), "SELECT COUNT(*) FROM ({}) AS m")[0][0]


def count_listed(parsed: ParsedQuery, channel_id: int, now: datetime) -> int:
    """How many products a shopper sees in ``channel_id`` at ``now`` among ``parsed``'s
    matches: the matches the channel lists, counted by the statement that chooses the
    query's head (kept with it), less those whose listing is published after ``now`` (few,
    found by the listings' index of that date)."""
    backend = DatabaseBackend()
    listed = backend.count_listed_matching(parsed, channel_id)
    if not listed:
        return 0
    later = ProductChannelListing.objects.filter(channel_id=channel_id, published_at__gt=now)
    rows = backend.matching(ProductSearch.objects.filter(
        product_id__in=later.values("product_id"), listed__contains=[channel_id]), parsed, VECTOR)
    return listed - gin_rows(rows.values_list("pk"), "SELECT COUNT(*) FROM ({}) AS m")[0][0]


def shoppers_view(channel_id: int, now: datetime) -> QuerySet:
    """The products a shopper (no member of a seller) sees in the channel's listings at
    ``now``: the view ``ProductSearch.listed`` answers for. Written out here, not taken from
    ``catalog.services.visible_products``, so that a change there makes the views differ
    (and such counts go the other way) instead of making the count wrong."""
    listings = (ProductChannelListing.objects.filter(channel_id=channel_id, is_published=True)
                .filter(Q(published_at__isnull=True) | Q(published_at__lte=now))
                .filter(product=OuterRef("pk")).filter(visible_in_listings=True))
    return Product.objects.filter(Q(Exists(listings)))


def shoppers_channel(view: QuerySet, parsed: ParsedQuery) -> tuple[int, datetime] | None:
    """The channel and moment of ``view`` when it is a shopper's view (``shoppers_view``),
    searched the way ``view`` was (the same joins); ``None`` for any other view."""
    now = timezone.now()
    split = split_search(DatabaseBackend().matching(shoppers_view(ANY_CHANNEL, now), parsed))
    if split is None:
        return None
    try:
        sql, params = view.order_by().values_list("pk").query.sql_with_params()
        shape_sql, shape_params = split[0].order_by().values_list("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    if sql != shape_sql or len(params) != len(shape_params):
        return None
    channel = moment = None
    for value, shape in zip(params, shape_params, strict=True):
        if shape == ANY_CHANNEL and type(value) is int:
            channel = value
        elif shape == now and isinstance(value, datetime):
            moment = value
        elif value != shape:
            return None
    return None if channel is None or moment is None else (channel, moment)


def count_matches(queryset: QuerySet) -> int:
    """``queryset.count()`` planned for the GIN index, in one round trip."""
    rows = gin_rows(queryset.order_by().values_list("pk"),
                    "SELECT COUNT(*) FROM ({}) AS matched")
    return rows[0][0] if rows else 0


def left_out_of(view: QuerySet, work_out: bool = True) -> list[int] | None:
    """The products with a search row that ``view`` leaves out, kept per catalogue
    version (worked out unless kept only when ``work_out``); ``None``: more than
    ``LEFT_OUT_LIMIT``, or not kept. The statement matches no vector, so it keeps the
    server's own plan (a hash anti-join of the narrow table's ids)."""
    rows = (ProductSearch.objects.exclude(product_id__in=view.order_by().values("pk"))
            .order_by().values_list("product_id", flat=True)[:LEFT_OUT_LIMIT + 1])
    key = kept.statement_key("left-out", rows)
    if key is None:
        return None
    ids = (kept.per_version(key, lambda: list(rows), timed=True) if work_out
           else kept.peek(key))
    return None if ids is None or len(ids) > LEFT_OUT_LIMIT else ids


def split_search(queryset: QuerySet) -> tuple[QuerySet, ParsedQuery] | None:
    """``queryset`` without its search conditions (the view: every other filter), and the
    search; ``None`` unless they are ``DatabaseBackend.matching``'s conditions, each one
    of the filters the queryset's rows must all pass."""
    query = queryset.query
    where = query.where
    if (where.connector != AND or where.negated or query.is_sliced or query.distinct
            or query.combinator or query.group_by is not None):
        return None
    others, searched = [], []
    for child in where.children:
        found = list(_matches(child))
        if not found:
            others.append(child)
        elif isinstance(child, Lookup) and all(m.search is not None for m in found):
            searched.append(found)
        else:
            return None
    if not searched:
        return None
    parsed = searched[0][0].search
    expected = 1 + sum(1 for clause in parsed.counted() if at_least(clause) is None)
    if len(searched) != expected or any(m.search != parsed for found in searched
                                        for m in found):
        return None
    view = queryset.all()
    view.query.where = WhereNode(others, connector=AND)
    return view, parsed


def _matches(expression):
    """The ``Match`` expressions within ``expression`` (a filter)."""
    if isinstance(expression, Match):
        yield expression
        return
    children = (expression.children if isinstance(expression, WhereNode)
                else expression.get_source_expressions()
                if hasattr(expression, "get_source_expressions") else [])
    for child in children:
        if child is not None:
            yield from _matches(child)
