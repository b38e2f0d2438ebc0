"""The Saleor-compatible browsing API, through the real /graphql/ view."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import ProductMedia
from tests.factories import make_product

pytestmark = pytest.mark.django_db

PRODUCTS = """
query Products($first: Int, $after: String, $last: Int, $before: String, $channel: String,
               $filter: ProductFilterInput, $sortBy: ProductOrder, $search: String) {
  products(first: $first, after: $after, last: $last, before: $before, channel: $channel,
           filter: $filter, sortBy: $sortBy, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node {
      id name slug
      category { id name slug }
      thumbnail(size: 256, format: WEBP) { url alt }
      pricing { onSale priceRange { start { gross { amount currency } net { amount } }
                                     stop { gross { amount currency } } } }
      variants { id sku name pricing { price { gross { amount currency } } } quantityAvailable }
    } }
  }
}
"""


def names(data):
    return [e["node"]["name"] for e in data["products"]["edges"]]


def test_products_shape_matches_saleor(gql, persimmon):
    data = gql.data(PRODUCTS, {"first": 10, "channel": "default"})
    products = data["products"]
    assert products["totalCount"] == 1
    node = products["edges"][0]["node"]
    assert base64.b64decode(node["id"]).decode() == f"Product:{persimmon.pk}"
    assert node["name"] == "渑池柿饼"
    assert node["category"]["slug"] == "dried-persimmon"
    price_range = node["pricing"]["priceRange"]
    assert price_range["start"]["gross"] == {"amount": 39.9, "currency": "CNY"}
    assert price_range["stop"]["gross"]["amount"] == 58.0
    assert price_range["start"]["net"]["amount"] == 39.9
    assert node["pricing"]["onSale"] is False
    assert [v["quantityAvailable"] for v in node["variants"]] == [10, 10]
    assert node["variants"][0]["pricing"]["price"]["gross"]["currency"] == "CNY"


def test_drafts_hidden_from_shoppers_and_other_cooperatives(
    gql, gql_as, persimmon, millet_draft, coop_user, other_coop_user
):
    assert names(gql.data(PRODUCTS, {"first": 10})) == ["渑池柿饼"]
    assert names(gql_as(coop_user).data(PRODUCTS, {"first": 10})) == ["渑池柿饼"]
    # The draft's own cooperative sees it; no one else does, even by slug.
    assert sorted(names(gql_as(other_coop_user).data(PRODUCTS, {"first": 10}))) == [
        "仰韶小米", "渑池柿饼"]
    query = 'query { product(slug: "yangshao-millet") { name } }'
    assert gql.data(query)["product"] is None
    assert gql_as(coop_user).data(query)["product"] is None
    assert gql_as(other_coop_user).data(query)["product"]["name"] == "仰韶小米"


def test_keyset_pagination_forwards_and_backwards(gql, coop, product_type, category, channel):
    for i in range(7):
        make_product(coop, product_type, category, channel, f"核桃{i}", f"walnut-{i}", ["10.00"])
    first = gql.data(PRODUCTS, {"first": 3, "sortBy": {"field": "NAME", "direction": "ASC"}})
    assert names(first) == ["核桃0", "核桃1", "核桃2"]
    assert first["products"]["pageInfo"]["hasNextPage"] is True
    after = first["products"]["pageInfo"]["endCursor"]
    second = gql.data(PRODUCTS, {"first": 3, "after": after,
                                 "sortBy": {"field": "NAME", "direction": "ASC"}})
    assert names(second) == ["核桃3", "核桃4", "核桃5"]
    assert second["products"]["pageInfo"]["hasPreviousPage"] is True
    back = gql.data(PRODUCTS, {"last": 2, "before": second["products"]["pageInfo"]["startCursor"],
                               "sortBy": {"field": "NAME", "direction": "ASC"}})
    assert names(back) == ["核桃1", "核桃2"]
    desc = gql.data(PRODUCTS, {"first": 2, "sortBy": {"field": "NAME", "direction": "DESC"}})
    assert names(desc) == ["核桃6", "核桃5"]


def test_sort_and_filter_by_price(gql, coop, product_type, category, channel):
    for name, slug, price in [("贵", "dear", "99.00"), ("中", "mid", "50.00"), ("廉", "cheap", "9.90")]:
        make_product(coop, product_type, category, channel, name, slug, [price])
    data = gql.data(PRODUCTS, {"first": 10, "sortBy": {"field": "PRICE", "direction": "ASC"}})
    assert names(data) == ["廉", "中", "贵"]
    data = gql.data(PRODUCTS, {"first": 10, "filter": {"price": {"gte": 10, "lte": 60}}})
    assert names(data) == ["中"]


def test_filter_by_category_includes_children(gql, persimmon, category):
    root_id = base64.b64encode(f"Category:{category.parent_id}".encode()).decode()
    data = gql.data(PRODUCTS, {"first": 10, "filter": {"categories": [root_id]}})
    assert names(data) == ["渑池柿饼"]


def test_search_finds_chinese_and_pinyin(gql, persimmon):
    assert names(gql.data(PRODUCTS, {"first": 5, "search": "柿饼"})) == ["渑池柿饼"]
    assert names(gql.data(PRODUCTS, {"first": 5, "filter": {"search": "shibing"}})) == ["渑池柿饼"]
    assert names(gql.data(PRODUCTS, {"first": 5, "search": "牦牛"})) == []


@pytest.mark.parametrize("args,fragment", [
    ({"first": 1000}, "exceeds the `first` limit of 100"),
    ({"last": 101}, "exceeds the `last` limit of 100"),
    ({}, "You must provide a `first` or `last`"),
    ({"first": 5, "channel": "nope"}, "Channel with 'nope' slug does not exist."),
    ({"first": 5, "after": "garbage"}, "cursor"),
    ({"first": 5, "sortBy": {"field": "RANK", "direction": "ASC"}}, "RANK"),
])
def test_bad_browse_arguments_get_clear_errors(gql, persimmon, args, fragment):
    result = gql.post(PRODUCTS, args)
    assert result["data"]["products"] is None
    assert fragment in result["errors"][0]["message"]


def test_invalid_ids_are_clear_errors(gql, persimmon):
    result = gql.post('query { product(id: "UHJvZHVjdFZhcmlhbnQ6MQ==") { name } }')
    assert "Expected: Product" in result["errors"][0]["message"]
    result = gql.post('query { product(id: "nonsense") { name } }')
    assert "Couldn't resolve id" in result["errors"][0]["message"]


def test_product_detail_with_media_attributes_and_node(gql, persimmon):
    gid = base64.b64encode(f"Product:{persimmon.pk}".encode()).decode()
    query = """query($id: ID!) {
      product(id: $id, channel: "default") {
        name description attributes { attribute { slug name } values { name } }
        productType { name } pavilion { name county regionalBrandName }
        organization { name kind } isAvailable isAvailableForPurchase
        collections { name } media { url }
        defaultVariant { sku attributes { attribute { slug } values { name } } }
      }
      node(id: $id) { id ... on Product { slug } }
    }"""
    data = gql.data(query, {"id": gid})
    product = data["product"]
    assert product["attributes"] == [
        {"attribute": {"slug": "origin", "name": "产地"}, "values": [{"name": "河南渑池"}]}]
    assert product["pavilion"] == {"name": "渑池特色馆", "county": "渑池县",
                                   "regionalBrandName": "仰韶彩陶坊"}
    assert product["organization"]["kind"] == "COOPERATIVE"
    assert product["isAvailable"] is True and product["isAvailableForPurchase"] is True
    assert '"blocks"' in product["description"]
    assert product["defaultVariant"]["attributes"][0]["values"] == [{"name": "特级"}]
    assert data["node"]["slug"] == "mianchi-shibing"


def test_categories_collections_channels_pavilions(gql, persimmon, category):
    query = """{
      channels { slug currencyCode }
      categories(first: 10, level: 0) { totalCount edges { node { name level
        children(first: 5) { edges { node { slug products(first: 5) { edges { node { name } } } } } }
      } } }
      category(slug: "dried-persimmon") { name parent { slug } products(first: 5, channel: "default") { totalCount } }
      pavilions(first: 5) { edges { node { slug name products(first: 5) { totalCount } } } }
      pavilion(slug: "mianchi") { name county }
      collections(first: 5) { totalCount }
    }"""
    data = gql.data(query)
    assert data["channels"] == [{"slug": "default", "currencyCode": "CNY"}]
    root = data["categories"]["edges"][0]["node"]
    assert root["level"] == 0
    child = root["children"]["edges"][0]["node"]
    assert child["products"]["edges"][0]["node"]["name"] == "渑池柿饼"
    assert data["category"]["parent"]["slug"] == "dried-fruit-nuts"
    assert data["category"]["products"]["totalCount"] == 1
    assert data["pavilions"]["edges"][0]["node"]["products"]["totalCount"] == 1
    assert data["pavilion"]["county"] == "渑池县"


def test_query_count_does_not_grow_with_page_size(gql, coop, product_type, category, channel):
    for i in range(24):
        product = make_product(coop, product_type, category, channel, f"小米{i:02d}",
                               f"millet-{i}", ["20.00", "30.00"])
        ProductMedia.objects.create(product=product, image=f"products/millet-{i}.jpg")

    def count(first):
        with CaptureQueriesContext(connection) as ctx:
            data = gql.data(PRODUCTS, {"first": first})
        assert len(data["products"]["edges"]) == first
        assert all("/thumbnail/" in e["node"]["thumbnail"]["url"] and e["node"]["thumbnail"]["url"]
                   .endswith("/256/webp/") for e in data["products"]["edges"])
        return len(ctx.captured_queries)

    count(1)  # the first request reads the channel too (then kept: api.core.context)
    assert count(3) == count(20)
