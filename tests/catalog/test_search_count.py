"""A search's ``totalCount`` through the real /graphql/ view is counted once per catalogue
version and stays exact: a product added, hidden or published on schedule shows in the
very next count."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import Category
from catalog.search import counting
from tests.factories import gid, make_product

pytestmark = pytest.mark.django_db

COUNT = "query($search: String) { products(first: 1, search: $search) { totalCount } }"


def total(gql, search="牦牛") -> int:
    return gql.data(COUNT, {"search": search})["products"]["totalCount"]


def counted(gql, search="牦牛") -> tuple[int, bool]:
    """The count, and whether the matches were counted for it (not kept)."""
    with CaptureQueriesContext(connection) as ctx:
        n = total(gql, search)
    return n, any("SELECT COUNT(*) FROM" in q["sql"] for q in ctx.captured_queries)


def test_the_count_is_kept_until_the_catalogue_changes(coop, product_type, category,
                                                       channel, gql):
    make_product(coop, product_type, category, channel, "泽库牦牛肉干", "yak-jerky", ["10.00"])
    make_product(coop, product_type, category, channel, "青稞饼", "barley-cake", ["10.00"])
    assert counted(gql) == (1, True)
    assert counted(gql) == (1, False)  # the same version: kept
    assert counted(gql, "青稞") == (1, True)  # another search: its own count
    yoghurt = make_product(coop, product_type, category, channel, "牦牛酸奶", "yak-yoghurt",
                           ["8.00"])
    assert counted(gql) == (2, True)
    catalog_services.update_product_channel_listings(
        yoghurt, [{"channel": channel, "is_published": False}], [])
    assert counted(gql) == (1, True)
    # Published a moment from now: the count is kept until that moment, not past it.
    soon = timezone.now() + timedelta(seconds=2)
    catalog_services.update_product_channel_listings(
        yoghurt, [{"channel": channel, "is_published": True, "published_at": soon}], [])
    assert counted(gql) == (1, True)
    assert counted(gql) == (1, False)
    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.2)
    assert counted(gql) == (2, True)


FILTERED = """query($search: String, $categories: [ID!]) {
  products(first: 1, search: $search, filter: {categories: $categories}) { totalCount } }"""


@pytest.fixture
def yak_shelf(coop, product_type, category, channel):
    """Seven products matching 牦牛 a shopper sees, four matching ones they do not
    (unpublished, hidden from listings, published tomorrow, unlisted), one other."""
    shown = [make_product(coop, product_type, category, channel, f"牦牛肉干{i}", f"yak-{i}",
                          ["10.00"]) for i in range(7)]
    make_product(coop, product_type, category, channel, "牦牛酸奶", "yak-draft", ["8.00"],
                 published=False)
    hidden = make_product(coop, product_type, category, channel, "牦牛奶粉", "yak-hidden",
                          ["8.00"])
    catalog_services.update_product_channel_listings(
        hidden, [{"channel": channel, "visible_in_listings": False}], [])
    later = make_product(coop, product_type, category, channel, "牦牛绒围巾", "yak-later",
                         ["9.00"])
    catalog_services.update_product_channel_listings(
        later, [{"channel": channel, "is_published": True,
                 "published_at": timezone.now() + timedelta(days=1)}], [])
    catalog_services.create_product(coop, product_type, name="牦牛骨汤", slug="yak-unlisted",
                                    category=category)
    make_product(coop, product_type, category, channel, "青稞饼", "barley-cake", ["10.00"])
    return shown


def count_statements(gql, query=COUNT, **variables) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        n = gql.data(query, {"search": "牦牛", **variables})["products"]["totalCount"]
    return n, [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]


def test_a_count_of_many_matches_subtracts_what_the_view_leaves_out(yak_shelf, category,
                                                                     gql, monkeypatch):
    # Every count by difference: the narrow table's matches (read with the head) less
    # those among the products the shopper's view leaves out.
    monkeypatch.setattr(counting, "DIRECT_LIMIT", 0)
    n, statements = count_statements(gql)
    assert n == 7
    # Counted on the narrow table alone, no match joined to its product or listing.
    assert statements and all('"catalog_product"' not in sql for sql in statements)
    # Another search of the same view, however few its matches: what the view leaves out
    # is kept, only the search's own matches are counted.
    monkeypatch.setattr(counting, "DIRECT_LIMIT", 10**6)
    n, statements = count_statements(gql, search="牦牛肉干")
    assert n == 7
    assert statements and all('"catalog_product"' not in sql for sql in statements)
    # Exact as the catalogue changes.
    monkeypatch.setattr(counting, "DIRECT_LIMIT", 0)
    yak = make_product(yak_shelf[0].organization, yak_shelf[0].product_type,
                       yak_shelf[0].category, yak_shelf[0].channel_listings.get().channel,
                       "牦牛肉", "yak-new", ["10.00"])
    assert total(gql) == 8
    catalog_services.update_product_channel_listings(
        yak, [{"channel": yak.channel_listings.get().channel, "is_published": False}], [])
    assert total(gql) == 7
    # A filter is part of the view: what it leaves out is subtracted too.
    other = Category.objects.create(name="奶制品", slug="dairy")
    assert count_statements(gql, FILTERED, categories=[gid("Category", other.pk)])[0] == 0
    assert count_statements(gql, FILTERED, categories=[gid("Category", category.pk)])[0] == 7


def test_a_view_that_leaves_out_many_is_counted_the_direct_way(yak_shelf, category, gql,
                                                              monkeypatch):
    monkeypatch.setattr(counting, "DIRECT_LIMIT", 0)
    monkeypatch.setattr(counting, "LEFT_OUT_LIMIT", 3)
    n, statements = count_statements(gql)
    assert n == 7
    assert any('FROM "catalog_product" ' in sql for sql in statements)
    other = Category.objects.create(name="奶制品", slug="dairy")
    assert count_statements(gql, FILTERED, categories=[gid("Category", other.pk)])[0] == 0
    assert count_statements(gql, FILTERED, categories=[gid("Category", category.pk)])[0] == 7
