"""The pavilion operators' category tree and collections (专题) through the real /graphql/
view, in Saleor's shapes: ``categoryCreate``/``Update``/``Delete`` (``ProductError``) and
``collection*`` (``CollectionError``); Chinese errors for an empty name, a slug in use, a
category put under its own subcategory, a category that still holds products; the shop's
stored pages see each change on the next request."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from catalog import curation
from catalog.models import (
    Category,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    Product,
)
from tests.clients import GraphQLClient
from tests.factories import gid, make_member, make_product

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"
CATEGORY = "category { id name slug level parent { name } }"
CREATE_CATEGORY = f"""
mutation ($input: CategoryInput!, $parent: ID) {{
  categoryCreate(input: $input, parent: $parent) {{ {CATEGORY} {ERRORS} }}
}}"""
UPDATE_CATEGORY = f"""
mutation ($id: ID!, $input: CategoryInput!) {{
  categoryUpdate(id: $id, input: $input) {{ {CATEGORY} {ERRORS} }}
}}"""
MOVE_CATEGORY = f"""
mutation ($id: ID!, $parent: ID) {{
  categoryUpdate(id: $id, input: {{}}, parent: $parent) {{ {CATEGORY} {ERRORS} }}
}}"""
DELETE_CATEGORY = f"""
mutation ($id: ID!) {{ categoryDelete(id: $id) {{ category {{ id name }} {ERRORS} }} }}"""
COLLECTION = "collection { id name slug description }"
COLLECTION_ERRORS = "errors { field code message products }"
CREATE_COLLECTION = f"""
mutation ($input: CollectionCreateInput!) {{
  collectionCreate(input: $input) {{ {COLLECTION} {COLLECTION_ERRORS} }}
}}"""
UPDATE_COLLECTION = f"""
mutation ($id: ID!, $input: CollectionInput!) {{
  collectionUpdate(id: $id, input: $input) {{ {COLLECTION} {COLLECTION_ERRORS} }}
}}"""
ADD = f"""
mutation ($id: ID!, $products: [ID!]!) {{
  collectionAddProducts(collectionId: $id, products: $products) {{
    {COLLECTION} {COLLECTION_ERRORS} }}
}}"""
REMOVE = f"""
mutation ($id: ID!, $products: [ID!]!) {{
  collectionRemoveProducts(collectionId: $id, products: $products) {{
    {COLLECTION} {COLLECTION_ERRORS} }}
}}"""
REORDER = f"""
mutation ($id: ID!, $moves: [MoveProductInput!]!) {{
  collectionReorderProducts(collectionId: $id, moves: $moves) {{
    collection {{ id }} {COLLECTION_ERRORS} }}
}}"""
PUBLISH = f"""
mutation ($id: ID!, $input: CollectionChannelListingUpdateInput!) {{
  collectionChannelListingUpdate(id: $id, input: $input) {{
    collection {{ id }} {ERRORS} }}
}}"""
DELETE_COLLECTION = f"""
mutation ($id: ID!) {{ collectionDelete(id: $id) {{ collection {{ id name }} {ERRORS} }} }}"""


def editorjs(text: str) -> str:
    """Rich text as Saleor's dashboard sends it."""
    return json.dumps({"blocks": [{"type": "paragraph", "data": {"text": text}}]})


def answer(result: dict, name: str) -> dict:
    assert not result.get("errors"), result["errors"]
    return result["data"][name]


def errors(result: dict, name: str) -> list[tuple]:
    return [(e["field"], e["code"], e["message"]) for e in answer(result, name)["errors"]]


@pytest.fixture
def operator(operator_user):
    return GraphQLClient(operator_user, language="zh-hans")


def order_in(collection) -> list[str]:
    return list(CollectionProduct.objects.filter(collection=collection)
                .order_by("sort_order").values_list("product__name", flat=True))


def test_the_operators_build_the_category_tree(operator, category):
    root = category.parent
    created = answer(operator.post(CREATE_CATEGORY, {"input": {"name": "小米"}}),
                     "categoryCreate")
    assert created["errors"] == []
    assert {k: created["category"][k] for k in ("name", "slug", "level", "parent")} == {
        "name": "小米", "slug": "xiao-mi", "level": 0, "parent": None}
    walnut = answer(operator.post(CREATE_CATEGORY, {
        "input": {"name": "核桃", "slug": "walnut", "description": editorjs("山核桃、薄皮核桃"),
                  "seo": {"title": "渑池核桃"}},
        "parent": gid("Category", root.pk)}), "categoryCreate")["category"]
    assert (walnut["slug"], walnut["level"], walnut["parent"]) == ("walnut", 1,
                                                                 {"name": "干果坚果"})
    stored = Category.objects.get(slug="walnut")
    assert (stored.description, stored.seo_title) == ("山核桃、薄皮核桃", "渑池核桃")

    # The mistakes, in Chinese; nothing created.
    for name in ("", "  "):
        assert errors(operator.post(CREATE_CATEGORY, {"input": {"name": name}}),
                      "categoryCreate") == [("name", "REQUIRED", "此项为必填项。")]
    assert errors(operator.post(CREATE_CATEGORY, {"input": {"name": "核桃仁", "slug": "walnut"}}),
                  "categoryCreate") == [("slug", "UNIQUE", "该网址标识已被使用。")]
    assert errors(operator.post(UPDATE_CATEGORY, {"id": walnut["id"], "input": {
        "slug": "dried-persimmon"}}), "categoryUpdate") == [
        ("slug", "UNIQUE", "该网址标识已被使用。")]
    assert errors(operator.post(UPDATE_CATEGORY, {"id": walnut["id"], "input": {"slug": " "}}),
                  "categoryUpdate") == [("slug", "REQUIRED", "网址标识不能为空。")]
    assert errors(operator.post(UPDATE_CATEGORY, {"id": walnut["id"], "input": {"name": ""}}),
                  "categoryUpdate") == [("name", "REQUIRED", "此项为必填项。")]
    assert Category.objects.count() == 4

    renamed = answer(operator.post(UPDATE_CATEGORY, {"id": walnut["id"], "input": {
        "name": "核桃仁", "slug": "walnut-kernel"}}), "categoryUpdate")["category"]
    assert (renamed["name"], renamed["slug"]) == ("核桃仁", "walnut-kernel")


def test_a_category_moves_with_its_subtree_but_never_under_itself(operator, category):
    root = category.parent
    leaf = Category.objects.create(name="吊柿饼", slug="hanging", parent=category)
    cycle = [("parent", "INVALID", "分类不能放到它自己或它自己的子分类下面。")]
    for under in (root, category, leaf):
        assert errors(operator.post(MOVE_CATEGORY, {"id": gid("Category", root.pk),
                                                    "parent": gid("Category", under.pk)}),
                      "categoryUpdate") == cycle, under
    assert Category.objects.get(pk=root.pk).parent_id is None

    # To the top level (parent: null), its subcategory with it; left out, it stays.
    moved = answer(operator.post(MOVE_CATEGORY, {"id": gid("Category", category.pk),
                                                 "parent": None}), "categoryUpdate")
    assert (moved["category"]["level"], moved["category"]["parent"]) == (0, None)
    assert Category.objects.get(pk=leaf.pk).level == 1
    stayed = answer(operator.post(UPDATE_CATEGORY, {"id": gid("Category", category.pk),
                                                    "input": {"name": "柿饼类"}}),
                    "categoryUpdate")["category"]
    assert (stayed["name"], stayed["parent"]) == ("柿饼类", None)
    # And back under another: levels follow down the subtree.
    moved = answer(operator.post(MOVE_CATEGORY, {"id": gid("Category", root.pk),
                                                 "parent": gid("Category", leaf.pk)}),
                   "categoryUpdate")["category"]
    assert (moved["level"], moved["parent"]) == (2, {"name": "吊柿饼"})


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                       "AND datname = current_database()")
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_two_moves_at_once_cannot_make_a_loop(operator_user, monkeypatch):
    """甲 under 乙 and 乙 under 甲, asked at the same moment by two operators: the second
    waits for the first and is refused, rather than both passing their checks and making a
    loop."""
    first_category = Category.objects.create(name="甲", slug="jia")
    second_category = Category.objects.create(name="乙", slug="yi")
    checked, release = threading.Event(), threading.Event()
    descendants = curation.category_and_descendant_ids

    def checked_then_held(ids):
        found = descendants(ids)
        if threading.current_thread().name == "first":
            checked.set()
            release.wait(30)
        return found

    monkeypatch.setattr(curation, "category_and_descendant_ids", checked_then_held)
    colleague = make_member(operator_user.organizations.get(), "colleague@example.com")
    clients = {"first": GraphQLClient(operator_user, language="zh-hans"),
               "second": GraphQLClient(colleague, language="zh-hans")}
    results = {}

    def move(name, category, parent):
        try:
            results[name] = clients[name].post(MOVE_CATEGORY, {
                "id": gid("Category", category.pk), "parent": gid("Category", parent.pk)})
        finally:
            connection.close()

    first = threading.Thread(target=move, name="first",
                             args=("first", first_category, second_category))
    second = threading.Thread(target=move, name="second",
                              args=("second", second_category, first_category))
    first.start()
    assert checked.wait(30)
    second.start()
    deadline = time.monotonic() + 10  # the second asks for the rows the first holds
    while not _waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    release.set()
    first.join(30)
    second.join(30)
    assert answer(results["first"], "categoryUpdate")["errors"] == []
    assert errors(results["second"], "categoryUpdate") == [
        ("parent", "INVALID", "分类不能放到它自己或它自己的子分类下面。")]
    parents = dict(Category.objects.values_list("slug", "parent__slug"))
    assert parents == {"jia": "yi", "yi": None}


def test_a_category_holding_products_is_not_deleted(operator, category, persimmon):
    """Saleor deletes the subtree and takes its products off sale; here the operators
    are asked to move the products first, so no seller's goods leave the shop unasked."""
    root = category.parent
    spare = Category.objects.create(name="空分类", slug="spare", parent=category)
    for target in (root, category):
        assert errors(operator.post(DELETE_CATEGORY, {"id": gid("Category", target.pk)}),
                      "categoryDelete") == [
            ("id", "INVALID", "该分类及其子分类下还有 1 件商品，请先把它们移到其他分类再删除。")]
    assert Category.objects.count() == 3

    deleted = answer(operator.post(DELETE_CATEGORY, {"id": gid("Category", spare.pk)}),
                     "categoryDelete")
    assert deleted == {"category": {"id": gid("Category", spare.pk), "name": "空分类"},
                       "errors": []}
    persimmon.category = None
    persimmon.save()
    # With its (now empty) subcategories, as in Saleor.
    answer(operator.post(DELETE_CATEGORY, {"id": gid("Category", root.pk)}), "categoryDelete")
    assert not Category.objects.exists()
    assert errors(operator.post(DELETE_CATEGORY, {"id": gid("Category", root.pk)}),
                  "categoryDelete")[0][:2] == ("id", "NOT_FOUND")


def test_the_shop_shows_a_renamed_category_on_the_next_request(operator, category, persimmon):
    shop = Client()
    assert "柿饼" in shop.get("/c/dried-persimmon/").content.decode()
    answer(operator.post(UPDATE_CATEGORY, {"id": gid("Category", category.pk),
                                           "input": {"name": "霜降柿饼"}}), "categoryUpdate")
    assert "霜降柿饼" in shop.get("/c/dried-persimmon/").content.decode()


def test_the_operators_make_a_collection_of_several_sellers_goods(
        operator, persimmon, millet_draft, other_coop, product_type, category, channel):
    walnut = make_product(other_coop, product_type, category, channel, "山核桃", "walnut",
                          ["30.00"])
    ids = {p.name: gid("Product", p.pk) for p in (persimmon, millet_draft, walnut)}
    created = answer(operator.post(CREATE_COLLECTION, {"input": {
        "name": "年货节礼盒", "description": editorjs("春节送礼"), "products": [ids["渑池柿饼"]]}}),
        "collectionCreate")
    assert created["errors"] == []
    collection = Collection.objects.get()
    assert (collection.slug, collection.description) == ("nian-huo-jie-li-he", "春节送礼")
    cid = created["collection"]["id"]

    assert errors(operator.post(CREATE_COLLECTION, {"input": {"name": ""}}),
                  "collectionCreate") == [("name", "REQUIRED", "此项为必填项。")]
    assert errors(operator.post(CREATE_COLLECTION, {"input": {"name": "年货",
                                                              "slug": "nian-huo-jie-li-he"}}),
                  "collectionCreate") == [("slug", "UNIQUE", "该网址标识已被使用。")]
    assert Collection.objects.count() == 1

    added = answer(operator.post(ADD, {"id": cid, "products": [ids["仰韶小米"], ids["山核桃"],
                                                               ids["渑池柿饼"]]}),
                   "collectionAddProducts")
    assert added["errors"] == []
    assert order_in(collection) == ["渑池柿饼", "仰韶小米", "山核桃"]

    # Saleor's moves: applied in turn, a positive one towards the end.
    answer(operator.post(REORDER, {"id": cid, "moves": [
        {"productId": ids["山核桃"], "sortOrder": -2}, {"productId": ids["渑池柿饼"],
                                                       "sortOrder": 1}]}),
        "collectionReorderProducts")
    assert order_in(collection) == ["山核桃", "仰韶小米", "渑池柿饼"]

    removed = answer(operator.post(REMOVE, {"id": cid, "products": [ids["仰韶小米"]]}),
                     "collectionRemoveProducts")
    assert removed["errors"] == []
    assert order_in(collection) == ["山核桃", "渑池柿饼"]
    missing = answer(operator.post(REMOVE, {"id": cid, "products": [ids["仰韶小米"]]}),
                     "collectionRemoveProducts")["errors"]
    assert missing == [{"field": "products", "code": "NOT_FOUND",
                        "message": "该商品不在这个专题中。", "products": [ids["仰韶小米"]]}]
    missing = answer(operator.post(REORDER, {"id": cid, "moves": [
        {"productId": ids["仰韶小米"], "sortOrder": 1}]}), "collectionReorderProducts")["errors"]
    assert [(e["field"], e["code"]) for e in missing] == [("products", "NOT_FOUND")]

    # A product with nothing to buy stays out, named by the error.
    empty = make_product(other_coop, product_type, category, channel, "空壳", "empty", [])
    refused = answer(operator.post(ADD, {"id": cid, "products": [gid("Product", empty.pk)]}),
                     "collectionAddProducts")["errors"]
    assert refused == [{"field": "products", "code": "CANNOT_MANAGE_PRODUCT_WITHOUT_VARIANT",
                        "message": "没有规格的商品不能加入专题。",
                        "products": [gid("Product", empty.pk)]}]
    assert order_in(collection) == ["山核桃", "渑池柿饼"]

    updated = answer(operator.post(UPDATE_COLLECTION, {"id": cid, "input": {
        "name": "春节年货", "description": editorjs("送礼佳品"),
        "seo": {"title": "春节年货礼盒"}}}), "collectionUpdate")["collection"]
    assert (updated["name"], updated["slug"]) == ("春节年货", "nian-huo-jie-li-he")
    collection.refresh_from_db()
    assert (collection.description, collection.seo_title) == ("送礼佳品", "春节年货礼盒")
    assert errors(operator.post(UPDATE_COLLECTION, {"id": cid, "input": {"name": ""}}),
                  "collectionUpdate") == [("name", "REQUIRED", "此项为必填项。")]

    deleted = answer(operator.post(DELETE_COLLECTION, {"id": cid}), "collectionDelete")
    assert deleted == {"collection": {"id": cid, "name": "春节年货"}, "errors": []}
    assert not Collection.objects.exists() and not CollectionProduct.objects.exists()
    assert Product.objects.filter(pk=persimmon.pk).exists()


def test_the_pavilion_page_shows_a_collection_once_published_and_filled(
        operator, persimmon, pavilion, channel):
    shop = Client()
    created = answer(operator.post(CREATE_COLLECTION, {"input": {"name": "年货礼盒精选"}}),
                     "collectionCreate")["collection"]
    collection = Collection.objects.get()
    pavilion.featured_collections.add(collection)
    channel_id = gid("Channel", channel.pk)
    published = answer(operator.post(PUBLISH, {"id": created["id"], "input": {
        "addChannels": [{"channelId": channel_id, "isPublished": True}]}}),
        "collectionChannelListingUpdate")
    assert published["errors"] == []
    assert CollectionChannelListing.objects.get(collection=collection).is_published
    assert "年货礼盒精选" not in shop.get("/p/mianchi/").content.decode()  # empty: hidden

    product = [gid("Product", persimmon.pk)]
    answer(operator.post(ADD, {"id": created["id"], "products": product}),
           "collectionAddProducts")
    assert "年货礼盒精选" in shop.get("/p/mianchi/").content.decode()
    answer(operator.post(REMOVE, {"id": created["id"], "products": product}),
           "collectionRemoveProducts")
    assert "年货礼盒精选" not in shop.get("/p/mianchi/").content.decode()
    answer(operator.post(ADD, {"id": created["id"], "products": product}),
           "collectionAddProducts")
    assert "年货礼盒精选" in shop.get("/p/mianchi/").content.decode()

    # Withdrawn from the channel: gone from the shop and from the storefront's API.
    answer(operator.post(PUBLISH, {"id": created["id"], "input": {
        "removeChannels": [channel_id]}}), "collectionChannelListingUpdate")
    assert not CollectionChannelListing.objects.exists()
    assert "年货礼盒精选" not in shop.get("/p/mianchi/").content.decode()
    query = '{ collection(slug: "nian-huo-li-he-jing-xuan", channel: "default") { name } }'
    assert answer(GraphQLClient().post(query), "collection") is None
