"""A products page loads each relation once for the whole page (the category and first
picture with the products, the variants with their prices from one listing query): the same
answers as loading them per product, for shoppers and for the seller, whatever the page
size, through the real /graphql/ view."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import services as catalog_services
from catalog.models import ProductMedia
from tests.factories import make_product

pytestmark = pytest.mark.django_db

PAGE = """
query Page($first: Int) {
  products(first: $first) {
    edges { node {
      name
      category { slug }
      thumbnail(size: 128) { url alt }
      pricing { priceRange { start { gross { amount } } stop { gross { amount } } } }
      variants { sku pricing { price { gross { amount currency } } } }
    } }
  }
}
"""

DETAIL = """
query Detail($slug: String!) {
  product(slug: $slug) {
    name category { slug } thumbnail(size: 128) { url alt }
    pricing { priceRange { start { gross { amount } } stop { gross { amount } } } }
    variants { sku pricing { price { gross { amount currency } } } }
  }
}
"""


@pytest.fixture
def shelf(coop, product_type, category, channel):
    products = [make_product(coop, product_type, category, channel, f"仰韶小米{i}",
                             f"millet-{i}", ["30.00", "20.00"]) for i in range(6)]
    for i, product in enumerate(products[:4]):
        ProductMedia.objects.create(product=product, image=f"products/m{i}.jpg",
                                    alt=f"图{i}", sort_order=1)
        ProductMedia.objects.create(product=product, image=f"products/m{i}-0.jpg",
                                    sort_order=0)
    # A variant the seller has not priced in the channel yet: only the seller sees it.
    catalog_services.create_variant(products[0], sku="millet-0-new", name="新规格")
    return products


def page(client, first=10):
    with CaptureQueriesContext(connection) as ctx:
        data = client.data(PAGE, {"first": first})["products"]["edges"]
    return [edge["node"] for edge in data], len(ctx.captured_queries)


def one_by_one(client, slugs):
    """The same fields read product by product (each its own loads)."""
    return [client.data(DETAIL, {"slug": slug})["product"] for slug in slugs]


def test_a_page_answers_what_each_product_answers_alone(gql, gql_as, coop_user, shelf):
    for client in (gql, gql_as(coop_user)):
        nodes, _queries = page(client)
        assert nodes == one_by_one(client, [p.slug for p in shelf])
    shopper, _ = page(gql)
    seller, _ = page(gql_as(coop_user))
    assert [v["sku"] for v in shopper[0]["variants"]] == ["millet-0-0", "millet-0-1"]
    assert [v["sku"] for v in seller[0]["variants"]] == ["millet-0-0", "millet-0-1",
                                                         "millet-0-new"]
    assert seller[0]["variants"][2]["pricing"] is None
    assert shopper[0]["pricing"]["priceRange"]["start"]["gross"]["amount"] == 20.0
    assert shopper[0]["thumbnail"]["url"].endswith("/128/jpeg/")
    assert shopper[0]["thumbnail"]["alt"] == "仰韶小米0"  # the first picture has no alt
    assert shopper[5]["thumbnail"] is None


def test_a_page_costs_the_same_queries_at_any_size(gql, gql_as, coop_user, shelf):
    # The first request reads the channel, kept for the next ones (api.core.context);
    # then the products with their category and first picture, and the priced variants.
    assert page(gql, 1)[1] == 3
    assert page(gql, 2)[1] == page(gql, 6)[1] == 2
    assert page(gql_as(coop_user), 2)[1] == page(gql_as(coop_user), 6)[1]
