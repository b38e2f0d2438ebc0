"""The Elasticsearch backend, built with the client's own DSL (``elasticsearch.dsl``).

* ``product_document(analyzer)``: the product document (name, description, category,
  pavilion, county, brand, grade, price per channel, stock) whose Chinese text fields use
  the built-in ``cjk`` analyzer (bigrams, like the database backend) or ``smartcn`` (word
  segmentation, needs the analysis-smartcn plugin), chosen by ``ELASTICSEARCH_ANALYZER``;
  a ``pinyin`` field holds the same pinyin tokens as the database backend (whitespace
  analyzer, searched by prefix) and ``suggest`` feeds the completion suggester.
* ``build_search``: the query (one ``bool``: Chinese words must match ``minimum_should_match``
  of their bigrams across the text fields; letters match pinyin by prefix), filters and
  facet aggregations (category, pavilion, grade, price range).
* ``ElasticsearchBackend``: searches the alias and hands ranked ids back to the database
  queryset (visibility, pagination and the other filters stay in one place); indexes
  in bulk; rebuilds into a fresh index and swaps the alias (no moment without an index).
"""

from __future__ import annotations

import time
from functools import cache

from django.db.models import Case, FloatField, Value, When
from elasticsearch import Elasticsearch
from elasticsearch.dsl import (
    A,
    Boolean,
    Completion,
    Document,
    InnerDoc,
    Integer,
    Keyword,
    Nested,
    Q,
    ScaledFloat,
    Search,
    Text,
)
from elasticsearch.helpers import bulk

from .analysis import MINIMUM_SHOULD_MATCH, ParsedQuery, pinyin_tokens, unique
from .documents import ProductSearchData, collect, price_float

ANALYZERS = ("cjk", "smartcn")
TEXT_FIELDS = ["name^4", "category^2", "county^2", "pavilion^1.5", "brand^1.5", "grade^1.5",
               "attributes", "organization", "description^0.3"]
MAX_HITS = 1000
BULK_CHUNK = 500


class Listing(InnerDoc):
    channel = Keyword()
    published = Boolean()
    price = ScaledFloat(scaling_factor=100)


@cache
def product_document(analyzer: str = "cjk", index: str = "pavilion-products"):
    """The ``Document`` class for ``analyzer`` (``cjk`` or ``smartcn``) and alias ``index``."""
    if analyzer not in ANALYZERS:
        raise ValueError(f"ELASTICSEARCH_ANALYZER must be one of {ANALYZERS}, not {analyzer!r}")

    def chinese(**extra):
        return Text(analyzer=analyzer, **extra)

    attrs = {
        "__module__": __name__,
        "product_id": Integer(),
        "slug": Keyword(),
        "name": chinese(fields={"raw": Keyword()}),
        "description": chinese(),
        "category": chinese(fields={"raw": Keyword()}),
        "category_id": Integer(),
        "pavilion": chinese(),
        "pavilion_id": Integer(),
        "pavilion_slug": Keyword(),
        "county": chinese(fields={"raw": Keyword()}),
        "brand": chinese(),
        "organization": chinese(),
        "attributes": chinese(),
        "grade": chinese(fields={"raw": Keyword()}),
        "grade_slug": Keyword(),
        "pinyin": Text(analyzer="whitespace"),
        "suggest": Completion(analyzer="simple"),
        "listings": Nested(Listing),
        "in_stock": Boolean(),
        "Index": type("Index", (), {"name": index, "settings": {"number_of_shards": 1,
                                                                  "number_of_replicas": 0}}),
    }
    return type(f"ProductDocument_{analyzer}", (Document,), attrs)


def to_document(data: ProductSearchData, analyzer: str = "cjk", index: str = "pavilion-products"):
    doc_class = product_document(analyzer, index)
    pinyin = unique(t for text in [data.name, *data.categories, data.county]
                    for t in pinyin_tokens(text))
    return doc_class(
        meta={"id": data.pk},
        product_id=data.pk,
        slug=data.slug,
        name=data.name,
        description=data.description,
        category=data.categories[0] if data.categories else None,
        category_id=data.category_id,
        pavilion=data.pavilion or None,
        pavilion_id=data.pavilion_id,
        pavilion_slug=data.pavilion_slug or None,
        county=data.county or None,
        brand=data.brand or None,
        organization=data.organization,
        attributes=data.attributes,
        grade=[name for _slug, name in data.grades],
        grade_slug=[slug for slug, _name in data.grades],
        pinyin=" ".join(pinyin),
        # The completion suggester matches from the start of an input: give it the name
        # from each character on (小米 in 渑池仰韶小米) and the name's pinyin suffixes.
        suggest={"input": unique([data.name[i:] for i in range(max(1, len(data.name) - 1))]
                                 + pinyin_tokens(data.name))},
        listings=[Listing(channel=channel, published=item["published"],
                          price=price_float(item["price"]))
                  for channel, item in sorted(data.listings.items())],
        in_stock=data.in_stock,
    )


def text_query(parsed: ParsedQuery):
    """Every clause must match: Chinese through the analyzed fields (a share of its
    bigrams, as in the database backend), letters and digits as pinyin or word prefixes."""
    must = []
    for clause in parsed.clauses:
        if clause.prefix:
            must.append(Q("bool", should=[
                Q("prefix", pinyin={"value": clause.source, "boost": 2.0}),
                Q("multi_match", query=clause.source, fields=TEXT_FIELDS,
                  type="phrase_prefix"),
            ], minimum_should_match=1))
        else:
            must.append(Q("multi_match", query=clause.source, fields=TEXT_FIELDS,
                          type="best_fields", tie_breaker=0.3,
                          minimum_should_match=f"{int(MINIMUM_SHOULD_MATCH * 100)}%"))
    should = [Q("match_phrase", name={"query": run, "boost": 5.0}) for run in parsed.han_runs]
    return Q("bool", must=must, should=should)


def build_search(parsed: ParsedQuery | None, *, channel: str = "default", categories=(),
                 pavilions=(), grades=(), price_gte=None, price_lte=None, facets=True,
                 analyzer: str = "cjk", index: str = "pavilion-products") -> Search:
    """The search request: ranked by relevance, filtered, with facet aggregations."""
    search = product_document(analyzer, index).search()
    search = search.query(text_query(parsed) if parsed and not parsed.empty else Q("match_all"))
    listing = {"channel": channel, "published": True}
    price_range = {k: v for k, v in (("gte", price_gte), ("lte", price_lte)) if v is not None}
    listing_filter = [Q("term", **{f"listings.{k}": v}) for k, v in listing.items()]
    if price_range:
        listing_filter.append(Q("range", **{"listings.price": price_range}))
    search = search.filter("nested", path="listings", query=Q("bool", filter=listing_filter))
    if categories:
        search = search.filter("terms", category_id=list(categories))
    if pavilions:
        search = search.filter("terms", pavilion_id=list(pavilions))
    if grades:
        search = search.filter("terms", grade_slug=list(grades))
    if facets:
        search.aggs.bucket("categories", A("terms", field="category_id", size=50))
        search.aggs.bucket("pavilions", A("terms", field="pavilion_id", size=50))
        search.aggs.bucket("grades", A("terms", field="grade_slug", size=20))
        prices = search.aggs.bucket("listings", A("nested", path="listings"))
        channel_prices = prices.bucket("channel", A("filter", term={"listings.channel": channel}))
        channel_prices.metric("price", A("stats", field="listings.price"))
    return search.source(["product_id"]).sort("_score", "slug")


def suggest_search(prefix: str, size: int = 10, analyzer: str = "cjk",
                   index: str = "pavilion-products") -> Search:
    return (product_document(analyzer, index).search().source(["product_id", "name", "slug"])
            .suggest("products", prefix, completion={"field": "suggest", "size": size,
                                                     "skip_duplicates": True}))[:0]


def alias_actions(alias: str, new_index: str, old_indices) -> list[dict]:
    """One atomic ``_aliases`` call: the alias leaves the old indices and points at the new."""
    actions = [{"remove": {"index": old, "alias": alias}} for old in sorted(old_indices)]
    actions.append({"add": {"index": new_index, "alias": alias}})
    return actions


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str, analyzer: str = "cjk", alias: str = "pavilion-products"):
        self.client = Elasticsearch(url, request_timeout=10)
        self.analyzer = analyzer
        self.alias = alias
        self.document = product_document(analyzer, alias)

    # Searching ------------------------------------------------------------------------

    def ranked_ids(self, parsed: ParsedQuery, channel: str = "default") -> list[tuple[int, float]]:
        search = build_search(parsed, channel=channel, facets=False, analyzer=self.analyzer,
                              index=self.alias)[:MAX_HITS]
        response = search.using(self.client).execute()
        return [(int(hit.meta.id), float(hit.meta.score or 0)) for hit in response]

    def search(self, queryset, parsed: ParsedQuery):
        ranked = self.ranked_ids(parsed)
        if not ranked:
            return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
        return queryset.filter(pk__in=[pk for pk, _score in ranked]).annotate(
            search_rank=Case(*(When(pk=pk, then=Value(score)) for pk, score in ranked),
                             default=Value(0.0), output_field=FloatField()))

    def suggest(self, queryset, parsed: ParsedQuery, limit: int):
        response = suggest_search(parsed.text, limit, self.analyzer, self.alias).using(
            self.client).execute()
        ids = [int(option._id) for option in response.suggest.products[0].options]
        found = queryset.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    # Indexing -------------------------------------------------------------------------

    def _actions(self, product_ids, index: str):
        for data in collect(product_ids).values():
            doc = to_document(data, self.analyzer, self.alias)
            yield {**doc.to_dict(include_meta=True), "_index": index}

    def index_products(self, product_ids, index: str | None = None) -> int:
        ids = list(product_ids)
        missing = set(ids)
        count = 0
        for start in range(0, len(ids), BULK_CHUNK):
            batch = ids[start:start + BULK_CHUNK]
            actions = list(self._actions(batch, index or self.alias))
            missing -= {int(a["_id"]) for a in actions}
            count += bulk(self.client, actions, refresh=False)[0]
        if missing:  # deleted meanwhile
            self.remove_products(missing)
        return count

    def remove_products(self, product_ids) -> int:
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in product_ids]
        return bulk(self.client, actions, raise_on_error=False)[0]

    def rebuild(self, product_ids, progress=None) -> int:
        """Zero-downtime rebuild: a new timestamped index, filled, then the alias moved to
        it in one atomic call; the old indices are deleted afterwards."""
        new_index = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}"
        index = self.document._index.clone(name=new_index)
        index.create(using=self.client)
        ids = list(product_ids)
        for start in range(0, len(ids), BULK_CHUNK):
            batch = ids[start:start + BULK_CHUNK]
            self.index_products(batch, index=new_index)
            if progress is not None:
                progress(len(batch))
        self.client.indices.refresh(index=new_index)
        old = set(self.client.indices.get_alias(name=self.alias, ignore_unavailable=True) or {})
        self.client.indices.update_aliases(actions=alias_actions(self.alias, new_index, old))
        for name in old - {new_index}:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        return len(ids)
