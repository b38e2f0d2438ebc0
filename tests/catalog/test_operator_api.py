"""The pavilion operators' takedowns (下架) through the real /graphql/ view:
``productTakeDown`` with a reason the seller reads on ``Product.moderation`` and cannot
override, ``productRestore``; the shop's stored pages and the search see both on the next
request; and every operator mutation (takedowns, categories, collections) refused to a
cooperative, the brand authority, a shopper and an anonymous caller."""

from __future__ import annotations

import pytest
from django.test import Client

from catalog.models import (
    Category,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    ProductChannelListing,
    ProductModeration,
)
from shop.models import Notification, Organization, User
from tests.clients import GraphQLClient
from tests.factories import PASSWORD, gid, make_member, make_org, make_product

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"
TAKE_DOWN = f"""
mutation ($id: ID!, $reason: String!) {{
  productTakeDown(id: $id, reason: $reason) {{
    product {{ id isAvailableForPurchase moderation {{ action isTakenDown reason }} }}
    moderation {{ action isTakenDown reason createdAt }}
    {ERRORS}
  }}
}}"""
RESTORE = f"""
mutation ($id: ID!, $reason: String) {{
  productRestore(id: $id, reason: $reason) {{
    product {{ id moderation {{ action isTakenDown reason }} }}
    moderation {{ action isTakenDown reason }}
    {ERRORS}
  }}
}}"""
PRODUCT = """
query ($slug: String!) {
  product(slug: $slug, channel: "default") {
    name moderation { action isTakenDown reason }
  }
}"""
PUBLISH = f"""
mutation ($id: ID!, $channel: ID!) {{
  productChannelListingUpdate(id: $id, input: {{updateChannels: [
      {{channelId: $channel, isPublished: true}}]}}) {{
    {ERRORS}
  }}
}}"""
SEARCH = """
query { products(first: 10, channel: "default", search: "柿饼") { totalCount } }"""
REASON = "包装未标注生产日期，请补充后联系运营"


def published(product) -> bool:
    return ProductChannelListing.objects.filter(product=product, is_published=True).exists()


def data(result: dict, name: str) -> dict:
    assert not result.get("errors"), result["errors"]
    return result["data"][name]


@pytest.fixture
def operator(operator_user):
    return GraphQLClient(operator_user, language="zh-hans")


@pytest.fixture
def shopper(db):
    return User.objects.create_user("shopper@example.com", PASSWORD)


@pytest.fixture
def authority_user(db):
    authority = make_org("渑池县农产品区域公用品牌管理办公室", "mianchi-brand-office",
                         Organization.Kind.BRAND_AUTHORITY)
    return make_member(authority, "reviewer@example.com")


def test_the_operators_take_a_product_down_and_its_seller_reads_why(
        operator, coop, coop_user, persimmon, channel, shopper):
    product_id = gid("Product", persimmon.pk)
    answer = data(operator.post(TAKE_DOWN, {"id": product_id, "reason": REASON}),
                  "productTakeDown")
    assert answer["errors"] == []
    assert answer["moderation"]["action"] == "TAKEN_DOWN"
    assert answer["product"]["moderation"] == {"action": "TAKEN_DOWN", "isTakenDown": True,
                                               "reason": REASON}
    assert not published(persimmon)
    moderation = ProductModeration.objects.get()
    assert moderation.created_by.email == "operator@example.com"
    assert moderation.channel_ids == [channel.pk]
    notice = Notification.objects.get(organization=coop, kind="product_unpublished")
    assert REASON in notice.body

    # The seller reads the decision on its product, and cannot publish it again.
    seller = GraphQLClient(coop_user, language="zh-hans")
    assert data(seller.post(PRODUCT, {"slug": persimmon.slug}), "product")["moderation"] == {
        "action": "TAKEN_DOWN", "isTakenDown": True, "reason": REASON}
    refused = data(seller.post(PUBLISH, {"id": product_id, "channel": gid("Channel",
                                                                          channel.pk)}),
                   "productChannelListingUpdate")["errors"]
    assert refused == [{"field": "isPublished", "code": "INVALID",
                        "message": f"特色馆运营方已将该商品下架：{REASON}"}]
    # Nor lift the takedown itself.
    result = seller.post(RESTORE, {"id": product_id})
    assert result["data"]["productRestore"] is None
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert result["errors"][0]["message"] == "只有特色馆运营团队可以执行此操作"
    assert not published(persimmon) and ProductModeration.objects.count() == 1

    # Taken down twice: refused with a reason.
    again = data(operator.post(TAKE_DOWN, {"id": product_id, "reason": "再次"}),
                 "productTakeDown")
    assert again["errors"] == [{"field": "product", "code": "INVALID",
                                "message": "该商品已经下架。"}]
    assert again["product"] is None

    answer = data(operator.post(RESTORE, {"id": product_id, "reason": "已补充生产日期"}),
                  "productRestore")
    assert answer["errors"] == []
    assert answer["moderation"] == {"action": "RESTORED", "isTakenDown": False,
                                    "reason": "已补充生产日期"}
    assert published(persimmon)
    assert Notification.objects.filter(organization=coop, kind="product_republished").exists()
    assert data(seller.post(PRODUCT, {"slug": persimmon.slug}), "product")["moderation"][
        "action"] == "RESTORED"
    # Lifted: restoring again is refused, and the seller decides again.
    again = data(operator.post(RESTORE, {"id": product_id}), "productRestore")
    assert again["errors"] == [{"field": "product", "code": "INVALID",
                                "message": "运营方没有下架该商品。"}]
    assert data(seller.post(PUBLISH, {"id": product_id, "channel": gid("Channel",
                                                                       channel.pk)}),
                "productChannelListingUpdate")["errors"] == []

    # Nobody else reads the operators' decisions: a shopper, signed in or not.
    for client in (GraphQLClient(shopper), GraphQLClient()):
        assert data(client.post(PRODUCT, {"slug": persimmon.slug}), "product") == {
            "name": "渑池柿饼", "moderation": None}


def test_a_takedown_needs_a_reason_and_a_real_product(operator, persimmon, category):
    for reason in ("", "   "):
        errors = data(operator.post(TAKE_DOWN, {"id": gid("Product", persimmon.pk),
                                                "reason": reason}), "productTakeDown")["errors"]
        assert errors == [{"field": "reason", "code": "REQUIRED", "message": "此项为必填项。"}]
    errors = data(operator.post(TAKE_DOWN, {"id": gid("Product", 999999), "reason": "x"}),
                  "productTakeDown")["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("id", "NOT_FOUND")]
    errors = data(operator.post(TAKE_DOWN, {"id": gid("Category", category.pk),
                                            "reason": "x"}), "productTakeDown")["errors"]
    assert [e["field"] for e in errors] == ["id"]
    assert published(persimmon) and not ProductModeration.objects.exists()


def test_the_shop_and_the_search_see_a_takedown_on_the_next_request(operator, persimmon):
    shop = Client()
    urls = [f"/product/{persimmon.slug}/", "/c/dried-persimmon/", "/search/?q=柿饼",
            "/p/mianchi/"]
    for url in urls:  # each page now stored
        assert "渑池柿饼" in shop.get(url).content.decode(), url
    assert shop.get(urls[0]).status_code == 200
    anyone = GraphQLClient()
    assert data(anyone.post(SEARCH), "products")["totalCount"] == 1

    data(operator.post(TAKE_DOWN, {"id": gid("Product", persimmon.pk), "reason": REASON}),
         "productTakeDown")
    assert shop.get(urls[0]).status_code == 404
    for url in urls[1:]:
        assert "渑池柿饼" not in shop.get(url).content.decode(), url
    assert data(anyone.post(SEARCH), "products")["totalCount"] == 0

    data(operator.post(RESTORE, {"id": gid("Product", persimmon.pk)}), "productRestore")
    assert shop.get(urls[0]).status_code == 200
    assert "渑池柿饼" in shop.get(urls[1]).content.decode()
    assert data(anyone.post(SEARCH), "products")["totalCount"] == 1


def _attempts(persimmon, category, collection, channel):
    """One request per operator mutation, each one that would change something."""
    product = gid("Product", persimmon.pk)
    return [
        ("productTakeDown", "mutation ($id: ID!) { productTakeDown(id: $id, reason: \"x\") "
                            "{ errors { code } } }", {"id": product}),
        ("productRestore", "mutation ($id: ID!) { productRestore(id: $id) { errors { code } } }",
         {"id": product}),
        ("categoryCreate", "mutation { categoryCreate(input: {name: \"菌菇\"}) "
                           "{ errors { code } } }", {}),
        ("categoryUpdate", "mutation ($id: ID!) { categoryUpdate(id: $id, input: {name: \"x\"}, "
                           "parent: null) { errors { code } } }",
         {"id": gid("Category", category.pk)}),
        ("categoryDelete", "mutation ($id: ID!) { categoryDelete(id: $id) { errors { code } } }",
         {"id": gid("Category", category.pk)}),
        ("collectionCreate", "mutation { collectionCreate(input: {name: \"年货\"}) "
                             "{ errors { code } } }", {}),
        ("collectionUpdate", "mutation ($id: ID!) { collectionUpdate(id: $id, "
                             "input: {name: \"x\"}) { errors { code } } }",
         {"id": gid("Collection", collection.pk)}),
        ("collectionAddProducts", "mutation ($id: ID!, $p: [ID!]!) { collectionAddProducts("
                                  "collectionId: $id, products: $p) { errors { code } } }",
         {"id": gid("Collection", collection.pk), "p": [product]}),
        ("collectionReorderProducts", "mutation ($id: ID!, $p: ID!) { "
                                      "collectionReorderProducts(collectionId: $id, moves: "
                                      "[{productId: $p, sortOrder: 1}]) { errors { code } } }",
         {"id": gid("Collection", collection.pk), "p": product}),
        ("collectionRemoveProducts", "mutation ($id: ID!, $p: [ID!]!) { "
                                     "collectionRemoveProducts(collectionId: $id, products: $p)"
                                     " { errors { code } } }",
         {"id": gid("Collection", collection.pk), "p": [product]}),
        ("collectionChannelListingUpdate", "mutation ($id: ID!, $c: ID!) { "
                                           "collectionChannelListingUpdate(id: $id, input: "
                                           "{addChannels: [{channelId: $c, isPublished: true}]})"
                                           " { errors { code } } }",
         {"id": gid("Collection", collection.pk), "c": gid("Channel", channel.pk)}),
        ("collectionDelete", "mutation ($id: ID!) { collectionDelete(id: $id) "
                             "{ errors { code } } }", {"id": gid("Collection", collection.pk)}),
    ]


def _state():
    return {
        "listings": sorted(ProductChannelListing.objects.values_list("product_id",
                                                                     "is_published")),
        "moderations": ProductModeration.objects.count(),
        "categories": sorted(Category.objects.values_list("pk", "name", "parent_id")),
        "collections": sorted(Collection.objects.values_list("pk", "name")),
        "collection products": sorted(CollectionProduct.objects.values_list(
            "collection_id", "product_id", "sort_order")),
        "collection listings": sorted(CollectionChannelListing.objects.values_list(
            "collection_id", "channel_id", "is_published")),
    }


def test_only_the_operators_may_call_them(persimmon, category, channel, coop_user,
                                          authority_user, shopper, operator_user):
    collection = Collection.objects.create(name="年货节", slug="nianhuo")
    CollectionProduct.objects.create(collection=collection, product=persimmon)
    attempts = _attempts(persimmon, category, collection, channel)
    before = _state()
    callers = {"cooperative": GraphQLClient(coop_user, language="zh-hans"),
               "authority": GraphQLClient(authority_user, language="zh-hans"),
               "shopper": GraphQLClient(shopper, language="zh-hans"),
               "anonymous": GraphQLClient(language="zh-hans")}
    messages = {"anonymous": "请先登录再执行此操作"}
    for who, client in callers.items():
        for name, document, variables in attempts:
            result = client.post(document, variables)
            assert result["data"][name] is None, (who, name, result)
            error = result["errors"][0]
            assert error["extensions"]["exception"]["code"] == "PermissionDenied", (who, name)
            assert error["message"] == messages.get(who, "只有特色馆运营团队可以执行此操作")
            assert error["path"] == [name]
    assert _state() == before

    # The control: the same requests from an operator go through (the category delete
    # is refused with a reason, the category still holding a product).
    operator = GraphQLClient(operator_user)
    through = []
    for name, document, variables in attempts:
        result = operator.post(document, variables)
        assert not result.get("errors"), (name, result)
        if not result["data"][name]["errors"]:
            through.append(name)
    assert set(through) == {name for name, _d, _v in attempts} - {"categoryDelete"}
    assert _state() != before


def test_the_operators_read_every_products_moderation_in_constant_queries(
        operator, operator_user, coop, product_type, category, channel, persimmon,
        django_assert_max_num_queries):
    query = """{ products(first: 50, channel: "default") {
        edges { node { name moderation { action reason } } } } }"""
    curation_reason = "标签不全"

    def read():
        with django_assert_max_num_queries(30) as context:
            nodes = [edge["node"] for edge in data(operator.post(query), "products")["edges"]]
        return len(context.captured_queries), nodes

    data(operator.post(TAKE_DOWN, {"id": gid("Product", persimmon.pk),
                                   "reason": curation_reason}), "productTakeDown")
    few, nodes = read()
    assert nodes == [{"name": "渑池柿饼", "moderation": {"action": "TAKEN_DOWN",
                                                      "reason": curation_reason}}]
    for i in range(5):
        product = make_product(coop, product_type, category, channel, f"核桃 {i}",
                               f"walnut-{i}", ["30.00"])
        if i % 2:
            data(operator.post(TAKE_DOWN, {"id": gid("Product", product.pk),
                                           "reason": curation_reason}), "productTakeDown")
    many, nodes = read()
    assert many == few
    assert sum(1 for node in nodes if node["moderation"]) == 3
