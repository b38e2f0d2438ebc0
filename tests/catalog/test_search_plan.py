"""The database backend's search query can be answered from the GIN index on the products'
search vectors, and only its best matches by name get the full rank: every match is still
returned once, counted, and paged in one stable order through the real /graphql/ view."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from catalog import search, services
from catalog.search import db as search_db
from tests.factories import make_product

pytestmark = pytest.mark.django_db

PAGE = """
query Page($search: String, $after: String) {
  products(first: 2, after: $after, search: $search, sortBy: {field: RANK, direction: DESC}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { name } }
  }
}
"""

NAMES = ["泽库牦牛肉干", "牦牛酸奶", "高原牦牛奶粉礼盒装", "泽库藏香猪", "青稞饼",
         "牦牛绒围巾礼盒装大号"]


@pytest.fixture
def yak_shelf(coop, product_type, category, channel):
    return [make_product(coop, product_type, category, channel, name, f"p{i}", ["10.00"])
            for i, name in enumerate(NAMES)]


def test_the_search_query_can_use_the_gin_index(yak_shelf, channel):
    # Every product (staff's view), so that the match is the only condition on the table.
    queryset = search.search_products(services.visible_products(channel, None), "牦牛")
    page = queryset.order_by("-search_rank", "slug")[:20]
    sql, params = page.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A few rows are cheaper to scan than to look up (by the table or its primary
        # key); forbidding both shows that the match is one the GIN index answers.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on product_search_vector_gin" in plan
    assert "Seq Scan on catalog_product " not in plan
    assert sorted(p.name for p in page) == sorted(n for n in NAMES if "牦牛" in n)


def test_only_the_best_matches_are_fully_ranked_and_paging_sees_every_match(
        yak_shelf, gql, monkeypatch):
    # Of four matches, the two with the largest share of 牦牛 in their name get the full
    # rank, the other two keep their name boost, below them.
    monkeypatch.setattr(search_db, "RANKED_CANDIDATES", 2)
    seen, after = [], None
    while True:
        data = gql.data(PAGE, {"search": "牦牛", "after": after})["products"]
        assert data["totalCount"] == 4
        seen += [edge["node"]["name"] for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert sorted(seen[:2]) == sorted(["牦牛酸奶", "泽库牦牛肉干"])
    assert seen[2:] == ["高原牦牛奶粉礼盒装", "牦牛绒围巾礼盒装大号"]  # by name share
    # Without the cap the same four come back, the same two first.
    monkeypatch.setattr(search_db, "RANKED_CANDIDATES", 200)
    data = gql.data(PAGE.replace("first: 2", "first: 10"), {"search": "牦牛"})["products"]
    full = [edge["node"]["name"] for edge in data["edges"]]
    assert sorted(full) == sorted(seen) and sorted(full[:2]) == sorted(seen[:2])
