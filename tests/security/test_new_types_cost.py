"""The newer types (collections, story pages, menus, broadcasts' line-ups) under the same
cost limits as the catalogue: lists nested inside lists are refused before anything runs,
and a menu's nesting, answered from the one menu already loaded, stays cheap."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Menu, MenuItem
from tests.clients import GraphQLClient

pytestmark = pytest.mark.django_db

COSTLY = {
    "collections in products in collections": """{ collections(first: 100, channel: "default") {
      edges { node { products(first: 100) { edges { node { collections {
        products(first: 100) { edges { node { name } } } } } } } } } } }""",
    "a line-up's products' collections": """{ broadcasts(first: 100) { edges { node {
      lineup { variant { product { collections { products(first: 100) {
        edges { node { variants { name } } } } } } } } } } } }""",
    "twenty page lists": "{ " + " ".join(
        f"p{i}: pages(first: 100) {{ edges {{ node {{ content }} }} }}" for i in range(21)) + " }",
}


@pytest.mark.parametrize("name", COSTLY)
def test_lists_in_lists_are_refused_before_running(name, channel):
    with CaptureQueriesContext(connection) as queries:
        result = GraphQLClient(language="zh-hans").post(COSTLY[name])
    assert result.get("errors") and not result.get("data"), name
    assert len(queries) == 0, name


def test_a_deep_menu_is_answered_from_one_load(channel):
    menu = Menu.objects.create(name="页脚", slug="footer")
    parent = None
    for level in range(8):
        parent = MenuItem.objects.create(menu=menu, parent=parent, name=f"第{level}层")
    deep = "name"
    for _level in range(8):
        deep = f"children {{ {deep} }}"
    with CaptureQueriesContext(connection) as queries:
        result = GraphQLClient().post(f'{{ menu(slug: "footer") {{ items {{ {deep} }} }} }}')
    assert not result.get("errors") and len(queries) <= 3
    item, levels = result["data"]["menu"]["items"][0], 1
    while item.get("children"):
        item, levels = item["children"][0], levels + 1
    assert levels == 8
