"""A product the operators took down (下架) is gone for the public everywhere, not only on
its own page: by slug, ID and variant in the API, in lists, search and collections, on a
live broadcast's line-up, and it cannot be bought, whether in a new cart, in a cart filled
before the takedown, or from the live broadcast it was lined up in. Its seller cannot put
it back on sale by any route the API offers."""

from __future__ import annotations

import pytest
from django.test import Client

from catalog import curation
from catalog.models import Collection, CollectionChannelListing, CollectionProduct
from livestream import services as live_services
from livestream.models import Broadcast
from shop.models import Order, User
from tests.factories import gid, ready_checkout
from tests.livestream.conftest import broadcast, host, host_user, item, studio  # noqa: F401

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"
NAME = "渑池柿饼"


@pytest.fixture
def on_show(persimmon, variant, channel, shipping, item, broadcast):  # noqa: F811
    """The persimmon in a published collection and a live broadcast's line-up, and a
    shopper's cart holding it, all before the operators take it down."""
    collection = Collection.objects.create(name="年货节", slug="nianhuo")
    CollectionProduct.objects.create(collection=collection, product=persimmon)
    CollectionChannelListing.objects.create(collection=collection, channel=channel,
                                            is_published=True)
    shopper = User.objects.create_user("early@example.com", "a-Strong-pass-123")
    cart = ready_checkout(channel, variant, shipping, user=shopper, email=shopper.email)
    # A title of its own, so that only the product itself can name the product.
    Broadcast.objects.filter(pk=broadcast.pk).update(title="年货专场")
    live_services.start_broadcast(broadcast)
    curation.unpublish_product(persimmon, "标签不合规")
    return {"shopper": shopper, "cart": cart}


def test_the_api_shows_a_taken_down_product_to_no_outsider(gql, gql_as, other_coop_user,
                                                           persimmon, variant, on_show,
                                                           host_user, broadcast):  # noqa: F811
    product_id, variant_id = gid("Product", persimmon.pk), gid("ProductVariant", variant.pk)
    document = """query($p: ID!, $v: ID!, $b: ID!, $slug: String!) {
      bySlug: product(slug: $slug, channel: "default") { name }
      byId: product(id: $p, channel: "default") { name }
      node(id: $p) { id }
      variantNode: node(id: $v) { id }
      productVariant(id: $v, channel: "default") { name }
      productVariants(ids: [$v], first: 5, channel: "default") { edges { node { id } } }
      products(first: 10, channel: "default") { edges { node { name } } }
      listed: products(first: 10, channel: "default", filter: {ids: [$p]}) {
        edges { node { name } } }
      found: products(first: 10, channel: "default", search: "柿饼") { totalCount }
      collection(slug: "nianhuo", channel: "default") {
        products(first: 10) { edges { node { name } } } }
      category(slug: "dried-persimmon") {
        products(first: 10, channel: "default") { edges { node { name } } } }
      broadcast(id: $b) { lineup { variant { name product { name } } } }
    }"""
    variables = {"p": product_id, "v": variant_id, "b": gid("Broadcast", broadcast.pk),
                 "slug": persimmon.slug}
    for who, client in (("anonymous", gql), ("shopper", gql_as(on_show["shopper"])),
                        ("another seller", gql_as(other_coop_user))):
        result = client.post(document, variables)
        data = result["data"]
        leaks = [field for field, value in data.items() if value and NAME in str(value)]
        assert leaks == [], (who, leaks, data)
        assert data["bySlug"] is None and data["byId"] is None and data["node"] is None, who
        assert data["variantNode"] is None and data["productVariant"] is None, who
        assert data["found"]["totalCount"] == 0, who
    # The broadcast's host still sees what they lined up, to take it off the line-up.
    lineup = gql_as(host_user).data(
        "query($b: ID!) { broadcast(id: $b) { lineup { variant { product { name } } } } }",
        {"b": variables["b"]})["broadcast"]["lineup"]
    assert [i["variant"]["product"]["name"] for i in lineup] == [NAME]


def test_the_shop_pages_show_it_nowhere(persimmon, on_show, broadcast):  # noqa: F811
    shop = Client()
    assert shop.get(f"/product/{persimmon.slug}/").status_code == 404
    for url in ("/", "/live/", "/c/dried-persimmon/", "/search/?q=柿饼", "/p/mianchi/",
                "/search/suggest/?q=柿"):
        response = shop.get(url)
        assert response.status_code == 200, url
        assert NAME not in response.content.decode(), url


def test_it_cannot_be_bought_by_any_route(gql_as, persimmon, variant, shipping,
                                          item, broadcast, on_show):  # noqa: F811
    shopper = on_show["shopper"]
    client = gql_as(shopper)
    created = client.post(f"""mutation($v: ID!) {{ checkoutCreate(input: {{channel: "default",
      email: "late@example.com", lines: [{{variantId: $v, quantity: 1}}]}}) {{
      checkout {{ id }} {ERRORS} }} }}""", {"v": gid("ProductVariant", variant.pk)})
    assert created["data"]["checkoutCreate"]["checkout"] is None
    assert created["data"]["checkoutCreate"]["errors"]

    # The cart filled before the takedown: it cannot be completed.
    completed = client.post(f"""mutation($id: ID!) {{
      checkoutComplete(id: $id) {{ order {{ id }} {ERRORS} }} }}""",
                            {"id": gid("Checkout", on_show["cart"].token)})
    assert (completed.get("data") or {}).get("checkoutComplete", {}).get("order") is None
    assert not Order.objects.exists()

    # The live broadcast it was lined up in.
    browser = Client()
    browser.force_login(shopper)
    browser.post(f"/buy/live/{broadcast.pk}/", {"item": item.pk, "quantity": 1,
                                                "next": "/live/"})
    cart_page = browser.get("/cart/").content.decode()
    assert NAME not in cart_page or "下架" in cart_page or "不可购买" in cart_page
    assert not Order.objects.exists()


def test_its_seller_cannot_put_it_back_on_sale(gql_as, coop_user, persimmon, channel,
                                               on_show):
    seller = gql_as(coop_user)
    channel_id, product_id = gid("Channel", channel.pk), gid("Product", persimmon.pk)
    for update in ({"updateChannels": [{"channelId": channel_id, "isPublished": True}]},
                   {"removeChannels": [channel_id]},
                   {"updateChannels": [{"channelId": channel_id, "isPublished": True,
                                        "visibleInListings": True,
                                        "isAvailableForPurchase": True}]}):
        seller.post(f"""mutation($id: ID!, $input: ProductChannelListingUpdateInput!) {{
          productChannelListingUpdate(id: $id, input: $input) {{ {ERRORS} }} }}""",
                    {"id": product_id, "input": update})
    restore = seller.post(f"""mutation($id: ID!) {{ productRestore(id: $id) {{ {ERRORS} }} }}""",
                          {"id": product_id})
    assert restore["data"]["productRestore"] is None
    assert not persimmon.channel_listings.filter(is_published=True).exists()
    assert Client().get(f"/product/{persimmon.slug}/").status_code == 404
