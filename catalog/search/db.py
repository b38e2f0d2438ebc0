"""The PostgreSQL search backend (the default, used when ``ELASTICSEARCH_URL`` is unset).

Each product keeps a weighted ``tsvector`` (``Product.search_vector``, GIN-indexed) made
of the lexemes of ``catalog.search.analysis``: Han bigrams and characters, words and
pinyin. A query is one ``@@`` match against that index (a ``tsquery`` literal cast with
``::tsquery``, so neither a text-search parser nor a dictionary that knows no Chinese is
involved) ranked by ``ts_rank`` over the weights, plus a boost for products whose name
holds the words typed. The embedded server has neither ``pg_trgm`` nor ``zhparser``; this
needs only core PostgreSQL.

A common term matches a fifth of a large catalogue (牦牛: 10,000 of 50,000 products), and
``ts_rank`` must read each product's vector out of TOAST, so ranking every match is what
made such a page slow. Only the best ``RANKED_CANDIDATES`` matches by the name boost (which
reads the name, not the vector) get the full rank; the other matches keep the name boost
as their rank. That rank is never above a candidate's (the full rank adds to the name
boost), so every match is still returned and counted, in one stable order for keyset
paging. A catalogue with fewer matches than that is ranked exactly as before.
"""

from __future__ import annotations

import itertools
import math

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Length, RowNumber
from django.db.models.lookups import GreaterThan

from ..models import Product
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


def tsquery(literal: str):
    return Cast(Value(literal), SearchQueryField())


def matches(query_literal: str):
    """``search_vector @@ '<literal>'::tsquery`` as a boolean expression (GIN-indexed)."""
    return Func(F("search_vector"), tsquery(query_literal), template="%(expressions)s",
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


class DatabaseBackend:
    name = "database"

    # Indexing -------------------------------------------------------------------------

    def index_products(self, product_ids) -> int:
        """Rebuild the stored vectors of ``product_ids``; returns how many were written."""
        ids = list(product_ids)
        written = 0
        for start in range(0, len(ids), BATCH_SIZE):
            data = collect(ids[start:start + BATCH_SIZE], commerce=False)
            rows = []
            for pk, item in data.items():
                row = Product(pk=pk)
                row.search_vector = Cast(Value(tsvector_literal(item.weighted_text())),
                                         SearchVectorField())
                rows.append(row)
            Product.objects.bulk_update(rows, ["search_vector"])
            written += len(rows)
        return written

    def remove_products(self, product_ids) -> int:
        return 0  # the vector goes with the row

    def rebuild(self, product_ids, progress=None) -> int:
        ids = list(product_ids)
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start:start + BATCH_SIZE]
            self.index_products(batch)
            if progress is not None:
                progress(len(batch))
        return len(ids)

    # Searching ------------------------------------------------------------------------

    def search(self, queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
        """Products of ``queryset`` matching ``parsed``, annotated with ``search_rank``."""
        literal = parsed.tsquery()
        counted = []
        for clause in parsed.counted():
            some = at_least(clause)
            if some is None:
                counted.append(clause)
            else:
                literal = f"{literal} & {some}"
        queryset = queryset.filter(matches(literal))
        for index, clause in enumerate(counted):
            hits = sum(
                (Cast(matches(quote(term)), IntegerField()) for term in clause.terms),
                Value(0),
            )
            name = f"search_hits_{index}"
            queryset = queryset.alias(**{name: hits}).filter(**{f"{name}__gte": clause.minimum})
        name_rank = self.name_rank(parsed)
        place = Window(RowNumber(), order_by=[name_rank.desc(), F("slug").asc()])
        return queryset.annotate(search_rank=Case(
            When(GreaterThan(place, RANKED_CANDIDATES), then=name_rank),
            default=self.rank(parsed), output_field=FloatField()))

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
        rank = Func(Value(RANK_WEIGHTS), F("search_vector"), tsquery(parsed.rank_tsquery()),
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
        """The best ``limit`` products for type-ahead: one indexed query."""
        return list(
            queryset.filter(matches(parsed.tsquery()))
            .annotate(search_rank=self.rank(parsed))
            .order_by("-search_rank", "slug")
            [:limit]
        )
