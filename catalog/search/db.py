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
the full rank, worked out by that same statement (each head vector read once); pages get
it as an array of numbers, so no page ranks a vector again. Every other match keeps its name
boost as its rank, which is never above a head product's (the full rank adds to the name
boost). So the head comes first in the ranking, in its own order, and a page that lies
within it is read from the head's rows alone (``Ranked.narrowed``) instead of every
match. The matches past the head (the *tail*) are ordered by name boost, slug and id, all
three kept in the narrow table: a page of the tail is read from the few dozen matches
that follow its cursor there (``Ranked.windows``), so the tenth page costs what the first
does; the tail's start is kept with the head, so the pages near it read no match at all.
A catalogue with fewer matches than that is ranked exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    expressions,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Length

from ..models import Product, ProductSearch
from . import kept
from .analysis import Clause, ParsedQuery, quote, tsvector_literal
from .documents import collect

BATCH_SIZE = 500
# How many of a query's matches get the full rank (see above): a storefront shows 20 a
# page, so ten pages are ranked fully.
RANKED_CANDIDATES = 200
# A page of the tail is looked for among this many matches past its cursor (at least, and
# at least four times the page): enough that the products a shopper may not see or the
# page's filters leave out rarely leave it short (then every match is read).
TAIL_WINDOW = 100
# The tail's first this many matches are kept with the head (``DatabaseBackend.tail_start``):
# the pages of 20 up to the 35th read their window of matches from them.
TAIL_KEPT = 600
# A long Chinese run matches when most of its bigrams do: "at least k of n" is spelled out
# in the indexed query by halves (``at_least``) up to this many terms in all; a longer
# run's matches are counted row by row.
MAX_THRESHOLD_TERMS = 512
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
    return gin_sql(wrap.format(sql), params)


def gin_sql(sql: str, params) -> list[tuple]:
    """The rows of ``sql`` planned for the GIN index in one round trip (``gin_rows``)."""
    restore = f"; {RESTORE_SEQSCAN}" if connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        cursor.execute(f"{NO_SEQSCAN}; {sql}{restore}", params)
        cursor.nextset()
        return cursor.fetchall()


class AnyOf(Func):
    """``field = ANY(array)``: the ids go to the database as one array parameter, not one
    parameter each (200 of them were most of the time spent building a page's SQL)."""

    output_field = BooleanField()
    comparison = "= ANY"

    def as_sql(self, compiler, connection, **extra_context):
        field, ids = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        ids_sql, ids_params = compiler.compile(ids)
        return f"{field_sql} {self.comparison}({ids_sql})", (*field_params, *ids_params)


class NoneOf(AnyOf):
    """``field <> ALL(array)``: none of the ids."""

    comparison = "<> ALL"


def array(values, kind: str, output_field) -> RawSQL:
    """An array of numbers as one text parameter (``'{1,2,3}'::bigint[]``): Django and the
    driver would otherwise convert each element on its own, several times a statement
    (a page's SQL names the head's ids and ranks five times)."""
    return RawSQL(f"%s::{kind}[]", ("{" + ",".join(map(repr, values)) + "}",),
                  output_field=output_field)


def _ids(ids) -> RawSQL:
    return array([int(pk) for pk in ids], "bigint", ArrayField(BigIntegerField()))


def any_of(field: str, ids) -> AnyOf:
    return AnyOf(F(field), _ids(ids))


def none_of(field: str, ids) -> NoneOf:
    return NoneOf(F(field), _ids(ids))


class HeadRank(Func):
    """A product's rank: its full rank when it is in the head (``ranks`` in the order of
    ``ids``, worked out when the head was chosen), else its name boost."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        ids, ranks, pk, name_rank = (compiler.compile(expression)
                                     for expression in self.get_source_expressions())
        sql = f"COALESCE(({ranks[0]})[array_position({ids[0]}, {pk[0]})], {name_rank[0]})"
        return sql, (*ranks[1], *ids[1], *pk[1], *name_rank[1])


def tsquery(literal: str):
    return Cast(Value(literal), SearchQueryField())


# The vector seen from a product, and from its ProductSearch row.
PRODUCT_VECTOR = "search_entry__vector"
VECTOR = "vector"


class Match(Func):
    """``vector @@ '<literal>'::tsquery`` (GIN-indexed). ``search``: the query whose
    conditions it is part of (``DatabaseBackend.matching``), so that a count can find them
    among a queryset's filters (``catalog.search.counting``)."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, *expressions, search: ParsedQuery | None = None, **extra):
        super().__init__(*expressions, **extra)
        self.search = search


def matches(query_literal: str, vector: str = PRODUCT_VECTOR,
            search: ParsedQuery | None = None) -> Match:
    """``vector @@ '<literal>'::tsquery`` as a boolean expression (GIN-indexed)."""
    return Match(F(vector), tsquery(query_literal), search=search)


def at_least(clause: Clause) -> str | None:
    """"At least ``minimum`` of the clause's terms" as one ``tsquery``, which the GIN index
    answers without reading a vector; ``None`` when it would spell out more than
    ``MAX_THRESHOLD_TERMS`` terms (then the terms matching are counted row by row)."""
    if _threshold_size(clause.minimum, len(clause.terms)) > MAX_THRESHOLD_TERMS:
        return None
    return _threshold(clause.minimum, [quote(term) for term in clause.terms])


def _threshold(k: int, terms: list[str]) -> str | None:
    """At least ``k`` of ``terms`` (quoted): ``k - i`` of the second half and ``i`` of the
    first, for each ``i`` that can be. Spelling out every combination of ``k`` instead
    grows far faster (5 of 7 bigrams: 105 terms against 31), and the index evaluates the
    whole expression for each row that holds any of the terms (a query of 7 bigrams over
    10,000 matches took 50 ms so, 12 ms by halves). ``None``: nothing is needed."""
    n = len(terms)
    if k <= 0:
        return None
    if k == 1 or k == n:
        return terms[0] if n == 1 else "(" + (" | " if k == 1 else " & ").join(terms) + ")"
    half = n // 2
    first, second = terms[:half], terms[half:]
    options = []
    for i in range(max(0, k - len(second)), min(k, half) + 1):
        parts = [part for part in (_threshold(i, first), _threshold(k - i, second)) if part]
        options.append(parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")")
    return "(" + " | ".join(options) + ")"


@lru_cache(maxsize=256)
def _threshold_size(k: int, n: int) -> int:
    """How many terms ``_threshold`` spells out for ``k`` of ``n``."""
    if k <= 0:
        return 0
    if k in (1, n):
        return n
    half = n // 2
    return sum(_threshold_size(i, half) + _threshold_size(k - i, n - half)
               for i in range(max(0, k - (n - half)), min(k, half) + 1))


@dataclass
class Window:
    """The matches a page of a search can come from (``queryset``). ``exhaustive``: they
    are every match on the page's side of its cursor, so a short page read from them is
    the end of the results; otherwise a page read from them is right only when it is full
    and one more row was found (``first + 1`` or ``last + 1``)."""

    queryset: QuerySet
    exhaustive: bool


@dataclass
class Ranked:
    """A search's result: ``queryset`` (every match, annotated with ``search_rank``) and
    its ``head``, the primary keys of the best matches of the whole catalogue by name,
    which rank above every other match (``complete``: the head holds every match;
    ``None``: the backend has no head, every match is ranked alike), in the ranking's
    order (descending by rank, slug, id). ``tail`` gives the primary keys of the matches
    past the head in their order (see ``DatabaseBackend.tail``)."""

    queryset: QuerySet
    head: list[int] | None = None
    complete: bool = True
    tail: Callable[..., list[int]] | None = None

    def narrowed(self, ids: list[int] | None = None) -> QuerySet:
        """The matches within the head (or ``ids``): the top of the ranking, cheap to read."""
        ids = self.head if ids is None else ids
        if ids is None:
            return self.queryset
        # The ids on both tables, so that each is read by primary key (the match alone
        # would have the search table's rows read for every match).
        return self.queryset.filter(any_of("pk", ids), any_of("search_entry__pk", ids))

    def windows(self, first: int | None = None, last: int | None = None,
                after: list | None = None, before: list | None = None) -> Iterator[Window]:
        """Where a page of the ranking (descending by ``search_rank``, slug, id; ``after``
        and ``before`` the cursors' values in that order) can be read from, narrowest
        first: the head, or the tail's matches next to the cursor, or both. The caller
        reads the page from each in turn until one holds it; after the last, from every
        match (nothing is given for a cursor that is not one of this ranking's)."""
        if first is None and last is None:
            return  # refused by the pagination
        if self.head is None or self.complete:
            yield Window(self.narrowed(), True)
            return
        forward = first is not None
        cursor = after if forward else before
        if self.tail is None or (cursor is not None and not _rank_key(cursor)):
            return
        in_head = (cursor is None and forward) or (cursor is not None
                                                   and cursor[2] in set(self.head))
        # The head products after the cursor (the head is in the ranking's order).
        following = self.head
        if in_head and cursor is not None:
            following = self.head[self.head.index(cursor[2]) + 1:]
        if in_head and (not forward or len(following) > first):
            # Pages within the head are read from its rows alone; counting back from a
            # head product meets only head products. Near the head's end (fewer than a
            # page and one more after the cursor) the page is read from what is left of
            # the head and the start of the tail at once.
            yield Window(self.narrowed(), not forward)
            if not forward:
                return
        size = max(TAIL_WINDOW, 4 * ((first if forward else last) + 1))
        ids = self.tail(size, None if in_head else cursor, backward=not forward)
        exhaustive = len(ids) < size
        if in_head:
            # The head comes before the tail: the part of it after the cursor.
            ids = following + ids
        elif not forward and exhaustive:
            # Before the start of the tail, the whole head.
            ids = self.head + ids
        yield Window(self.narrowed(ids), exhaustive)

    def first(self, order_by: list[str], n: int) -> list:
        """The first ``n`` matches by ``order_by`` (which starts with ``-search_rank``):
        from the head when it holds ``n`` of them, else from every match."""
        rows = list(self.narrowed().order_by(*order_by)[:n])
        if len(rows) < n and not self.complete:
            with gin_plans():
                rows = list(self.queryset.order_by(*order_by)[:n])
        return rows


@dataclass
class TailStart:
    """The first matches past a query's head (``DatabaseBackend.tail_start``): ``rows`` of
    (id, rank, slug) in the ranking's order; ``complete``: they are every one."""

    rows: list[tuple[int, float, str]]
    complete: bool


def _within(start: TailStart, size: int, cursor: list | None,
            backward: bool) -> list[int] | None:
    """``DatabaseBackend.tail``'s answer read from the tail's start; ``None`` when it is
    not all there (or the cursor's values are not those of a product in it)."""
    ids = [row[0] for row in start.rows]
    position = None
    if cursor is not None:
        found = [i for i, row in enumerate(start.rows) if row[0] == cursor[2]]
        if not found or list(start.rows[found[0]]) != [cursor[2], cursor[0], cursor[1]]:
            return None
        position = found[0]
    if backward:
        if position is None:
            return ids[::-1][:size] if start.complete else None
        return ids[:position][::-1][:size]
    following = ids if position is None else ids[position + 1:]
    return following[:size] if len(following) >= size or start.complete else None


def _rank_key(values: list) -> bool:
    """Whether ``values`` can be a relevance cursor's (rank, slug, id)."""
    rank, slug, pk = values
    return (isinstance(rank, (int, float)) and not isinstance(rank, bool)
            and isinstance(slug, str) and isinstance(pk, int) and not isinstance(pk, bool))


def _keyset(keys: list[str], values: list, op: str) -> Q:
    """Rows past ``values`` in the order of ``keys`` (``op`` "lt" or "gt" for each key)."""
    condition = Q()
    for i, key in enumerate(keys):
        term = Q(**{f"{key}__{op}": values[i]})
        for prev_key, prev_value in zip(keys[:i], values[:i], strict=True):
            term &= Q(**{prev_key: prev_value})
        condition |= term
    return condition


class DatabaseBackend:
    name = "database"

    # Indexing -------------------------------------------------------------------------

    def index_products(self, product_ids) -> int:
        """Rebuild the stored vectors of ``product_ids``; returns how many were written."""
        ids = list(product_ids)
        written = 0
        for start in range(0, len(ids), BATCH_SIZE):
            data = collect(ids[start:start + BATCH_SIZE], commerce=False)
            rows = [ProductSearch(product_id=pk, name=item.name, slug=item.slug, vector=Cast(
                        Value(tsvector_literal(item.weighted_text())), SearchVectorField()))
                    for pk, item in data.items()]
            ProductSearch.objects.bulk_create(rows, update_conflicts=True,
                                              unique_fields=["product"],
                                              update_fields=["name", "slug", "vector"])
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

    def search(self, queryset: QuerySet, parsed: ParsedQuery,
               channel_id: int | None = None) -> Ranked:
        """Products of ``queryset`` matching ``parsed``, annotated with ``search_rank``,
        with the query's head (see the module's docstring; ``channel_id``: the channel the
        head counts the listed matches of, for the count of a shopper's search)."""
        name_rank = self.name_rank(parsed)
        rows = self.head(parsed, name_rank, channel_id)
        head = [row[0] for row in rows]
        ranks = [float(row[1]) for row in rows]
        complete = len(head) < RANKED_CANDIDATES
        rank = HeadRank(_ids(head), array(ranks, "float8", ArrayField(FloatField())),
                        F("pk"), name_rank)
        return Ranked(self.matching(queryset, parsed).annotate(search_rank=rank),
                      head, complete, partial(self.tail, parsed, head, name_rank))

    def head(self, parsed: ParsedQuery, name_rank,
             channel_id: int | None = None) -> list[tuple[int, float, int, int | None]]:
        """The best ``RANKED_CANDIDATES`` matches of the catalogue by ``name_rank``, in the
        ranking's order (full rank, slug, id, descending: sorted by the server, in the
        collation the pages are sorted in), with their full rank, the number of rows of
        the narrow table that ``parsed`` matches and how many of them channel
        ``channel_id`` lists (``ProductSearch.listed``; ``None`` without a channel), the
        same on each row (``count_matching``, ``count_listed_matching``), from that table
        alone: each vector is read once, by the statement that chooses the head, never by
        a page's. Ties go by name, which has no index: ordered by an indexed column, the
        planner may walk that index and test the vector of each row it passes (a pinyin
        query, whose name boost is 0, took 0.8 s so)."""
        # Counting the matches costs nothing more here: the statement reads each of them
        # to choose the head. The full rank is worked out on the chosen rows only, after
        # the join (over the window, it would read every match's vector).
        listed = (Value(None, output_field=IntegerField()) if channel_id is None else
                  expressions.Window(Count("pk", filter=Q(listed__contains=[channel_id]))))
        best = (self.matching(ProductSearch.objects.all(), parsed, VECTOR)
                .alias(head_rank=name_rank)
                .annotate(matched=expressions.Window(Count("*")), listed_matched=listed)
                .order_by("-head_rank", "name", "product_id")
                .values_list("product_id", "matched", "listed_matched")[:RANKED_CANDIDATES])
        rows = (ProductSearch.objects.annotate(
                    full_rank=self.rank(parsed),
                    matched=RawSQL('"best"."matched"', (), output_field=IntegerField()),
                    listed_matched=RawSQL('"best"."listed_matched"', (),
                                          output_field=IntegerField()))
                .values_list("product_id", "full_rank", "matched", "listed_matched"))
        try:
            best_sql, best_params = best.query.sql_with_params()
            rows_sql, rows_params = rows.query.sql_with_params()
        except EmptyResultSet:
            return []
        table = connection.ops.quote_name(ProductSearch._meta.db_table)
        sql = (f'{rows_sql} INNER JOIN ({best_sql}) AS "best" '
               f'ON "best"."product_id" = {table}."product_id" '
               f'ORDER BY "full_rank" DESC, {table}."slug" DESC, {table}."product_id" DESC')
        params = (*rows_params, *best_params)
        # The same for every shopper and page of the query until the catalogue changes.
        return kept.per_version(kept.sql_key("head", sql, params),
                                lambda: gin_sql(sql, params))

    def count_matching(self, parsed: ParsedQuery) -> int:
        """How many rows of the narrow table ``parsed`` matches (whoever may see them),
        read with the query's head (kept with it)."""
        rows = self.head(parsed, self.name_rank(parsed))
        return rows[0][2] if rows else 0

    def count_listed_matching(self, parsed: ParsedQuery, channel_id: int) -> int:
        """How many rows of the narrow table ``parsed`` matches that channel
        ``channel_id`` lists, read with the query's head for that channel (kept with it)."""
        rows = self.head(parsed, self.name_rank(parsed), channel_id)
        return rows[0][3] if rows else 0

    def tail(self, parsed: ParsedQuery, head: list[int], name_rank, size: int,
             cursor: list | None = None, backward: bool = False) -> list[int]:
        """The primary keys of ``size`` matches past the head in the ranking's order (name
        boost, slug, id, descending: the rank a product past the head has), from the narrow
        table alone: the first ones (after ``cursor``, a cursor's values, when given), or
        ``backward`` the last ones (before ``cursor``), nearest to it first. Read from the
        tail's start (``tail_start``) when they lie within it."""
        keys = ["tail_rank", "slug", "product_id"]
        rows = (self.matching(ProductSearch.objects.all(), parsed, VECTOR)
                .alias(tail_rank=name_rank).filter(none_of("product_id", head)))
        start = self.tail_start(rows, keys)
        if start is not None:
            ids = _within(start, size, cursor, backward)
            if ids is not None:
                return ids
        if cursor is not None:
            rows = rows.filter(_keyset(keys, cursor, "gt" if backward else "lt"))
        rows = rows.order_by(*(keys if backward else [f"-{key}" for key in keys]))
        return [row[0] for row in gin_rows(rows.values_list("product_id")[:size])]

    def tail_start(self, rows: QuerySet, keys: list[str]) -> TailStart | None:
        """The first ``TAIL_KEPT`` matches past the head, with their rank and slug (the
        cursor's values): read by the first page past the head, then kept with the head
        until the catalogue changes, so that the pages after it cost no statement of their
        own (each would read every match again to sort them)."""
        start = (rows.annotate(kept_rank=F("tail_rank"))
                 .order_by(*[f"-{key}" for key in keys])
                 .values_list("product_id", "kept_rank", "slug")[:TAIL_KEPT + 1])
        try:
            sql, params = start.query.sql_with_params()
        except EmptyResultSet:
            return None
        found = kept.per_version(kept.sql_key("tail", sql, params),
                                 lambda: gin_sql(sql, params))
        return TailStart([tuple(row) for row in found[:TAIL_KEPT]], len(found) <= TAIL_KEPT)

    def matching(self, queryset: QuerySet, parsed: ParsedQuery,
                 vector: str = PRODUCT_VECTOR) -> QuerySet:
        """The rows of ``queryset`` (products, or ``ProductSearch`` rows with ``VECTOR``)
        that ``parsed`` matches."""
        # A clause matched partly is its threshold (``at_least``), or any of its terms
        # with the terms matching counted row by row.
        parts, counted = [], []
        for clause in parsed.clauses:
            partly = clause.minimum < len(clause.terms)
            some = at_least(clause) if partly else None
            if partly and some is None:
                counted.append(clause)
            parts.append(some or clause.tsquery())
        queryset = queryset.filter(matches(" & ".join(parts), vector, parsed))
        for index, clause in enumerate(counted):
            hits = sum(
                (Cast(matches(quote(term), vector, parsed), IntegerField())
                 for term in clause.terms),
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
        each word typed that is a whole token, of a ``ProductSearch`` row."""
        rank = Func(Value(RANK_WEIGHTS), F(VECTOR), tsquery(parsed.rank_tsquery()),
                    function="ts_rank", output_field=FloatField())
        rank = Cast(rank, FloatField()) + self.name_rank(parsed)
        # A word that is a whole token ranks above one that only starts a token: shibing
        # is the pinyin of the end of 渑池柿饼's name, only the start of 渑池吊柿饼礼盒's.
        words = parsed.words
        for word in words:
            rank = rank + Case(When(matches(quote(word), VECTOR),
                                    then=Value(0.5 / len(words))),
                               default=Value(0.0), output_field=FloatField())
        return rank

    def suggest(self, queryset: QuerySet, parsed: ParsedQuery, limit: int,
                channel_id: int | None = None) -> list[Product]:
        """The best ``limit`` products for type-ahead, read from the query's head when it
        holds that many of ``queryset`` (the head a search page in ``channel_id`` reads)."""
        return Ranked.first(self.search(queryset, parsed, channel_id),
                            ["-search_rank", "slug", "pk"], limit)
