"""The PostgreSQL search backend (the default, used when ``ELASTICSEARCH_URL`` is unset).

Each product keeps a weighted ``tsvector`` (``ProductSearch.vector``, GIN-indexed, in a
narrow table with the product's name) made of the lexemes of ``catalog.search.analysis``:
Han bigrams and characters, words and pinyin. A query is one ``@@`` match against that
index (a ``tsquery`` literal cast with ``::tsquery``, so neither a text-search parser nor a
dictionary that knows no Chinese is involved) ranked by ``ts_rank`` over the weights, plus
a boost for products whose name holds the words typed. The embedded server has neither
``pg_trgm`` nor ``zhparser``; this needs only core PostgreSQL.

A common term matches a fifth of a large catalogue (牦牛: 10,000 of 50,000 products), and
``ts_rank`` must read each product's vector out of TOAST, so ranking every match is what
made such a page slow. A query first picks its *head*: the best ``RANKED_CANDIDATES``
matches of the whole catalogue by the name boost (which reads the name, not the vector;
one query over the GIN match that reads the narrow table's rows only). Only the head gets
the full rank; every other match keeps its name boost as its rank, which is never above a
head product's (the full rank adds to the name boost). So the head comes first in the
ranking, in its own order, and a page that lies within it is read from the head's rows
alone (``Ranked.narrowed``) instead of every match; the matches past the head are still
returned, counted and keyset-paged in one stable order. A catalogue with fewer matches
than that is ranked exactly as before.
"""

from __future__ import annotations

import itertools
import math
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Length

from ..models import Product, ProductSearch
from .analysis import Clause, ParsedQuery, quote, tsvector_literal
from .documents import collect

BATCH_SIZE = 500
# How many of a query's matches get the full rank (see above): a storefront shows 20 a
# page, so ten pages are ranked fully.
RANKED_CANDIDATES = 200
# A long Chinese run matches when most of its bigrams do; up to this many combinations of
# them are spelled out in the indexed query (8 bigrams, 5 needed: 56).
MAX_COMBINATIONS = 64
# ts_rank weights for D, C, B, A (PostgreSQL's order).
RANK_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"


# Every vector is kept out of line, so a sequential scan of the search table reads all of
# them to test the match, which the planner does not count: at 50,000 products it took a
# common term's match for a cheap scan of a small table (0.4 s, against 5 ms from the GIN
# index). Statements that match vectors are planned with sequential scans off, and only
# they: the setting is local to their own transaction.
NO_SEQSCAN = "SET LOCAL enable_seqscan = off"
RESTORE_SEQSCAN = "SET LOCAL enable_seqscan = DEFAULT"


@contextmanager
def gin_plans():
    """Plan the statements run inside for the GIN index, in a transaction (or savepoint)
    of their own (three more round trips: for a few statements, see ``gin_rows``)."""
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(NO_SEQSCAN)
        yield
        if nested:
            # Released into the caller's transaction, a SET LOCAL would outlive this
            # block (a rolled-back savepoint undoes it by itself).
            cursor.execute(RESTORE_SEQSCAN)


def gin_rows(queryset: QuerySet, wrap: str = "{}") -> list[tuple]:
    """The rows of ``queryset`` (``values_list``; its SQL put in ``wrap`` when given)
    planned for the GIN index in one round trip: the setting and the statement go
    together, and statements sent at once are one transaction (inside a transaction
    block, a third statement puts the setting back)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    restore = f"; {RESTORE_SEQSCAN}" if connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        cursor.execute(f"{NO_SEQSCAN}; {wrap.format(sql)}{restore}", params)
        cursor.nextset()
        return cursor.fetchall()


def gin_count(queryset: QuerySet) -> int:
    """``queryset.count()`` planned for the GIN index, in one round trip."""
    rows = gin_rows(queryset.order_by().values_list("pk"),
                    "SELECT COUNT(*) FROM ({}) AS matched")
    return rows[0][0] if rows else 0


class AnyOf(Func):
    """``field = ANY(array)``: the ids go to the database as one array parameter, not one
    parameter each (200 of them were most of the time spent building a page's SQL)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        field, ids = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        ids_sql, ids_params = compiler.compile(ids)
        return f"{field_sql} = ANY({ids_sql})", (*field_params, *ids_params)


def any_of(field: str, ids) -> AnyOf:
    return AnyOf(F(field), Value(list(ids), output_field=ArrayField(BigIntegerField())))


def tsquery(literal: str):
    return Cast(Value(literal), SearchQueryField())


# The vector seen from a product, and from its ProductSearch row.
PRODUCT_VECTOR = "search_entry__vector"
VECTOR = "vector"


def matches(query_literal: str, vector: str = PRODUCT_VECTOR):
    """``vector @@ '<literal>'::tsquery`` as a boolean expression (GIN-indexed)."""
    return Func(F(vector), tsquery(query_literal), template="%(expressions)s",
                arg_joiner=" @@ ", output_field=BooleanField())


def at_least(clause: Clause) -> str | None:
    """"At least ``minimum`` of the clause's terms" as one ``tsquery`` (any of the term
    combinations of that size), which the GIN index answers without reading a vector;
    ``None`` when there are too many combinations (then the terms matching are counted
    row by row)."""
    if math.comb(len(clause.terms), clause.minimum) > MAX_COMBINATIONS:
        return None
    combos = itertools.combinations([quote(term) for term in clause.terms], clause.minimum)
    return "(" + " | ".join("(" + " & ".join(combo) + ")" for combo in combos) + ")"


@dataclass
class Ranked:
    """A search's result: ``queryset`` (every match, annotated with ``search_rank``) and
    its ``head``, the primary keys of the best matches of the whole catalogue by name,
    which rank above every other match (``complete``: the head holds every match;
    ``None``: the backend has no head, every match is ranked alike)."""

    queryset: QuerySet
    head: list[int] | None = None
    complete: bool = True

    def narrowed(self) -> QuerySet:
        """The matches within the head: the top of the ranking, cheap to read."""
        if self.head is None:
            return self.queryset
        # The head on both tables, so that each is read by primary key (the match alone
        # would have the search table's rows read for every match).
        return self.queryset.filter(any_of("pk", self.head),
                                    any_of("search_entry__pk", self.head))

    def first(self, order_by: list[str], n: int) -> list:
        """The first ``n`` matches by ``order_by`` (which starts with ``-search_rank``):
        from the head when it holds ``n`` of them, else from every match."""
        rows = list(self.narrowed().order_by(*order_by)[:n])
        if len(rows) < n and not self.complete:
            with gin_plans():
                rows = list(self.queryset.order_by(*order_by)[:n])
        return rows


class DatabaseBackend:
    name = "database"

    # Indexing -------------------------------------------------------------------------

    def index_products(self, product_ids) -> int:
        """Rebuild the stored vectors of ``product_ids``; returns how many were written."""
        ids = list(product_ids)
        written = 0
        for start in range(0, len(ids), BATCH_SIZE):
            data = collect(ids[start:start + BATCH_SIZE], commerce=False)
            rows = [ProductSearch(product_id=pk, name=item.name, vector=Cast(
                        Value(tsvector_literal(item.weighted_text())), SearchVectorField()))
                    for pk, item in data.items()]
            ProductSearch.objects.bulk_create(rows, update_conflicts=True,
                                              unique_fields=["product"],
                                              update_fields=["name", "vector"])
            written += len(rows)
        return written

    def remove_products(self, product_ids) -> int:
        return 0  # the index row goes with the product

    def rebuild(self, product_ids, progress=None) -> int:
        ids = list(product_ids)
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start:start + BATCH_SIZE]
            self.index_products(batch)
            if progress is not None:
                progress(len(batch))
        return len(ids)

    # Searching ------------------------------------------------------------------------

    def search(self, queryset: QuerySet, parsed: ParsedQuery) -> Ranked:
        """Products of ``queryset`` matching ``parsed``, annotated with ``search_rank``,
        with the query's head (see the module's docstring)."""
        name_rank = self.name_rank(parsed)
        head = self.head(parsed, name_rank)
        complete = len(head) < RANKED_CANDIDATES
        rank = self.rank(parsed)
        if not complete:
            rank = Case(When(any_of("pk", head), then=rank), default=name_rank,
                        output_field=FloatField())
        return Ranked(self.matching(queryset, parsed).annotate(search_rank=rank),
                      head, complete)

    def head(self, parsed: ParsedQuery, name_rank) -> list[int]:
        """The primary keys of the best ``RANKED_CANDIDATES`` matches of the catalogue by
        ``name_rank``, from the narrow table alone. Ties go by name, which has no index:
        ordered by an indexed column, the planner may walk that index and test the vector
        of each row it passes (a pinyin query, whose name boost is 0, took 0.8 s so)."""
        return [row[0] for row in gin_rows(
            self.matching(ProductSearch.objects.all(), parsed, VECTOR)
            .alias(head_rank=name_rank).order_by("-head_rank", "name", "product_id")
            .values_list("product_id")[:RANKED_CANDIDATES])]

    def matching(self, queryset: QuerySet, parsed: ParsedQuery,
                 vector: str = PRODUCT_VECTOR) -> QuerySet:
        """The rows of ``queryset`` (products, or ``ProductSearch`` rows with ``VECTOR``)
        that ``parsed`` matches."""
        literal = parsed.tsquery()
        counted = []
        for clause in parsed.counted():
            some = at_least(clause)
            if some is None:
                counted.append(clause)
            else:
                literal = f"{literal} & {some}"
        queryset = queryset.filter(matches(literal, vector))
        for index, clause in enumerate(counted):
            hits = sum(
                (Cast(matches(quote(term), vector), IntegerField()) for term in clause.terms),
                Value(0),
            )
            name = f"search_hits_{index}"
            queryset = queryset.alias(**{name: hits}).filter(**{f"{name}__gte": clause.minimum})
        return queryset

    def name_rank(self, parsed: ParsedQuery):
        """Up to 2 when the name holds the Chinese typed (for each run typed: one share for
        holding it, one more the larger the share of the name it is: 柿饼 ranks 渑池柿饼
        above 渑池吊柿饼礼盒). Reads only the name."""
        rank = Value(0.0, output_field=FloatField())
        runs = parsed.han_runs
        name_length = Cast(Length("name"), FloatField())
        for run in runs:
            rank = rank + Case(
                When(name__contains=run,
                     then=(Value(1.0) + Value(float(len(run))) / name_length)
                     / Value(float(len(runs)))),
                default=Value(0.0), output_field=FloatField(),
            )
        return rank

    def rank(self, parsed: ParsedQuery):
        """``ts_rank`` over the weights plus the name boost (``name_rank``) and a boost for
        each word typed that is a whole token."""
        rank = Func(Value(RANK_WEIGHTS), F(PRODUCT_VECTOR), tsquery(parsed.rank_tsquery()),
                    function="ts_rank", output_field=FloatField())
        rank = Cast(rank, FloatField()) + self.name_rank(parsed)
        # A word that is a whole token ranks above one that only starts a token: shibing
        # is the pinyin of the end of 渑池柿饼's name, only the start of 渑池吊柿饼礼盒's.
        words = parsed.words
        for word in words:
            rank = rank + Case(When(matches(quote(word)), then=Value(0.5 / len(words))),
                               default=Value(0.0), output_field=FloatField())
        return rank

    def suggest(self, queryset: QuerySet, parsed: ParsedQuery, limit: int) -> list[Product]:
        """The best ``limit`` products for type-ahead, read from the query's head when it
        holds that many of ``queryset``."""
        return Ranked.first(self.search(queryset, parsed), ["-search_rank", "slug", "pk"],
                            limit)
