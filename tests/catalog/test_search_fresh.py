"""What a search shows through the real /graphql/ view is never older than the catalogue:
a product unpublished, hidden, renamed or deleted is gone from (or changed in) the very
next search, its first page and its ``totalCount`` alike, although the query's head and
count are kept between searches."""

from __future__ import annotations

import pytest

from catalog import services as catalog_services
from tests.factories import make_product

pytestmark = pytest.mark.django_db

PAGE = """query($search: String) {
  products(first: 20, search: $search) { totalCount edges { node { slug name } } } }"""


def found(gql, search="牦牛") -> tuple[int, dict[str, str]]:
    data = gql.data(PAGE, {"search": search})["products"]
    return data["totalCount"], {edge["node"]["slug"]: edge["node"]["name"]
                                for edge in data["edges"]}


@pytest.fixture
def shelf(coop, product_type, category, channel):
    return {slug: make_product(coop, product_type, category, channel, name, slug, ["10.00"])
            for slug, name in [("yak-jerky", "泽库牦牛肉干"), ("yak-yoghurt", "牦牛酸奶"),
                               ("yak-milk", "高原牦牛奶粉"), ("barley", "青稞饼")]}


def test_a_change_shows_in_the_very_next_search(shelf, channel, gql):
    assert found(gql) == (3, {"yak-jerky": "泽库牦牛肉干", "yak-yoghurt": "牦牛酸奶",
                              "yak-milk": "高原牦牛奶粉"})
    assert found(gql)[0] == 3  # kept: the same answer
    catalog_services.update_product_channel_listings(
        shelf["yak-yoghurt"], [{"channel": channel, "is_published": False}], [])
    assert found(gql) == (2, {"yak-jerky": "泽库牦牛肉干", "yak-milk": "高原牦牛奶粉"})
    catalog_services.update_product_channel_listings(
        shelf["yak-milk"], [{"channel": channel, "visible_in_listings": False}], [])
    assert found(gql) == (1, {"yak-jerky": "泽库牦牛肉干"})
    # Renamed: the new name at once; renamed out of the search, gone; into it, there.
    catalog_services.update_product(shelf["yak-jerky"], name="泽库牦牛肉干礼盒")
    assert found(gql) == (1, {"yak-jerky": "泽库牦牛肉干礼盒"})
    catalog_services.update_product(shelf["barley"], name="青稞牦牛饼")
    assert found(gql) == (2, {"yak-jerky": "泽库牦牛肉干礼盒", "barley": "青稞牦牛饼"})
    catalog_services.update_product(shelf["barley"], name="青稞饼")
    assert found(gql) == (1, {"yak-jerky": "泽库牦牛肉干礼盒"})
    shelf["yak-jerky"].delete()
    assert found(gql) == (0, {})
    # Published again: back in the next search.
    catalog_services.update_product_channel_listings(
        shelf["yak-yoghurt"], [{"channel": channel, "is_published": True}], [])
    assert found(gql) == (1, {"yak-yoghurt": "牦牛酸奶"})
