"""What Saleor's current storefront sends beyond the basic shopper journey
(``documents/storefront_current.graphql``), through the real ``/graphql/`` view: product
cards with merchandising flags and variant samples, a product page paging its variants
and resolving one by ID or SKU, Saleor's sorting and filtering of products, variants,
categories, collections, menus and story pages, metadata, a checkout that starts empty,
an order found again by its token, and the account's password and profile.

Where Saleor has a concept this pavilion does not keep, the answer is the well-formed
value Saleor's schema allows, asserted as such: metadata is an empty list (no record is
annotated here; a metadata filter matches nothing), private metadata is empty for
everyone, a page's ``publishedAt`` is null (a page shows from the moment it is
published), a page carries no attributes, and an address given to ``pricing`` changes
nothing (prices include the tax wherever the goods go)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import curation
from catalog.models import ProductChannelListing
from content import services as content_services
from content.models import CollectionTranslation, Menu, MenuItem, ProductTranslation
from shop.models import Stock, User
from tests.clients import GraphQLClient
from tests.factories import ADDRESS, gid, make_product

from .conftest import document

CHANNEL = "default"


def run(client, name, **variables):
    return client.data(document(name), variables)


@pytest.fixture
def catalogue(coop, product_type, category, channel, persimmon, pavilion):
    """Three products of different prices, names and dates, a published and a hidden
    collection, a navigation menu and two story pages."""
    walnut = make_product(coop, product_type, category, channel, "渑池核桃", "mianchi-walnut",
                          ["25.00"], pavilion=pavilion)
    box = make_product(coop, product_type, category, channel, "柿饼礼盒", "persimmon-gift-box",
                       ["128.00"], pavilion=pavilion)
    # Published in this order, a day apart, the last yesterday: the walnuts first.
    for days_ago, product in ((3, walnut), (2, persimmon), (1, box)):
        ProductChannelListing.objects.filter(product=product).update(
            published_at=timezone.now() - timedelta(days=days_ago))
    ProductTranslation.objects.create(product=persimmon, language_code="en",
                                      name="Mianchi dried persimmons", slug="dried-persimmons")
    gifts = curation.create_collection("年货礼盒", slug="new-year-gifts",
                                       products=[box, persimmon])
    curation.set_collection_published(gifts, channel, True)
    CollectionTranslation.objects.create(collection=gifts, language_code="en",
                                         name="New Year gifts", slug="new-year-gifts-en")
    hidden = curation.create_collection("直播专场", slug="live-picks", products=[walnut])
    curation.set_collection_published(hidden, channel, False)
    story = content_services.save_page(None, title="品牌故事", slug="brand-story",
                                       content="特色馆汇集五个县的好物。")
    content_services.translate_page(story, "en", title="Our story",
                                    content="The pavilion gathers five counties' goods.")
    origin = content_services.save_page(None, title="产地故事：渑池", slug="origin-mianchi",
                                        content="仰韶文化的故乡。")
    navbar = Menu.objects.create(name="主导航", slug="navbar")
    MenuItem.objects.create(menu=navbar, name="年货", collection=gifts, sort_order=0)
    MenuItem.objects.create(menu=navbar, name="品牌故事", page=story, sort_order=1)
    footer = Menu.objects.create(name="页脚", slug="footer")
    MenuItem.objects.create(menu=footer, name="产地", page=origin)
    return {"walnut": walnut, "box": box, "gifts": gifts, "hidden": hidden}


# Browsing ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_product_cards_carry_flags_variant_samples_and_empty_metadata(catalogue, persimmon):
    cards = run(GraphQLClient(), "CardsWithFlags", channel=CHANNEL,
                languageCode="EN")["products"]["edges"]
    by_slug = {edge["node"]["slug"]: edge["node"] for edge in cards}
    assert set(by_slug) == {"mianchi-shibing", "mianchi-walnut", "persimmon-gift-box"}
    card = by_slug["mianchi-shibing"]
    assert card["translation"] == {"name": "Mianchi dried persimmons",
                                   "slug": "dried-persimmons"}
    assert card["pricing"]["priceRange"]["start"]["gross"]["amount"] == 39.9
    assert card["pricing"]["priceRangeUndiscounted"]["stop"]["gross"]["amount"] == 58.0
    assert card["category"]["slug"] == "dried-persimmon"
    # No product has a "bestseller" attribute: Saleor answers null for an unassigned slug.
    assert card["bestseller"] is None
    assert card["origin"] == {"value": {"name": "河南渑池"}}
    sample = card["productVariants"]
    assert sample["totalCount"] == 2
    grades = {value["name"] for edge in sample["edges"] for attribute in edge["node"]["swatches"]
              if attribute["attribute"]["slug"] == "grade" for value in attribute["values"]}
    assert grades == {"特级", "一级"}
    # Nothing is annotated here: the metadata fields are empty, not an error.
    assert card["metadata"] == [] and card["sellerNote"] is None
    assert card["privateMetadata"] == []


@pytest.mark.django_db
def test_a_product_page_pages_its_variants_and_finds_one_by_id_or_sku(catalogue, persimmon):
    guest = GraphQLClient()
    # An address for tax purposes changes nothing: prices include the tax.
    address = {**ADDRESS, "country": "CN"}
    first = run(guest, "PagedVariants", slug="mianchi-shibing", channel=CHANNEL,
                languageCode="EN", first=1, address=address)["product"]
    assert first["pricing"]["priceRange"]["start"]["gross"]["amount"] == 39.9
    page = first["productVariants"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"] is True
    rest = run(guest, "PagedVariants", slug="mianchi-shibing", channel=CHANNEL,
               languageCode="EN", first=5, after=page["pageInfo"]["endCursor"])["product"]
    assert rest["productVariants"]["pageInfo"]["hasNextPage"] is False
    variants = [edge["node"] for edge in page["edges"] + rest["productVariants"]["edges"]]
    assert sorted(v["sku"] for v in variants) == ["mianchi-shibing-0", "mianchi-shibing-1"]
    cheap = next(v for v in variants if v["sku"] == "mianchi-shibing-1")
    assert cheap["pricing"]["price"]["gross"] == {"amount": 39.9, "currency": "CNY"}
    assert cheap["pricing"]["priceUndiscounted"] == cheap["pricing"]["price"]
    assert cheap["quantityAvailable"] == 10 and cheap["metadata"] == []
    assert [a["attribute"]["slug"] for a in cheap["chosen"]] == ["grade"]
    # Saleor's typed attributes on a variant, as on a product.
    assert cheap["assignedAttributes"] == [{"attribute": {"slug": "grade"},
                                            "choice": {"name": "一级"}}]

    by_id = run(guest, "OneVariant", id=cheap["id"], channel=CHANNEL,
                languageCode="EN", address=address)["productVariant"]
    by_sku = run(guest, "OneVariant", sku="mianchi-shibing-1", channel=CHANNEL,
                 languageCode="EN")["productVariant"]
    assert by_id == by_sku and by_id["product"]["slug"] == "mianchi-shibing"
    # Saleor refuses both or neither.
    both = guest.post(document("OneVariant"), {"id": cheap["id"], "sku": "mianchi-shibing-1",
                                               "channel": CHANNEL, "languageCode": "EN"})
    assert both["errors"] and both["data"]["productVariant"] is None
    assert run(guest, "OneVariant", sku="no-such-sku", channel=CHANNEL,
               languageCode="EN")["productVariant"] is None


@pytest.mark.django_db
def test_variants_by_ids_with_search_sort_and_filter(catalogue, persimmon):
    guest = GraphQLClient()
    ids = [gid("ProductVariant", v.pk) for v in persimmon.variants.order_by("sku")]
    ids.append(gid("ProductVariant", catalogue["walnut"].variants.get().pk))
    found = run(guest, "VariantsByIds", ids=ids, channel=CHANNEL)["productVariants"]
    assert found["totalCount"] == 3
    newest_first = run(guest, "VariantsByIds", ids=ids, channel=CHANNEL,
                       sortBy={"field": "LAST_MODIFIED_AT", "direction": "DESC"})
    assert [e["node"]["sku"] for e in newest_first["productVariants"]["edges"]][0] == \
        "mianchi-walnut-0"  # created last
    searched = run(guest, "VariantsByIds", channel=CHANNEL, search="walnut")["productVariants"]
    assert [e["node"]["sku"] for e in searched["edges"]] == ["mianchi-walnut-0"]
    by_sku = run(guest, "VariantsByIds", channel=CHANNEL,
                 filter={"sku": ["mianchi-shibing-0"]})["productVariants"]
    assert by_sku["totalCount"] == 1
    # Nothing is sold on preorder, and nothing carries metadata.
    for nothing in ({"isPreorder": True}, {"metadata": [{"key": "colour"}]}):
        assert run(guest, "VariantsByIds", channel=CHANNEL,
                   filter=nothing)["productVariants"]["totalCount"] == 0


@pytest.mark.django_db
def test_products_sort_by_price_name_publication_and_creation(catalogue):
    guest = GraphQLClient()

    def order(field, direction="ASC", **variables):
        edges = run(guest, "SortedProducts", channel=CHANNEL,
                    sortBy={"field": field, "direction": direction},
                    **variables)["products"]["edges"]
        return [edge["node"]["slug"] for edge in edges]

    assert order("PRICE") == ["mianchi-walnut", "mianchi-shibing", "persimmon-gift-box"]
    assert order("PRICE", "DESC") == ["persimmon-gift-box", "mianchi-shibing", "mianchi-walnut"]
    by_name = order("NAME")
    assert sorted(by_name) == sorted(order("PRICE")) and order("NAME", "DESC") == by_name[::-1]
    assert order("PUBLISHED_AT") == ["mianchi-walnut", "mianchi-shibing", "persimmon-gift-box"]
    # Saleor's older name of the same order.
    assert order("PUBLICATION_DATE") == order("PUBLISHED_AT")
    assert order("CREATED_AT", "DESC") == ["persimmon-gift-box", "mianchi-walnut",
                                           "mianchi-shibing"]
    assert order("LAST_MODIFIED") == order("LAST_MODIFIED_AT")
    # Sorted, filtered by price with ``where``, and paged with the sort's cursor.
    first = run(guest, "SortedProducts", channel=CHANNEL, first=1,
                sortBy={"field": "PRICE", "direction": "DESC"},
                where={"price": {"range": {"lte": 60}}})["products"]
    assert first["totalCount"] == 2
    assert [e["node"]["slug"] for e in first["edges"]] == ["mianchi-shibing"]
    second = run(guest, "SortedProducts", channel=CHANNEL, first=1,
                 after=first["pageInfo"]["endCursor"],
                 sortBy={"field": "PRICE", "direction": "DESC"},
                 where={"price": {"range": {"lte": 60}}})["products"]
    assert [e["node"]["slug"] for e in second["edges"]] == ["mianchi-walnut"]


@pytest.mark.django_db
def test_products_filter_by_attribute_values(catalogue):
    guest = GraphQLClient()

    def slugs(**variables):
        edges = run(guest, "SortedProducts", channel=CHANNEL, **variables)["products"]["edges"]
        return {edge["node"]["slug"] for edge in edges}

    everything = {"mianchi-shibing", "mianchi-walnut", "persimmon-gift-box"}
    assert slugs(filter={"attributes": [{"slug": "origin", "values": ["河南渑池"]}]}) == \
        everything
    assert slugs(filter={"attributes": [{"slug": "origin", "values": ["青海泽库"]}]}) == set()
    assert slugs(where={"attributes": [{"slug": "origin", "values": ["河南渑池"]}],
                        "price": {"range": {"gte": 100}}}) == {"persimmon-gift-box"}
    # Saleor's newer shape names the values by slug or name conditions.
    assert slugs(filter={"attributes": [{"slug": "grade",
                                         "value": {"name": {"eq": "一级"}}}]}) == {
        "mianchi-shibing"}
    assert slugs(where={"attributes": [{"slug": "origin",
                                        "value": {"name": {"oneOf": ["河南渑池"]}}}]}) == \
        everything


@pytest.mark.django_db
def test_products_filter_and_where_take_saleor_conditions(catalogue, millet_draft,
                                                          operator_user):
    Stock.objects.filter(product_variant__product=catalogue["walnut"]).update(quantity=0)

    def slugs(client=None, **variables):
        edges = run(client or GraphQLClient(), "SortedProducts", channel=CHANNEL,
                    **variables)["products"]["edges"]
        return {edge["node"]["slug"] for edge in edges}

    on_sale = {"mianchi-shibing", "persimmon-gift-box"}
    assert slugs(where={"stockAvailability": "IN_STOCK"}) == on_sale
    assert slugs(filter={"stockAvailability": "OUT_OF_STOCK"}) == {"mianchi-walnut"}
    assert slugs(where={"hasCategory": True, "isPublished": True,
                        "isVisibleInListing": True}) == on_sale | {"mianchi-walnut"}
    # Published by two days ago: the walnuts (three days) and the persimmons (two).
    two_days_ago = (timezone.now() - timedelta(days=2, minutes=-1)).isoformat()
    assert slugs(where={"publishedFrom": two_days_ago}) == {"mianchi-walnut",
                                                             "mianchi-shibing"}
    # No gift cards, preorders or metadata here: asked for, nothing matches.
    for nothing in ({"giftCard": True}, {"hasPreorderedVariants": True},
                    {"metadata": [{"key": "colour", "value": "red"}]}):
        assert slugs(where=nothing) == set() and slugs(filter=nothing) == set()
    assert slugs(filter={"giftCard": False}) == on_sale | {"mianchi-walnut"}
    # The operators also see the draft, and tell it apart.
    operator = GraphQLClient(operator_user)
    assert slugs(operator, filter={"isPublished": False}) == {"yangshao-millet"}


# Categories, collections, menus, story pages --------------------------------------------

@pytest.mark.django_db
def test_categories_by_slug_sorted_and_where(catalogue, category):
    guest = GraphQLClient()
    found = run(guest, "CategoryTree", slugs=["dried-persimmon", "dried-fruit-nuts"],
                languageCode="EN")["categories"]["edges"]
    assert [e["node"]["slug"] for e in found] == ["dried-fruit-nuts", "dried-persimmon"]
    assert found[0]["node"]["children"]["totalCount"] == 1
    assert found[1]["node"]["backgroundImage"] is None and found[1]["node"]["metadata"] == []
    by_children = run(guest, "CategoryTree", languageCode="EN",
                      sortBy={"field": "SUBCATEGORY_COUNT", "direction": "DESC"})
    assert by_children["categories"]["edges"][0]["node"]["slug"] == "dried-fruit-nuts"
    by_products = run(guest, "CategoryTree", languageCode="EN",
                      sortBy={"field": "PRODUCT_COUNT", "direction": "DESC"})
    assert by_products["categories"]["edges"][0]["node"]["slug"] == "dried-persimmon"
    either = run(guest, "CategoryTree", languageCode="EN", where={"OR": [
        {"ids": [gid("Category", category.pk)]}, {"metadata": [{"key": "featured"}]}]})
    assert [e["node"]["slug"] for e in either["categories"]["edges"]] == ["dried-persimmon"]


@pytest.mark.django_db
def test_collections_filter_sort_and_translate_with_saleor_inputs(catalogue, operator_user):
    guest = GraphQLClient()

    def slugs(client=guest, **variables):
        found = run(client, "CollectionsForHome", channel=CHANNEL, languageCode="EN",
                    **variables)["collections"]
        return [edge["node"]["slug"] for edge in found["edges"]]

    home = run(guest, "CollectionsForHome", channel=CHANNEL, languageCode="EN",
               filter={"slugs": ["new-year-gifts", "live-picks"]})["collections"]
    # The hidden collection is not shown to shoppers.
    assert home["totalCount"] == 1
    gifts = home["edges"][0]["node"]
    assert gifts["translation"] == {"name": "New Year gifts", "slug": "new-year-gifts-en"}
    assert [e["node"]["slug"] for e in gifts["products"]["edges"]] == [
        "persimmon-gift-box", "mianchi-shibing"]
    assert gifts["metafields"] == {} and gifts["backgroundImage"] is None
    assert slugs(filter={"published": "HIDDEN"}) == []
    # The operators see both, and which one is hidden.
    operator = GraphQLClient(operator_user)
    assert slugs(operator, filter={"published": "HIDDEN"}) == ["live-picks"]
    assert slugs(operator, filter={"published": "PUBLISHED"}) == ["new-year-gifts"]
    assert slugs(operator, sortBy={"field": "PRODUCT_COUNT", "direction": "DESC"}) == [
        "new-year-gifts", "live-picks"]
    assert slugs(operator, sortBy={"field": "AVAILABILITY", "direction": "ASC"}) == [
        "live-picks", "new-year-gifts"]
    assert slugs(operator, sortBy={"field": "NAME", "direction": "ASC"},
                 filter={"search": "年货"}) == ["new-year-gifts"]
    assert slugs(operator, where={"ids": [gid("Collection", catalogue["hidden"].pk)]}) == [
        "live-picks"]


@pytest.mark.django_db
def test_menus_list_their_items_and_filter_by_slug(catalogue):
    guest = GraphQLClient()
    menus = run(guest, "AllMenus", channel=CHANNEL, languageCode="EN")["menus"]
    assert menus["totalCount"] == 2
    assert [e["node"]["slug"] for e in menus["edges"]] == ["footer", "navbar"]
    navbar = run(guest, "AllMenus", channel=CHANNEL, languageCode="EN",
                 filter={"slug": ["navbar"]})["menus"]["edges"]
    items = navbar[0]["node"]["items"]
    assert [(i["name"], i["collection"] and i["collection"]["slug"],
             i["page"] and i["page"]["slug"]) for i in items] == [
        ("年货", "new-year-gifts", None), ("品牌故事", None, "brand-story")]
    assert navbar[0]["node"]["metadata"] == []
    by_items = run(guest, "AllMenus", channel=CHANNEL, languageCode="EN",
                   sortBy={"field": "ITEMS_COUNT", "direction": "DESC"})["menus"]["edges"]
    assert [e["node"]["slug"] for e in by_items] == ["navbar", "footer"]


@pytest.mark.django_db
def test_story_pages_as_content_blocks_sorted(catalogue):
    guest = GraphQLClient()
    blocks = run(guest, "ContentBlocks", channel=CHANNEL, languageCode="EN",
                 slugs=["brand-story", "origin-mianchi", "no-such-page"],
                 sortBy={"field": "SLUG", "direction": "DESC"})["pages"]["edges"]
    pages = [edge["node"] for edge in blocks]
    assert [p["slug"] for p in pages] == ["origin-mianchi", "brand-story"]
    story = next(p for p in pages if p["slug"] == "brand-story")
    assert story["isPublished"] is True and story["translation"]["title"] == "Our story"
    # Pages carry no attributes or schedule here: empty and null, as Saleor allows.
    assert story["publishedAt"] is None and story["assignedAttributes"] == []
    assert story["heroFlag"] is None and story["metadata"] == []
    newest = run(guest, "ContentBlocks", channel=CHANNEL, languageCode="EN",
                 slugs=["brand-story", "origin-mianchi"],
                 sortBy={"field": "CREATED_AT", "direction": "DESC"})["pages"]["edges"]
    assert [e["node"]["slug"] for e in newest] == ["origin-mianchi", "brand-story"]


# A checkout from empty to an order, and the account -------------------------------------

@pytest.mark.django_db
def test_an_empty_checkout_filled_addressed_and_completed_then_found_by_token(
        catalogue, variant, shipping):
    User.objects.create_user("li@example.com", "a-Strong-pass-123")
    shopper = GraphQLClient(User.objects.get(email="li@example.com"))
    created = run(shopper, "StartEmptyCheckout", channel=CHANNEL,
                  languageCode="ZH_HANS")["checkoutCreate"]
    assert created["errors"] == [] and created["checkout"]["lines"] == []
    checkout_id = created["checkout"]["id"]
    added = run(shopper, "CheckoutAddLine", id=checkout_id, languageCode="ZH_HANS",
                lines=[{"variantId": gid("ProductVariant", variant.pk), "quantity": 2}])
    assert added["checkoutLinesAdd"]["checkout"]["quantity"] == 2

    noted = run(shopper, "KeepCheckoutNote", id=checkout_id,
                input=[{"key": "gift-wrap", "value": "yes"}])["updateMetadata"]
    assert noted["errors"] == []
    assert noted["item"]["metadata"] == [{"key": "gift-wrap", "value": "yes"}]

    addressed = run(shopper, "AddressAndSave", checkoutId=checkout_id, shippingAddress=ADDRESS,
                    saveAddress=False, languageCode="ZH_HANS",
                    validationRules={"checkRequiredFields": True})
    assert addressed["checkoutShippingAddressUpdate"]["errors"] == []
    options = run(shopper, "DeliveryOptions", id=checkout_id)["deliveryOptionsCalculate"]
    assert options["errors"] == []
    names = {d["shippingMethod"]["name"]: d["shippingMethod"] for d in options["deliveries"]}
    assert set(names) == {"中国邮政", "顺丰速运"}
    assert names["中国邮政"]["price"] == {"amount": 8.0, "currency": "CNY"}
    chosen = run(shopper, "CheckoutDeliveryMethodUpdate", id=checkout_id, languageCode="EN",
                 deliveryMethodId=names["中国邮政"]["id"])["checkoutDeliveryMethodUpdate"]
    assert chosen["errors"] == []
    token = chosen["checkout"]["token"]

    detached = run(shopper, "DetachCustomer", checkoutId=checkout_id)["checkoutCustomerDetach"]
    assert detached["errors"] == [] and detached["checkout"]["user"] is None
    attached = run(shopper, "CheckoutCustomerAttach", id=checkout_id, languageCode="EN")
    assert attached["checkoutCustomerAttach"]["errors"] == []

    order = run(shopper, "CheckoutComplete", id=checkout_id)["checkoutComplete"]["order"]
    # react-storefront links the order by its token and reads it back with orderByToken.
    assert order["token"] == token
    again = run(shopper, "OrderAgainByToken", token=order["token"])["orderByToken"]
    assert (again["number"], again["token"]) == (order["number"], token)
    assert again["total"]["gross"]["amount"] == pytest.approx(float(
        Decimal("79.80") + Decimal("8.00")))
    # Nobody else reads it by the token, signed in or not.
    assert run(GraphQLClient(), "OrderAgainByToken", token=token)["orderByToken"] is None
    User.objects.create_user("wang@example.com", "a-Strong-pass-123")
    stranger = GraphQLClient(User.objects.get(email="wang@example.com"))
    assert run(stranger, "OrderAgainByToken", token=token)["orderByToken"] is None

    mine = run(shopper, "MyOrdersWithFulfilments", first=5, languageCode="EN")["me"]["orders"]
    assert mine["totalCount"] == 1
    line = mine["edges"][0]["node"]["lines"][0]
    assert line["quantity"] == 2
    assert line["variant"]["product"]["translation"]["name"] == "Mianchi dried persimmons"
    assert mine["edges"][0]["node"]["fulfillments"] == []
    # As in Saleor, a count alone needs no page size; the edges do.
    assert run(shopper, "MyOrderCount")["me"]["orders"]["totalCount"] == 1
    unsliced = shopper.post("query { me { orders { edges { node { number } } } } }")
    assert "You must provide a `first` or `last`" in unsliced["errors"][0]["message"]


@pytest.mark.django_db
def test_the_account_changes_its_password_and_its_name(db):
    user = User.objects.create_user("li@example.com", "a-Strong-pass-123")
    shopper = GraphQLClient(user)
    wrong = run(shopper, "ChangeMyPassword", oldPassword="not-my-password",
                newPassword="another-Strong-pass-456")["passwordChange"]
    assert [e["field"] for e in wrong["errors"]] == ["oldPassword"]
    changed = run(shopper, "ChangeMyPassword", oldPassword="a-Strong-pass-123",
                  newPassword="another-Strong-pass-456")["passwordChange"]
    assert changed["errors"] == [] and changed["user"]["email"] == "li@example.com"
    user.refresh_from_db()
    assert user.check_password("another-Strong-pass-456")

    renamed = run(GraphQLClient(user), "UpdateMyName",
                  input={"firstName": "华", "lastName": "李", "languageCode": "EN"})
    assert renamed["accountUpdate"]["errors"] == []
    assert renamed["accountUpdate"]["user"] == {"firstName": "华", "lastName": "李",
                                                "languageCode": "en", "metadata": []}
    # A guest cannot change a password.
    refused = GraphQLClient().post(document("ChangeMyPassword"), {
        "oldPassword": "x", "newPassword": "another-Strong-pass-789"})
    assert refused["errors"] and refused["data"]["passwordChange"] is None
