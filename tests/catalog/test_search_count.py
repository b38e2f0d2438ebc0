"""A search's ``totalCount`` through the real /graphql/ view is counted once per catalogue
version and stays exact: a product added, hidden or published on schedule shows in the
very next count. A shopper's count is read from the search table (the channels listing
each product, kept by the database), a member's by subtracting what their view leaves
out, or the direct way."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import search as catalog_search
from catalog import services as catalog_services
from catalog.models import Category, ProductChannelListing, ProductSearch
from catalog.search import counting
from shop import versions
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
    return n, [q["sql"] for q in ctx.captured_queries if "COUNT" in q["sql"]]


def direct(channel, search="牦牛") -> int:
    """The count of what a shopper sees, the direct way (every match joined)."""
    return counting.count_matches(catalog_search.ranked_search(
        catalog_services.visible_products(channel, set()), search).queryset)


def test_a_shoppers_count_reads_the_search_table_alone(yak_shelf, channel, wholesale, gql):
    n, statements = count_statements(gql)
    assert n == 7 == direct(channel)
    # Counted by the statement that chooses the head, no match joined to its product or
    # listing (the listings are read only for what is published later than now).
    assert statements and all('FROM "catalog_product" ' not in sql for sql in statements)
    assert any('"catalog_productsearch"."listed" @>' in sql for sql in statements)
    # Exact as the catalogue changes, on the very next search.
    shown = yak_shelf[0]
    catalog_services.update_product_channel_listings(
        shown, [{"channel": channel, "visible_in_listings": False}], [])
    assert total(gql) == 6 == direct(channel)
    catalog_services.update_product_channel_listings(
        shown, [{"channel": channel, "visible_in_listings": True, "is_published": False}], [])
    assert total(gql) == 6 == direct(channel)
    catalog_services.update_product_channel_listings(
        shown, [{"channel": channel, "is_published": True}], [])
    assert total(gql) == 7 == direct(channel)
    catalog_services.update_product_channel_listings(
        yak_shelf[1], [{"channel": channel, "is_published": True,
                        "published_at": timezone.now() + timedelta(days=1)}], [])
    assert total(gql) == 6 == direct(channel)
    yak_shelf[2].delete()
    assert total(gql) == 5 == direct(channel)
    # Another channel counts what it lists: nothing, then the one listed there.
    in_wholesale = """query($search: String) {
      products(first: 1, search: $search, channel: "wholesale") { totalCount } }"""
    assert gql.data(in_wholesale, {"search": "牦牛"})["products"]["totalCount"] == 0
    catalog_services.update_product_channel_listings(
        shown, [{"channel": wholesale, "is_published": True}], [])
    assert gql.data(in_wholesale, {"search": "牦牛"})["products"]["totalCount"] == 1
    assert total(gql) == 5 == direct(channel)


def test_the_listed_channels_follow_every_write_of_a_listing(yak_shelf, channel, wholesale,
                                                            gql):
    """However a listing is written (a bulk update, a delete, a raw statement), the search
    row names the channels that list the product, in the same transaction."""
    product = yak_shelf[0]

    def listed():
        return ProductSearch.objects.get(product=product).listed

    assert listed() == [channel.pk]
    listing = ProductChannelListing.objects.filter(product=product)
    listing.update(is_published=False)
    assert listed() == []
    listing.update(is_published=True, visible_in_listings=False)
    assert listed() == []
    listing.update(visible_in_listings=True, discounted_price_amount=1)
    assert listed() == [channel.pk]
    ProductChannelListing.objects.create(product=product, channel=wholesale,
                                         is_published=True)
    assert listed() == sorted([channel.pk, wholesale.pk])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_productchannellisting "
                       "WHERE product_id = %s AND channel_id = %s", [product.pk, channel.pk])
    assert listed() == [wholesale.pk]
    # Re-indexing the product (its name, its vector) keeps what the listings say.
    catalog_search.product_changed(product)
    assert listed() == [wholesale.pk]
    # Written behind the signals' back, the count is right once the catalogue version
    # moves on (every service's change moves it).
    versions.catalogue_changed()
    assert total(gql) == 6 == direct(channel)


@pytest.mark.django_db(transaction=True)
def test_two_channels_changed_at_once_are_both_kept(coop, product_type, category, channel,
                                                   wholesale):
    """Two transactions change the product's listings in two channels at once: the
    second waits for the first's search row, then works the channels out from what the
    first committed."""
    product = make_product(coop, product_type, category, channel, "牦牛肉干", "yak",
                           ["10.00"])
    ProductChannelListing.objects.create(product=product, channel=wholesale)
    first_written, second_waiting = threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                ProductChannelListing.objects.filter(product=product, channel=channel).update(
                    is_published=False)
                first_written.set()
                assert second_waiting.wait(30)
        finally:
            connections.close_all()

    def second():
        try:
            assert first_written.wait(30)
            with transaction.atomic():
                ProductChannelListing.objects.filter(product=product, channel=wholesale).update(
                    is_published=True)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    # The second is blocked on the search row the first holds, then the first commits.
    waited, give_up = False, time.monotonic() + 30
    while not waited and time.monotonic() < give_up:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                           "'Lock' AND datname = current_database()")
            waited = bool(cursor.fetchone()[0])
        time.sleep(0.01)
    second_waiting.set()
    for thread in threads:
        thread.join(30)
    assert waited
    assert ProductSearch.objects.get(product=product).listed == [wholesale.pk]


def test_a_members_count_subtracts_what_their_view_leaves_out(yak_shelf, category,
                                                              other_coop_user, gql_as,
                                                              monkeypatch):
    # A member of another cooperative sees what shoppers see (and their own products):
    # their count is the narrow table's matches (read with the head) less those among
    # the products their view leaves out.
    gql = gql_as(other_coop_user)
    monkeypatch.setattr(counting, "DIRECT_LIMIT", 0)
    n, statements = count_statements(gql)
    assert n == 7
    # Counted on the narrow table alone, no match joined to its product or listing.
    assert statements and all('FROM "catalog_product" ' not in sql for sql in statements)
    # Another search of the same view, however few its matches: what the view leaves out
    # is kept, only the search's own matches are counted.
    monkeypatch.setattr(counting, "DIRECT_LIMIT", 10**6)
    n, statements = count_statements(gql, search="牦牛肉干")
    assert n == 7
    assert statements and all('FROM "catalog_product" ' not in sql for sql in statements)
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


def test_a_view_that_leaves_out_many_is_counted_the_direct_way(yak_shelf, category,
                                                              other_coop_user, gql_as,
                                                              monkeypatch):
    gql = gql_as(other_coop_user)
    monkeypatch.setattr(counting, "DIRECT_LIMIT", 0)
    monkeypatch.setattr(counting, "LEFT_OUT_LIMIT", 3)
    n, statements = count_statements(gql)
    assert n == 7
    assert any('FROM "catalog_product" ' in sql for sql in statements)
    other = Category.objects.create(name="奶制品", slug="dairy")
    assert count_statements(gql, FILTERED, categories=[gid("Category", other.pk)])[0] == 0
    assert count_statements(gql, FILTERED, categories=[gid("Category", category.pk)])[0] == 7
