"""The pavilion operator's catalogue at /work/ops/, through the pages: every seller's
products, taking one off sale with a reason (the seller is told and cannot put it back)
and putting it back; the category tree; the collections (专题) and their products."""

from __future__ import annotations

import re

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
from shop.models import Notification, User
from tests.clients import signed_in
from tests.factories import PASSWORD, make_product

pytestmark = pytest.mark.django_db


def published(product) -> bool:
    return ProductChannelListing.objects.filter(product=product, is_published=True).exists()


def test_only_the_operators_get_in(persimmon, coop_user, authority_user):
    collection = Collection.objects.create(name="年货节", slug="nianhuo")
    pages = ["/work/ops/products/", f"/work/ops/products/{persimmon.pk}/",
             "/work/ops/categories/", "/work/ops/collections/",
             f"/work/ops/collections/{collection.pk}/"]
    posts = [(f"/work/ops/products/{persimmon.pk}/moderate/",
              {"action": "unpublish", "reason": "x"}),
             ("/work/ops/categories/", {"name": "菌菇"}),
             (f"/work/ops/categories/{persimmon.category_id}/", {"name": "x"}),
             ("/work/ops/collections/", {"name": "x"}),
             (f"/work/ops/collections/{collection.pk}/change/", {"add": "1",
                                                                "product": persimmon.pk})]
    for url in pages:
        assert Client().get(url)["Location"].startswith(f"/account/sign-in/?next={url}")
    shopper = User.objects.create_user("someone@example.com", PASSWORD)
    for user in (coop_user, authority_user, shopper):
        client = signed_in(user)
        for url in pages:
            assert client.get(url).status_code == 403, (user, url)
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (user, url)
    assert published(persimmon) and not ProductModeration.objects.exists()
    assert not CollectionProduct.objects.exists()
    assert list(Category.objects.values_list("name", flat=True).order_by("pk")) == [
        "干果坚果", "柿饼"]


def test_the_operator_takes_a_product_off_sale_and_the_seller_is_told_why(
        operator_client, operator_user, coop, coop_user, persimmon, millet_draft, channel):
    page = operator_client.get("/work/ops/products/").content.decode()
    assert "渑池柿饼" in page and "仰韶小米" in page and coop.name in page

    url = f"/work/ops/products/{persimmon.pk}/"
    response = operator_client.post(f"{url}moderate/", {"action": "unpublish", "reason": ""})
    assert response.status_code == 400 and "此项为必填项" in response.content.decode()
    assert published(persimmon)

    reason = "包装未标注生产日期，请补充后联系运营"
    response = operator_client.post(f"{url}moderate/", {"action": "unpublish", "reason": reason})
    assert response["Location"] == url
    assert not published(persimmon)
    moderation = ProductModeration.objects.get()
    assert (moderation.reason, moderation.created_by, moderation.channel_ids) == (
        reason, operator_user, [channel.pk])
    page = operator_client.get(url).content.decode()
    assert "已下架，已将原因告知卖家" in page and reason in page and "重新上架" in page
    assert Client().get(f"/product/{persimmon.slug}/").status_code == 404

    # The seller is told, and cannot publish it again: the refusal says why.
    notice = Notification.objects.get(organization=coop, kind="product_unpublished")
    assert "渑池柿饼" in notice.subject and reason in notice.body
    seller = signed_in(coop_user)
    own_page = seller.get(f"/work/products/{persimmon.pk}/").content.decode()
    assert f"特色馆运营方已将该商品下架：{reason}" in own_page
    assert 'name="publish" value="1"' not in own_page
    response = seller.post(f"/work/products/{persimmon.pk}/publish/",
                           {"channel": channel.pk, "publish": "1"}, follow=True)
    assert f"特色馆运营方已将该商品下架：{reason}" in response.content.decode()
    assert not published(persimmon)

    # The status filters of the list.
    def listed(status):
        page = operator_client.get("/work/ops/products/", {"status": status}).content.decode()
        return {product.name for product in (persimmon, millet_draft)
                if f"/work/ops/products/{product.pk}/" in page}

    assert listed("taken_down") == {"渑池柿饼"}
    assert listed("not_published") == {"仰韶小米"}
    assert listed("on_sale") == set()

    response = operator_client.post(f"{url}moderate/", {"action": "republish",
                                                        "reason": "已补充生产日期"})
    assert response["Location"] == url
    assert published(persimmon)
    assert Notification.objects.filter(organization=coop, kind="product_republished").exists()
    assert listed("on_sale") == {"渑池柿饼"}
    assert Client().get(f"/product/{persimmon.slug}/").status_code == 200
    # Lifted: the seller decides again.
    seller.post(f"/work/products/{persimmon.pk}/publish/", {"channel": channel.pk,
                                                            "publish": "0"})
    assert not published(persimmon)


def test_the_product_list_costs_the_same_for_many_products(
        operator_client, coop, product_type, category, channel, persimmon,
        django_assert_max_num_queries):
    def queries_for_list():
        with django_assert_max_num_queries(12) as context:
            assert operator_client.get("/work/ops/products/").status_code == 200
        return len(context.captured_queries)

    few = queries_for_list()
    for i in range(5):
        make_product(coop, product_type, category, channel, f"核桃 {i}", f"walnut-{i}",
                     ["30.00", "20.00"])
    assert queries_for_list() == few


def test_the_operator_builds_the_category_tree(operator_client, category):
    root = category.parent
    response = operator_client.post("/work/ops/categories/", {"name": "小米"})
    assert response.status_code == 302
    millet = Category.objects.get(name="小米")
    assert (millet.parent, millet.slug) == (None, "xiao-mi")
    operator_client.post("/work/ops/categories/", {"name": "核桃", "parent": root.pk})
    walnut = Category.objects.get(name="核桃")
    assert walnut.parent == root and walnut.level == 1
    def tree():
        page = operator_client.get("/work/ops/categories/").content.decode()
        return page, shown_tree(page)

    page, listed = tree()
    assert listed.index("干果坚果") < listed.index("柿饼") < listed.index("核桃")
    assert listed.index("核桃") < listed.index("小米")

    # Renamed; then 核桃 moves above 柿饼, and 小米 to the top.
    operator_client.post(f"/work/ops/categories/{walnut.pk}/", {"name": "核桃仁"})
    operator_client.post(f"/work/ops/categories/{walnut.pk}/", {"move": "up"})
    operator_client.post(f"/work/ops/categories/{millet.pk}/", {"move": "up"})
    page, listed = tree()
    assert "分类已改名为“核桃仁”" in page
    assert listed.index("小米") < listed.index("干果坚果") < listed.index("核桃仁")
    assert listed.index("核桃仁") < listed.index("柿饼")
    response = operator_client.post("/work/ops/categories/", {"name": ""})
    assert response.status_code == 400 and "此项为必填项" in response.content.decode()


def shown_tree(page: str) -> str:
    """The category rows of the page as they read, without each row's move-and-remove
    panel (whose lists name every other category)."""
    rows = page[page.index('<ul class="rows">'):page.index("新建分类")]
    return re.sub(r"<details.*?</details>", "", rows, flags=re.S)


def test_the_operator_moves_a_category_elsewhere_and_removes_an_empty_one(
        operator_client, category, persimmon):
    root = category.parent  # 干果坚果 > 柿饼 (which holds 渑池柿饼)
    operator_client.post("/work/ops/categories/", {"name": "菌菇"})
    mushrooms = Category.objects.get(name="菌菇")
    url = f"/work/ops/categories/{category.pk}/"
    page = operator_client.get("/work/ops/categories/").content.decode()
    assert "移到别处或删除" in page and "删除分类" in page

    # 柿饼 goes under 菌菇, with its product; then back to the top level.
    operator_client.post(url, {"reparent": "1", "parent": mushrooms.pk})
    category.refresh_from_db()
    assert (category.parent, category.level) == (mushrooms, 1)
    page = operator_client.get("/work/ops/categories/").content.decode()
    assert "分类“柿饼”已移动" in page
    # Never under itself or its own subcategory: refused with the reason, nothing moved.
    operator_client.post(f"/work/ops/categories/{mushrooms.pk}/",
                         {"reparent": "1", "parent": category.pk})
    mushrooms.refresh_from_db()
    assert mushrooms.parent is None
    assert "分类不能放到它自己或它自己的子分类下面" in operator_client.get(
        "/work/ops/categories/").content.decode()
    assert operator_client.post(url, {"reparent": "1", "parent": "x"}).status_code == 404
    operator_client.post(url, {"reparent": "1", "parent": ""})
    category.refresh_from_db()
    assert (category.parent, category.level) == (None, 0)

    # A category still holding products stays, with the count; an empty one goes.
    operator_client.post(url, {"delete": "1"})
    assert Category.objects.filter(pk=category.pk).exists()
    assert "1 件商品" in operator_client.get("/work/ops/categories/").content.decode()
    response = operator_client.post(f"/work/ops/categories/{root.pk}/", {"delete": "1"})
    assert response["Location"] == "/work/ops/categories/"
    assert not Category.objects.filter(pk=root.pk).exists()
    persimmon.refresh_from_db()
    assert persimmon.category == category


def test_the_operator_makes_a_collection_of_several_sellers_goods(
        operator_client, persimmon, millet_draft, channel):
    response = operator_client.post("/work/ops/collections/", {"name": "年货节礼盒",
                                                               "description": "春节送礼"})
    collection = Collection.objects.get()
    url = f"/work/ops/collections/{collection.pk}/"
    assert response["Location"] == url
    page = operator_client.get(url, {"q": "柿饼"}).content.decode()
    found = page.split("选择要添加的商品")[1]
    assert f'value="{persimmon.pk}"' in found and f'value="{millet_draft.pk}"' not in found
    operator_client.post(f"{url}change/", {"add": "1", "product": [persimmon.pk,
                                                                   millet_draft.pk]})
    assert list(CollectionProduct.objects.filter(collection=collection)
                .order_by("sort_order").values_list("product__name", flat=True)) == [
        "仰韶小米", "渑池柿饼"]
    operator_client.post(f"{url}change/", {"move": "up", "product": persimmon.pk})
    page = operator_client.get(url).content.decode()
    assert page.index("渑池柿饼") < page.index("仰韶小米")

    operator_client.post(f"{url}change/", {"publish": "1", "channel": channel.pk})
    assert CollectionChannelListing.objects.get(collection=collection).is_published
    page = operator_client.get("/work/ops/collections/").content.decode()
    assert "年货节礼盒" in page and "已在商城展示" in page and "商品：2 件" in page

    operator_client.post(f"{url}change/", {"remove": "1", "product": millet_draft.pk})
    operator_client.post(url, {"name": "春节年货", "description": "送礼佳品"})
    collection.refresh_from_db()
    assert (collection.name, collection.description) == ("春节年货", "送礼佳品")
    assert list(collection.products.all()) == [persimmon]
    response = operator_client.post(f"{url}change/", {"remove": "1",
                                                      "product": millet_draft.pk}, follow=True)
    assert "该商品不在这个专题中" in response.content.decode()
