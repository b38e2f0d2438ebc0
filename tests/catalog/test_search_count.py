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
from tests.factories import make_product

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
