"""Product search on the database backend through the real /graphql/ view: relevance
ordering, filters and facets, suggestions, refusals, bad input, and keeping the index up
to date (services, signals, the Celery task, the rebuild command)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import search, services
from catalog.models import Category, Product, ProductSearch
from catalog.search.analysis import parse_query, pinyin_tokens, text_tokens
from catalog.tasks import update_search_index
from tests.background import TASK_TIMEOUT, wait_for_task_runs
from tests.factories import gid, make_product

pytestmark = pytest.mark.django_db

SEARCH = """
query Search($search: String, $filter: ProductFilterInput, $sortBy: ProductOrder,
             $first: Int = 10, $after: String) {
  products(first: $first, after: $after, search: $search, filter: $filter, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { name slug } }
  }
}
"""

SUGGEST = """
query Suggest($query: String!, $first: Int) {
  searchSuggestions(query: $query, first: $first) { text product { slug name } }
}
"""

FACETS = """
query Facets($search: String, $filter: ProductFilterInput) {
  productFacets(search: $search, filter: $filter) {
    totalCount
    categories { category { slug name } count }
    pavilions { pavilion { slug } count }
    grades { name slug count }
    price { min { amount currency } max { amount currency } }
  }
}
"""

RANKED = {"field": "RANK", "direction": "DESC"}



def names(data):
    return [e["node"]["name"] for e in data["products"]["edges"]]


@pytest.fixture
def shelf(coop, other_coop, product_type, category, channel, pavilion):
    """Five products of two cooperatives; 仰韶小米 of the second is still a draft."""
    millet_cat = Category.objects.create(name="小米", slug="millet")
    walnut_cat = Category.objects.create(name="核桃", slug="walnut-cat")
    return {
        "persimmon": make_product(coop, product_type, category, channel, "渑池柿饼",
                                  "mianchi-shibing", ["58.00", "39.90"], pavilion=pavilion),
        "gift": make_product(coop, product_type, category, channel, "渑池吊柿饼礼盒",
                             "persimmon-gift", ["128.00"], pavilion=pavilion),
        "walnut": make_product(coop, product_type, walnut_cat, channel, "薄皮核桃",
                               "walnut", ["45.80", "30.00"]),
        "millet": make_product(other_coop, product_type, millet_cat, channel, "渑池小米",
                               "mianchi-millet", ["39.90"], pavilion=pavilion),
        "draft": make_product(other_coop, product_type, millet_cat, channel, "仰韶小米",
                              "yangshao-millet", ["25.00"], published=False),
    }


# Text analysis -----------------------------------------------------------------------

def test_chinese_is_cut_into_bigrams_and_pinyin_suffixes():
    assert text_tokens("泽库牦牛肉干 500g") == [
        "泽库", "库牦", "牦牛", "牛肉", "肉干", "泽", "库", "牦", "牛", "肉", "干", "500g"]
    tokens = pinyin_tokens("仰韶小米")
    assert {"yangshaoxiaomi", "xiaomi", "ysxm", "xm"} <= set(tokens)
    # Query syntax of SQL, LIKE and tsquery only separates words.
    assert [c.source for c in parse_query("' OR 1=1 -- %_\\ <script>").clauses] == [
        "or", "1", "script"]
    assert parse_query("%_\\").empty


# Searching through the API -----------------------------------------------------------

def test_search_ranks_the_closest_name_first(gql, shelf):
    # The walnut's seller is 渑池县果园柿饼专业合作社: found, but after the names.
    expected = ["渑池柿饼", "渑池吊柿饼礼盒", "薄皮核桃"]
    data = gql.data(SEARCH, {"search": "柿饼", "sortBy": RANKED})
    assert names(data) == expected
    assert data["products"]["totalCount"] == 3
    # filter: {search} is the same search; RANK is the default order when searching.
    assert names(gql.data(SEARCH, {"filter": {"search": "柿饼"}})) == expected


FINDS = [
    ("小米", ["渑池小米"]),           # the draft 仰韶小米 is not shown to shoppers
    ("xiaomi", ["渑池小米"]),         # full pinyin
    ("XiaoMi", ["渑池小米"]),         # any case
    ("ｘｍ", ["渑池小米"]),           # full-width initials
    ("渑池 小米", ["渑池小米"]),      # county and product
    ("hetao", ["薄皮核桃"]),
    ("核", ["薄皮核桃"]),             # one character
    ("渑池县", ["渑池小米", "渑池柿饼", "渑池吊柿饼礼盒", "薄皮核桃"]),  # pavilion, seller
    ("特级 核桃", ["薄皮核桃"]),      # a grade word and a product word
    ("牦牛", []),
]


def test_search_finds_chinese_pinyin_and_county(gql, shelf):
    for query, expected in FINDS:
        found = names(gql.data(SEARCH, {"search": query, "sortBy": RANKED}))
        assert sorted(found) == sorted(expected), query


def test_search_pages_by_rank_with_keyset_cursors(gql, shelf):
    first = gql.data(SEARCH, {"search": "渑池县", "sortBy": RANKED, "first": 2})
    assert first["products"]["pageInfo"]["hasNextPage"] is True
    rest = gql.data(SEARCH, {"search": "渑池县", "sortBy": RANKED, "first": 2,
                             "after": first["products"]["pageInfo"]["endCursor"]})
    seen = names(first) + names(rest)
    assert sorted(seen) == ["渑池吊柿饼礼盒", "渑池小米", "渑池柿饼", "薄皮核桃"]
    assert seen[-1] == "薄皮核桃"  # only its seller is in 渑池县; the others' pavilion is
    assert rest["products"]["pageInfo"]["hasNextPage"] is False


def test_filters_combine_with_search(gql, shelf, pavilion, category):
    in_pavilion = gql.data(SEARCH, {"search": "渑池", "filter": {
        "pavilions": [gid("Pavilion", pavilion.pk)], "categories": [gid("Category", category.pk)],
        "price": {"gte": 50}}})
    assert names(in_pavilion) == ["渑池吊柿饼礼盒"]
    # grade is a variant attribute: 二级 exists only on products with a third variant
    graded = gql.data(SEARCH, {"filter": {"attributes": [{"slug": "grade", "values": ["yi-ji"]}]}})
    assert sorted(names(graded)) == ["渑池柿饼", "薄皮核桃"]
    by_name = gql.data(SEARCH, {"search": "核桃",
                                "filter": {"attributes": [{"slug": "grade", "values": ["特级"]}]}})
    assert names(by_name) == ["薄皮核桃"]


def test_rank_sort_needs_a_search(gql, shelf):
    result = gql.post(SEARCH, {"sortBy": RANKED})
    assert "only when using a search" in result["errors"][0]["message"]


# Facets -------------------------------------------------------------------------------

def test_facets_count_each_filter_value_ignoring_its_own_filter(gql, shelf, pavilion):
    facets = gql.data(FACETS, {"search": "渑池县"})["productFacets"]
    assert facets["totalCount"] == 4
    assert {f["category"]["slug"]: f["count"] for f in facets["categories"]} == {
        "dried-persimmon": 2, "millet": 1, "walnut-cat": 1}
    assert facets["categories"][0]["category"]["name"] == "柿饼"  # most products first
    assert facets["pavilions"] == [{"pavilion": {"slug": "mianchi"}, "count": 3}]
    assert {g["name"]: g["count"] for g in facets["grades"]} == {"特级": 4, "一级": 2}
    assert facets["price"] == {"min": {"amount": 30.0, "currency": "CNY"},
                               "max": {"amount": 128.0, "currency": "CNY"}}
    # Choosing a category narrows the total and the other facets, not the category list.
    millet_id = gid("Category", Category.objects.get(slug="millet").pk)
    chosen = gql.data(FACETS, {"search": "渑池县", "filter": {"categories": [millet_id]}})
    chosen = chosen["productFacets"]
    assert chosen["totalCount"] == 1
    assert len(chosen["categories"]) == 3
    assert {g["name"]: g["count"] for g in chosen["grades"]} == {"特级": 1}


def test_facets_of_a_cooperative_include_its_drafts_only(gql_as, shelf, other_coop_user,
                                                        coop_user):
    own = gql_as(other_coop_user).data(FACETS, {"search": "小米"})["productFacets"]
    assert own["totalCount"] == 2
    other = gql_as(coop_user).data(FACETS, {"search": "小米"})["productFacets"]
    assert other["totalCount"] == 1


# Suggestions --------------------------------------------------------------------------

def test_suggestions_for_each_keystroke(gql, shelf):
    for typed in ["渑", "渑池", "mian", "mc"]:
        texts = [s["text"] for s in gql.data(SUGGEST, {"query": typed})["searchSuggestions"]]
        assert "渑池柿饼" in texts and "渑池小米" in texts, typed
    top = gql.data(SUGGEST, {"query": "柿饼", "first": 1})["searchSuggestions"]
    assert top == [{"text": "渑池柿饼", "product": {"slug": "mianchi-shibing", "name": "渑池柿饼"}}]


def test_suggestions_hide_drafts_except_from_their_seller(gql, gql_as, shelf, coop_user,
                                                         other_coop_user):
    def texts(client):
        return [s["text"] for s in client.data(SUGGEST, {"query": "yangshaoxiaomi"})["searchSuggestions"]]

    assert texts(gql) == []
    assert texts(gql_as(coop_user)) == []
    assert texts(gql_as(other_coop_user)) == ["仰韶小米"]


def test_suggestions_are_two_product_queries_whatever_the_limit(gql, shelf, coop,
                                                               product_type, category, channel):
    # The query's head (its best matches by name, ids only), then the suggestions from it;
    # the head is kept until the catalogue changes, so the next time only the suggestions.
    for i in range(12):
        make_product(coop, product_type, category, channel, f"渑池核桃{i}", f"hetao-{i}",
                     ["10.00"])

    def product_queries(first):
        with CaptureQueriesContext(connection) as ctx:
            found = gql.data(SUGGEST, {"query": "hetao", "first": first})["searchSuggestions"]
        return len(found), [q for q in ctx.captured_queries if "catalog_product" in q["sql"]]

    few, few_sql = product_queries(2)
    many, many_sql = product_queries(10)
    assert (few, many) == (2, 10)
    assert len(few_sql) == 2 and "@@" in few_sql[0]["sql"] and "LIMIT 2" in few_sql[1]["sql"]
    assert len(many_sql) == 1 and "LIMIT 10" in many_sql[0]["sql"]


def test_list_queries_do_not_grow_with_page_size_when_searching(gql, shelf, coop, product_type,
                                                                category, channel):
    for i in range(8):
        make_product(coop, product_type, category, channel, f"渑池核桃{i}", f"hetao-{i}",
                     ["10.00"])
    query = """query($first: Int) { products(first: $first, search: "核桃",
      sortBy: {field: RANK, direction: DESC}) { edges { node { name category { name }
      pricing { priceRange { start { gross { amount } } } } variants { sku } } } } }"""

    def count(first):
        with CaptureQueriesContext(connection) as ctx:
            assert len(gql.data(query, {"first": first})["products"]["edges"]) == first
        return len(ctx.captured_queries)

    count(2)  # the query's head, kept from then on
    assert count(2) == count(8)


# Bad input ----------------------------------------------------------------------------

INJECTIONS = ["' OR 1=1 --", "%", "_", "\\", "\\\\%", "<script>alert(1)</script>",
              "'; DROP TABLE catalog_product; --", "小米' AND '1'='1", "a:* | b", "!!!",
              "&|!()"]


def test_injection_like_queries_find_nothing_harmful(gql, shelf):
    before = Product.objects.count()
    for query in INJECTIONS:
        for payload in ({"search": query}, {"filter": {"search": query}}):
            result = gql.post(SEARCH, {**payload, "sortBy": RANKED})
            assert "errors" not in result, (query, result)
            # only real matches (小米 of the last-but-three), never every product
            assert set(names(result["data"])) <= {"渑池小米"}, query
        suggestions = gql.post(SUGGEST, {"query": query})
        assert "errors" not in suggestions, query
    assert Product.objects.count() == before


def test_too_long_and_empty_queries(gql, shelf):
    long = gql.post(SEARCH, {"search": "小" * 101})
    assert long["data"]["products"] is None
    assert "too long" in long["errors"][0]["message"]
    assert "too long" in gql.post(SUGGEST, {"query": "x" * 101})["errors"][0]["message"]
    assert "too long" in gql.post(FACETS, {"search": "x" * 101})["errors"][0]["message"]
    # An empty search is no search (Saleor's behaviour): every visible product.
    assert len(names(gql.data(SEARCH, {"search": "   "}))) == 4
    assert gql.data(SUGGEST, {"query": ""})["searchSuggestions"] == []
    assert "between 1 and 20" in gql.post(SUGGEST, {"query": "x", "first": 500})["errors"][0]["message"]


# Keeping the index up to date ---------------------------------------------------------

def test_product_and_variant_changes_are_searchable_at_once(gql, shelf):
    services.update_product(shelf["walnut"], name="纸皮核桃")
    assert names(gql.data(SEARCH, {"search": "zhipi"})) == ["纸皮核桃"]
    services.create_variant(shelf["walnut"], sku="walnut-gift", name="礼盒装",
                            attributes=[{"slug": "grade", "values": ["精品"]}])
    assert names(gql.data(SEARCH, {"search": "精品"})) == ["纸皮核桃"]


def test_category_rename_reindexes_its_products(gql, shelf, django_capture_on_commit_callbacks):
    millet = Category.objects.get(slug="millet")
    with django_capture_on_commit_callbacks(execute=True):
        millet.name = "谷子"
        millet.save()
    assert names(gql.data(SEARCH, {"search": "谷子"})) == ["渑池小米"]
    assert not Product.objects.filter(search_index_dirty=True).exists()


def test_failed_indexing_keeps_the_marks_for_the_retry(shelf, monkeypatch):
    Product.objects.update(search_index_dirty=False)
    search.products_changed([shelf["walnut"].pk])

    def broken(self, ids):
        raise ConnectionError("index unavailable")

    monkeypatch.setattr(search.DatabaseBackend, "index_products", broken)
    with pytest.raises(ConnectionError):
        search.index_dirty_products()
    assert Product.objects.get(pk=shelf["walnut"].pk).search_index_dirty is True
    monkeypatch.undo()
    assert search.index_dirty_products() == 1
    assert search.index_dirty_products() == 0  # idempotent: nothing left to do


def test_rebuild_command_restores_a_lost_index(gql, shelf):
    ProductSearch.objects.all().delete()
    assert names(gql.data(SEARCH, {"search": "柿饼"})) == []
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert "Indexed 5 products (database)." in out.getvalue()
    assert "5/5" in err.getvalue()  # the progress bar
    assert names(gql.data(SEARCH, {"search": "柿饼", "sortBy": RANKED}))[:2] == [
        "渑池柿饼", "渑池吊柿饼礼盒"]


def test_price_filters_follow_price_changes(gql, shelf, channel):
    variant = shelf["walnut"].variants.order_by("sku").first()
    services.update_variant_channel_listings(variant, [{"channel": channel,
                                                        "price": Decimal("300.00")}])
    data = gql.data(SEARCH, {"search": "核桃", "filter": {"price": {"gte": 200}}})
    assert names(data) == []  # the lowest price (30.00) is what is filtered on
    data = gql.data(SEARCH, {"search": "核桃", "filter": {"price": {"lte": 30}}})
    assert names(data) == ["薄皮核桃"]


@pytest.mark.django_db(transaction=True)
def test_changes_reach_the_index_through_a_real_celery_worker(celery_worker, settings, coop,
                                                              product_type, category, channel):
    """Stock and category changes mark products; the debounced task, sent through Redis to
    a real worker, re-indexes them once and clears the marks."""
    settings.SEARCH_INDEX_DEBOUNCE_SECONDS = 1
    with wait_for_task_runs(update_search_index) as wait:
        product = make_product(coop, product_type, category, channel, "渑池柿饼", "shibing",
                               ["39.90"])
        category.name = "吊柿饼"  # a rename made in the admin
        category.save()
        wait(lambda: not Product.objects.filter(search_index_dirty=True).exists(),
             "the indexing task did not run")
    found = search.search_products(Product.objects.all(), "吊柿饼")
    assert list(found.values_list("pk", flat=True)) == [product.pk]
    assert update_search_index.delay().get(timeout=TASK_TIMEOUT) == 0  # nothing left: idempotent
