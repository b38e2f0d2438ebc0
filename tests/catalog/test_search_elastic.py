"""The Elasticsearch backend's mapping, documents and queries, checked as documents
(``to_dict()``): no Elasticsearch server is needed. The queries are what
``ElasticsearchBackend`` sends; the alias actions are what the zero-downtime rebuild sends."""

from __future__ import annotations

import pytest

from catalog import search
from catalog.search import elastic
from catalog.search.documents import collect
from tests.factories import make_product


def test_mapping_uses_the_configured_chinese_analyzer():
    cjk = elastic.product_document("cjk", "products")._index.to_dict()
    assert cjk["settings"] == {"number_of_shards": 1, "number_of_replicas": 0}
    props = cjk["mappings"]["properties"]
    for name in ["name", "description", "category", "pavilion", "county", "brand", "grade"]:
        assert props[name]["type"] == "text"
        assert props[name]["analyzer"] == "cjk"
    assert props["name"]["fields"] == {"raw": {"type": "keyword"}}
    assert props["grade_slug"] == {"type": "keyword"}
    assert props["pinyin"] == {"type": "text", "analyzer": "whitespace"}
    assert props["suggest"]["type"] == "completion"
    assert props["listings"]["type"] == "nested"
    assert props["listings"]["properties"]["price"] == {"type": "scaled_float",
                                                         "scaling_factor": 100}
    smartcn = elastic.product_document("smartcn", "products")._index.to_dict()
    assert smartcn["mappings"]["properties"]["name"]["analyzer"] == "smartcn"
    with pytest.raises(ValueError):
        elastic.product_document("standard")


def test_query_filters_and_facets_as_a_document():
    body = elastic.build_search(
        search.parse("渑池小米 xm"), channel="default", categories=[3], pavilions=[1],
        grades=["te-ji"], price_gte=10, price_lte=100).to_dict()
    must = body["query"]["bool"]["must"]
    assert must[0]["multi_match"]["query"] == "渑池小米"
    assert must[0]["multi_match"]["minimum_should_match"] == "60%"
    assert "name^4" in must[0]["multi_match"]["fields"]
    assert must[1]["bool"]["should"][0] == {"prefix": {"pinyin": {"value": "xm", "boost": 2.0}}}
    assert body["query"]["bool"]["should"] == [
        {"match_phrase": {"name": {"query": "渑池小米", "boost": 5.0}}}]
    filters = body["query"]["bool"]["filter"]
    nested = filters[0]["nested"]
    assert nested["path"] == "listings"
    assert {"range": {"listings.price": {"gte": 10, "lte": 100}}} in nested["query"]["bool"]["filter"]
    assert {"term": {"listings.published": True}} in nested["query"]["bool"]["filter"]
    assert {"terms": {"category_id": [3]}} in filters
    assert {"terms": {"pavilion_id": [1]}} in filters
    assert {"terms": {"grade_slug": ["te-ji"]}} in filters
    assert set(body["aggs"]) == {"categories", "pavilions", "grades", "listings"}
    assert body["aggs"]["listings"]["aggs"]["channel"]["aggs"]["price"] == {
        "stats": {"field": "listings.price"}}
    assert body["sort"] == ["_score", "slug"]


def test_injection_like_text_never_becomes_query_syntax():
    body = elastic.build_search(search.parse("' OR 1=1 -- <script>*"), facets=False).to_dict()
    sources = [c.get("multi_match", {}).get("query") or c["bool"]["should"][1]["multi_match"]["query"]
               for c in body["query"]["bool"]["must"]]
    assert sources == ["or", "1", "script"]
    assert "query_string" not in str(body)


def test_suggest_request_as_a_document():
    assert elastic.suggest_search("mao", 10).to_dict() == {
        "size": 0, "_source": ["product_id", "name", "slug"],
        "suggest": {"products": {"prefix": "mao", "completion": {
            "field": "suggest", "size": 10, "skip_duplicates": True}}}}


def test_alias_swap_is_one_atomic_call():
    assert elastic.alias_actions("products", "products-2", ["products-1"]) == [
        {"remove": {"index": "products-1", "alias": "products"}},
        {"add": {"index": "products-2", "alias": "products"}},
    ]


@pytest.mark.django_db
def test_product_document_from_the_catalogue(coop, product_type, category, channel, pavilion):
    product = make_product(coop, product_type, category, channel, "渑池柿饼", "mianchi-shibing",
                           ["58.00", "39.90"], pavilion=pavilion)
    doc = elastic.to_document(collect([product.pk])[product.pk], "cjk")
    body = doc.to_dict(include_meta=True)
    assert body["_id"] == product.pk
    source = body["_source"]
    assert source["name"] == "渑池柿饼"
    assert source["category"] == "柿饼"
    assert source["county"] == "渑池县"
    assert source["brand"] == "仰韶彩陶坊"
    assert sorted(source["grade"]) == ["一级", "特级"]
    assert sorted(source["grade_slug"]) == ["te-ji", "yi-ji"]
    assert source["listings"] == [{"channel": "default", "published": True, "price": 39.9}]
    assert source["in_stock"] is True
    assert "shibing" in source["pinyin"].split() and "mcsb" in source["pinyin"].split()
    assert "柿饼" in source["suggest"]["input"] and "shibing" in source["suggest"]["input"]
