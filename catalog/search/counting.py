"""A search's ``totalCount``: exact, and cheap however many products match.

Counting the products a shopper may see among a common term's matches joins each match
to its product and channel listing (10,000 matches of 牦牛 at 50,000 products: 25 ms and
more), while the GIN index counts the matches of the narrow search table by itself, and
the head's statement does it on the way (``DatabaseBackend.count_matching``). So a count
of many matches is that number less the matches among the products the shopper's view
leaves out (unpublished, hidden from listings, filtered away): those are the same for
every search of the view, worked out once per catalogue version (``kept``) and few in a
shop's own view. A view that leaves out many (a category's search), a count of few
matches before any search of the view has worked out what it leaves out, or a queryset
whose search conditions cannot be told apart from its other filters is counted the direct
way.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND, WhereNode

from ..models import ProductSearch
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
