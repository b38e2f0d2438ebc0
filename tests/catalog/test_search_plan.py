"""The database backend's search reads a query's head (its best matches by name) from the
GIN index on the narrow search table, and a page within the head from the head's rows by
primary key: no statement scans every product. Only the head gets the full rank; every
match is still returned once, counted, and paged in one stable order through the real
/graphql/ view, forwards and backwards."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog import search, services
from catalog.search import db as search_db
from catalog.search.analysis import Clause
from tests.factories import make_product

pytestmark = pytest.mark.django_db

PAGE = """
query Page($search: String, $after: String, $before: String, $first: Int, $last: Int) {
  products(first: $first, last: $last, after: $after, before: $before, search: $search,
           sortBy: {field: RANK, direction: DESC}) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
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


def plans_of(statements) -> str:
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        # A few rows are cheaper to scan than to look up (by an index); forbidding scans
        # shows which index each statement can be answered from.
        cursor.execute(search_db.NO_SEQSCAN)
        for sql in statements:
            statement = sql.removeprefix(f"{search_db.NO_SEQSCAN}; ").removesuffix(
                f"; {search_db.RESTORE_SEQSCAN}")
            cursor.execute(f"EXPLAIN {statement}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n".join(plans)


def seqscan_setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        return cursor.fetchone()[0]


def test_the_search_reads_the_gin_index_then_the_head_by_primary_key(yak_shelf, channel):
    # A shopper's view, so that the products' channel listings are part of the query.
    ranked = search.ranked_search(services.visible_products(channel, set()), "牦牛")
    with CaptureQueriesContext(connection) as ctx:
        page = ranked.first(["-search_rank", "-slug", "-pk"], 20)
    head_sql = ranked_head_sql(channel)
    # The head is planned with sequential scans off, in the same round trip, and the
    # setting does not outlive it (here inside the test's transaction).
    assert head_sql.startswith(search_db.NO_SEQSCAN)
    assert seqscan_setting() == "on"
    head_plan = plans_of([head_sql])
    page_plan = plans_of([q["sql"] for q in ctx.captured_queries])
    assert "Bitmap Index Scan on product_search_vector_gin" in head_plan
    assert "catalog_product " not in head_plan  # the narrow table only
    assert "catalog_product_pkey" in page_plan
    assert "Seq Scan" not in head_plan + page_plan
    assert sorted(p.name for p in page) == sorted(n for n in NAMES if "牦牛" in n)


def ranked_head_sql(channel) -> str:
    cache.clear()  # the head is kept per catalogue version: worked out afresh
    with CaptureQueriesContext(connection) as ctx:
        search.ranked_search(services.visible_products(channel, set()), "牦牛")
    return ctx.captured_queries[-1]["sql"]


def pages(gql, forward=True, size=2):
    """Every page of 牦牛 by relevance, first to last (or last to first)."""
    seen, cursor = [], None
    while True:
        variables = {"search": "牦牛", **({"first": size, "after": cursor} if forward
                                           else {"last": size, "before": cursor})}
        data = gql.data(PAGE, variables)["products"]
        assert data["totalCount"] == 4
        names = [edge["node"]["name"] for edge in data["edges"]]
        seen = seen + names if forward else names + seen
        info = data["pageInfo"]
        if not (info["hasNextPage"] if forward else info["hasPreviousPage"]):
            return seen
        cursor = info["endCursor"] if forward else info["startCursor"]


@pytest.mark.parametrize("tail_kept", [600, 1, 0])
def test_only_the_head_is_fully_ranked_and_paging_sees_every_match(
        yak_shelf, gql, monkeypatch, tail_kept):
    # Of four matches, the two with the largest share of 牦牛 in their name make the head
    # and get the full rank; the other two keep their name boost, below them. Pages past
    # the head are read from the tail's kept start, from the tail itself past it, or both.
    monkeypatch.setattr(search_db, "RANKED_CANDIDATES", 2)
    monkeypatch.setattr(search_db, "TAIL_KEPT", tail_kept)
    seen = pages(gql)
    assert sorted(seen[:2]) == sorted(["牦牛酸奶", "泽库牦牛肉干"])
    assert seen[2:] == ["高原牦牛奶粉礼盒装", "牦牛绒围巾礼盒装大号"]  # by name share
    # Backwards, from the last page past the head into it, the same order.
    assert pages(gql, forward=False) == seen
    # A page of one within the head, then one crossing out of it.
    assert pages(gql, size=1) == seen and pages(gql, size=3) == seen
    # Without the cap the same four come back, the same two first.
    monkeypatch.setattr(search_db, "RANKED_CANDIDATES", 200)
    full = pages(gql, size=10)
    assert sorted(full) == sorted(seen) and sorted(full[:2]) == sorted(seen[:2])


def test_a_head_of_unpublished_products_leaves_the_page_to_the_rest(
        yak_shelf, gql, monkeypatch):
    # The head is chosen from the whole catalogue; products a shopper may not see are left
    # out of it, and the page comes from every match instead.
    monkeypatch.setattr(search_db, "RANKED_CANDIDATES", 2)
    best = [p for p in yak_shelf if p.name in ("牦牛酸奶", "泽库牦牛肉干")]
    for product in best:
        product.channel_listings.update(is_published=False)
    data = gql.data(PAGE, {"search": "牦牛", "first": 2})["products"]
    assert data["totalCount"] == 2
    assert [e["node"]["name"] for e in data["edges"]] == ["高原牦牛奶粉礼盒装",
                                                          "牦牛绒围巾礼盒装大号"]
    assert not data["pageInfo"]["hasNextPage"]


def every_page(gql, size, forward=True, search="牦牛"):
    """The names of every page of ``search`` by relevance, first to last (or last to
    first), each name once however the pages fall."""
    seen, cursor = [], None
    while True:
        variables = {"search": search, **({"first": size, "after": cursor} if forward
                                          else {"last": size, "before": cursor})}
        data = gql.data(PAGE, variables)["products"]
        names = [edge["node"]["name"] for edge in data["edges"]]
        seen = seen + names if forward else names + seen
        info = data["pageInfo"]
        if not (info["hasNextPage"] if forward else info["hasPreviousPage"]):
            return seen, data["totalCount"]
        cursor = info["endCursor"] if forward else info["startCursor"]


@pytest.fixture
def yak_catalogue(coop, product_type, category, channel):
    """24 products matching 牦牛: names of a few lengths (ties of the name boost, which
    the slug breaks), three not published; and one that does not match."""
    suffixes = ["", "肉", "肉干", "奶粉", "酸奶礼盒", "绒围巾大号"]
    products = [make_product(coop, product_type, category, channel, f"牦牛{suffixes[i % 6]}{i}",
                             f"yak-{i:02d}", ["10.00"], published=i % 8 != 5)
                for i in range(24)]
    make_product(coop, product_type, category, channel, "青稞饼", "barley-cake", ["10.00"])
    return products


def test_paging_past_the_head_neither_skips_nor_repeats_a_product(
        yak_catalogue, channel, gql, monkeypatch):
    visible = sorted(p.name for p in yak_catalogue if p.channel_listings.get().is_published)
    # A head of three; the order of every match, read from every match.
    monkeypatch.setattr(search_db, "RANKED_CANDIDATES", 3)
    with monkeypatch.context() as patch:
        patch.setattr(search_db.Ranked, "windows", lambda self, *args: iter(()))
        expected, total = every_page(gql, 100)
    assert sorted(expected) == visible and total == len(visible)
    # A page of the tail looked for among 4 x (page + 1) matches past its cursor: pages
    # cross the head's end, and the tail is read in windows.
    monkeypatch.setattr(search_db, "TAIL_WINDOW", 1)
    everything = []
    monkeypatch.setattr(search, "gin_plans",
                        lambda real=search.gin_plans: everything.append(1) or real())
    for size in (1, 2, 3, 5):
        assert every_page(gql, size) == (expected, len(visible)), size
        assert every_page(gql, size, forward=False) == (expected, len(visible)), size
    assert everything == []  # no page needed every match
    # Most of the tail hidden: windows come back short, and the page is read from every
    # match instead, still in the same order.
    for product in yak_catalogue:
        if product.name in expected[6:-2]:
            services.update_product_channel_listings(
                product, [{"channel": channel, "is_published": False}], [])
    shown = expected[:6] + expected[-2:]
    assert every_page(gql, 2) == (shown, len(shown))
    assert every_page(gql, 2, forward=False) == (shown, len(shown))
    assert everything



def test_a_page_at_the_end_of_the_head_is_read_by_one_statement(coop, product_type, category,
                                                                channel, gql, monkeypatch):
    # Eight products ranked alike (the same name): ties go by slug. After the second
    # page's cursor fewer than a page and one more of the head follow (but four more are
    # ranked alike), so the page is read from them and the start of the tail at once, not
    # tried on the head first.
    for letter in "abcdefgh":
        make_product(coop, product_type, category, channel, "牦牛肉干", f"yak-{letter}",
                     ["10.00"])
    monkeypatch.setattr(search_db, "RANKED_CANDIDATES", 5)
    slugs = PAGE.replace("node { name }", "node { slug }")
    first = gql.data(slugs, {"search": "牦牛", "first": 3})["products"]
    with CaptureQueriesContext(connection) as ctx:
        second = gql.data(slugs, {"search": "牦牛", "first": 3,
                                  "after": first["pageInfo"]["endCursor"]})["products"]
    pages = [q["sql"] for q in ctx.captured_queries
             if q["sql"].startswith('SELECT "catalog_product"."id"')]
    assert len(pages) == 1
    third = gql.data(slugs, {"search": "牦牛", "first": 3,
                             "after": second["pageInfo"]["endCursor"]})["products"]
    seen = [e["node"]["slug"] for page in (first, second, third) for e in page["edges"]]
    # The head (the first five made: ties of the name boost go by name, then id) comes
    # first, then the tail; each by slug, descending.
    assert seen == [f"yak-{letter}" for letter in "edcbahgf"]
    assert second["totalCount"] == 8 and not third["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize("n", range(3, 9))
def test_a_long_runs_threshold_matches_exactly_the_rows_holding_enough_bigrams(n):
    """"At least k of n bigrams" as the index's query (spelled out by halves) holds for a
    row exactly when the row has k of them or more, for every k and every set of them."""
    terms = [f"t{i}" for i in range(n)]
    subsets = list(itertools.chain.from_iterable(
        itertools.combinations(terms, size) for size in range(n + 1)))
    vectors = [" ".join(subset) for subset in subsets]
    for k in range(2, n):
        literal = search_db.at_least(Clause("", terms, k))
        with connection.cursor() as cursor:
            cursor.execute("SELECT array_agg(v::tsvector @@ %s::tsquery ORDER BY i) "
                           "FROM unnest(%s::text[]) WITH ORDINALITY AS x(v, i)",
                           [literal, vectors])
            matched = cursor.fetchone()[0]
        assert matched == [len(subset) >= k for subset in subsets], (n, k)
