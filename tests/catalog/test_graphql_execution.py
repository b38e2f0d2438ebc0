"""The API's execution (api/core/execution.py: fields worked out once per request, default
resolvers read directly, scalars serialized in place) answers byte for byte what
graphql-sync-dataloaders' own execution answers, for a rich catalogue query: connections,
cursors, nested lists, enums, dates, JSON, interfaces, aliases, fragments, nulls and a
field error."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from graphql_relay import to_global_id
from graphql_sync_dataloaders import DeferredExecutionContext

from api.core.views import GraphQLView
from tests.factories import make_product

pytestmark = pytest.mark.django_db

RICH = """
query Rich($first: Int!, $size: Int, $node: ID!) {
  products(first: $first) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node {
      __typename id name slug seoTitle seoDescription description descriptionPlaintext
      created updatedAt rating channel isAvailable isAvailableForPurchase
      weight { unit value }
      productType { name hasVariants }
      category { id name slug level updatedAt parent { name slug } }
      thumbnail(size: $size, format: WEBP) { url alt }
      plain: thumbnail { url }
      media { id sortOrder alt type url(size: 128) }
      pricing { onSale displayGrossPrices discount { gross { amount } }
        priceRange {
          start { currency gross { amount currency } net { amount currency } tax { amount } }
          stop { gross { amount currency } net { amount currency } } }
        priceRangeUndiscounted { start { gross { amount } } } }
      variants { id name sku gtin trackInventory quantityLimitPerCustomer quantityAvailable
        channel created weight { unit value }
        pricing { onSale price { gross { amount currency } net { amount } } }
        channelListings { price { amount } } }
      defaultVariant { sku }
      pavilion { name slug county }
      ...Labels
    } }
  }
  node(id: $node) { __typename id ... on Product { name } }
  nothing: product(slug: "no-such-product") { name }
  unknownChannel: products(first: 1, channel: "no-such-channel") { totalCount }
}
fragment Labels on Product { label: name attributes { attribute { name } values { name } } }
"""


class LibraryExecution(DeferredExecutionContext):
    """The library's execution, with the one fix graphql-core 3.2.4+ needs (the field's
    path passed to ``handle_field_error``)."""

    def handle_field_error(self, error, return_type, path=None):
        return super().handle_field_error(error, return_type, path)


def answer(monkeypatch, execution_context_class, body):
    monkeypatch.setattr(GraphQLView, "execution_context_class", execution_context_class)
    response = Client().post("/graphql/", body, content_type="application/json")
    return response.status_code, response.content


def test_the_api_execution_answers_what_the_library_execution_answers(
        monkeypatch, persimmon, coop, product_type, category, channel):
    for i, prices in enumerate((["12.50"], ["8.00", "9.90", "30.00"], ["100.00"])):
        make_product(coop, product_type, category, channel, f"灵宝苹果{i}", f"apple-{i}",
                     prices, published=i != 2)
    body = json.dumps({"query": RICH, "variables": {
        "first": 3, "size": 512, "node": to_global_id("Product", persimmon.pk)}})
    ours = answer(monkeypatch, GraphQLView.execution_context_class, body)
    library = answer(monkeypatch, LibraryExecution, body)
    again = answer(monkeypatch, GraphQLView.execution_context_class, body)
    assert ours == library == again
    status, content = ours
    result = json.loads(content)
    assert status == 200
    edges = result["data"]["products"]["edges"]
    assert len(edges) == 3 and result["data"]["products"]["pageInfo"]["hasNextPage"] is False
    assert all(edge["node"]["variants"] for edge in edges)
    assert result["data"]["node"]["name"] == "渑池柿饼"
    assert result["data"]["nothing"] is None
    assert [error["path"] for error in result["errors"]] == [["unknownChannel"]]
