"""Catalogue fields a Saleor storefront asks for (breadcrumbs from ``Category.ancestors``,
a filter panel from ``attributes`` and ``Attribute.choices``), through the real /graphql/
view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import services as catalog_services
from catalog.models import (
    Attribute,
    Category,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    ProductType,
)
from tests.clients import GraphQLClient
from tests.factories import gid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("channel")]

ANCESTORS = """
query Ancestors($slug: String!, $first: Int, $after: String, $last: Int) {
  category(slug: $slug) {
    name
    ancestors(first: $first, after: $after, last: $last) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { node { name slug level parent { slug } } }
    }
  }
}
"""

TREE_ANCESTORS = """
query { categories(first: 100) { edges { node { slug ancestors(first: 10) {
  edges { node { slug } } } } } } }
"""


def chain(prefix: str, depth: int) -> Category:
    node = None
    for level in range(depth):
        node = Category.objects.create(name=f"{prefix}{level}", slug=f"{prefix}-{level}",
                                       parent=node)
    return node


def slugs(connection_data):
    return [e["node"]["slug"] for e in connection_data["edges"]]


def test_ancestors_are_listed_root_first(gql):
    leaf = chain("grain", 4)
    data = gql.data(ANCESTORS, {"slug": leaf.slug, "first": 10})["category"]["ancestors"]
    assert slugs(data) == ["grain-0", "grain-1", "grain-2"]
    assert [e["node"]["level"] for e in data["edges"]] == [0, 1, 2]
    assert data["edges"][1]["node"]["parent"] == {"slug": "grain-0"}
    assert data["totalCount"] == 3
    assert data["pageInfo"]["hasNextPage"] is False


def test_ancestors_page_with_cursors(gql):
    leaf = chain("grain", 4)
    first = gql.data(ANCESTORS, {"slug": leaf.slug, "first": 2})["category"]["ancestors"]
    assert slugs(first) == ["grain-0", "grain-1"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["totalCount"] == 3
    rest = gql.data(ANCESTORS, {"slug": leaf.slug, "first": 2,
                                "after": first["pageInfo"]["endCursor"]})
    rest = rest["category"]["ancestors"]
    assert slugs(rest) == ["grain-2"]
    assert rest["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True,
                                "endCursor": rest["pageInfo"]["endCursor"]}
    last = gql.data(ANCESTORS, {"slug": leaf.slug, "last": 1})["category"]["ancestors"]
    assert slugs(last) == ["grain-2"]
    assert last["pageInfo"]["hasPreviousPage"] is True


def test_a_root_has_no_ancestors(gql):
    root = chain("fruit", 1)
    data = gql.data(ANCESTORS, {"slug": root.slug, "first": 5})["category"]["ancestors"]
    assert data["edges"] == [] and data["totalCount"] == 0


def test_ancestors_need_first_or_last(gql):
    leaf = chain("grain", 2)
    result = gql.post(ANCESTORS, {"slug": leaf.slug})
    assert result["data"]["category"]["ancestors"] is None
    assert "first" in result["errors"][0]["message"]


def test_ancestors_of_a_whole_tree_in_constant_queries(gql):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            data = gql.data(TREE_ANCESTORS)
        return len(ctx.captured_queries), data

    chain("shallow", 2)
    count()  # the first request reads the channel too
    shallow, _data = count()
    chain("deep", 6)
    chain("wide", 3)
    count()  # the request after a write reads the kept channel again
    deep, data = count()
    assert deep == shallow
    found = {e["node"]["slug"]: slugs(e["node"]["ancestors"])
             for e in data["categories"]["edges"]}
    assert found["deep-5"] == [f"deep-{i}" for i in range(5)]
    assert found["wide-2"] == ["wide-0", "wide-1"]


# Attributes ------------------------------------------------------------------------------

ATTRIBUTES = """
query Attributes($first: Int, $filter: AttributeFilterInput, $where: AttributeWhereInput,
                 $channel: String, $choices: Int, $search: String) {
  attributes(first: $first, filter: $filter, where: $where, channel: $channel,
             search: $search) {
    totalCount
    edges { node {
      id name slug type withChoices inputType visibleInStorefront filterableInStorefront
      choices(first: $choices) { totalCount edges { node { name slug } } }
    } }
  }
}
"""


def attribute_slugs(data):
    return [e["node"]["slug"] for e in data["attributes"]["edges"]]


def choices_of(data, slug):
    node = next(e["node"] for e in data["attributes"]["edges"] if e["node"]["slug"] == slug)
    return [c["node"]["name"] for c in node["choices"]["edges"]]


@pytest.fixture
def secret_draft(other_coop, product_type, category):
    """An unlisted product whose origin names a value no shopper may learn of."""
    return catalog_services.create_product(
        other_coop, product_type, name="未发布的小米", slug="secret-millet", category=category,
        attributes=[{"slug": "origin", "values": ["保密产地"]}],
    )


def test_attributes_are_listed_as_saleor_shapes_them(gql, persimmon):
    data = gql.data(ATTRIBUTES, {"first": 10, "choices": 10})
    assert attribute_slugs(data) == ["grade", "net-weight", "origin"]
    assert data["attributes"]["totalCount"] == 3
    grade = data["attributes"]["edges"][0]["node"]
    assert grade["name"] == "等级"
    assert grade["type"] == "PRODUCT_TYPE"
    assert grade["withChoices"] is True and grade["inputType"] == "DROPDOWN"
    assert grade["visibleInStorefront"] is True and grade["filterableInStorefront"] is True
    assert choices_of(data, "grade") == ["特级", "一级"]
    assert choices_of(data, "origin") == ["河南渑池"]
    assert choices_of(data, "net-weight") == []


def test_choices_page(gql, persimmon):
    data = gql.data(ATTRIBUTES, {"first": 10, "choices": 1, "filter": {"slugs": ["grade"]}})
    grade = data["attributes"]["edges"][0]["node"]["choices"]
    assert [c["node"]["name"] for c in grade["edges"]] == ["特级"]
    assert grade["totalCount"] == 2


def test_choices_of_a_draft_stay_private(gql, gql_as, persimmon, secret_draft, operator_user):
    shopper = gql.data(ATTRIBUTES, {"first": 10, "choices": 10})
    assert choices_of(shopper, "origin") == ["河南渑池"]
    # The attribute's name is catalogue-wide; only the draft's value is hidden.
    assert "origin" in attribute_slugs(shopper)
    operator = gql_as(operator_user).data(ATTRIBUTES, {"first": 10, "choices": 10})
    assert choices_of(operator, "origin") == ["河南渑池", "保密产地"]


def test_attributes_filter(gql, persimmon):
    def listed(**variables):
        return attribute_slugs(gql.data(ATTRIBUTES, {"first": 10, "choices": 1, **variables}))

    assert listed(filter={"search": "等级"}) == ["grade"]
    assert listed(search="weight") == ["net-weight"]
    assert listed(filter={"slugs": ["origin", "grade"]}) == ["grade", "origin"]
    origin = Attribute.objects.get(slug="origin")
    assert listed(filter={"ids": [gid("Attribute", origin.pk)]}) == ["origin"]
    assert listed(filter={"filterableInStorefront": True}) == ["grade", "net-weight", "origin"]
    assert listed(filter={"filterableInStorefront": False}) == []
    assert listed(filter={"type": "PAGE_TYPE"}) == []
    assert listed(where={"slug": {"oneOf": ["grade", "origin"]}}) == ["grade", "origin"]
    assert listed(where={"OR": [{"name": {"eq": "产地"}}, {"slug": {"eq": "grade"}}]}) == [
        "grade", "origin"]
    assert listed(where={"type": {"eq": "PRODUCT_TYPE"}, "withChoices": True}) == [
        "grade", "net-weight", "origin"]


def test_attributes_in_category(gql, persimmon, category, secret_draft,
                                               other_coop):
    # A draft in another category, of a type with its own attribute: not counted.
    colour = Attribute.objects.create(name="颜色", slug="colour")
    ptype = ProductType.objects.create(name="杂粮", slug="coarse-grains")
    ptype.product_attributes.add(colour)
    grains = Category.objects.create(name="杂粮", slug="grains")
    catalog_services.create_product(other_coop, ptype, name="未发布杂粮", slug="grain-draft",
                                    category=grains, attributes=[])

    def listed(**filter_input):
        data = gql.data(ATTRIBUTES, {"first": 10, "choices": 1, "filter": filter_input})
        return attribute_slugs(data)

    assert listed(inCategory=gid("Category", category.pk)) == ["grade", "net-weight", "origin"]
    # The parent category counts its subcategories' products.
    assert listed(inCategory=gid("Category", category.parent_id)) == [
        "grade", "net-weight", "origin"]
    assert listed(inCategory=gid("Category", grains.pk)) == []
    assert listed() == ["colour", "grade", "net-weight", "origin"]
    where = gql.data(ATTRIBUTES, {"first": 10, "choices": 1,
                                  "where": {"inCategory": gid("Category", grains.pk)}})
    assert attribute_slugs(where) == []


def test_attributes_in_collection(gql, channel, persimmon, secret_draft):
    gifts = Collection.objects.create(name="年货礼盒", slug="gifts")
    CollectionProduct.objects.create(collection=gifts, product=persimmon)
    hidden = Collection.objects.create(name="未发布专题", slug="hidden")
    CollectionProduct.objects.create(collection=hidden, product=persimmon)
    drafts = Collection.objects.create(name="草稿专题", slug="drafts")
    CollectionProduct.objects.create(collection=drafts, product=secret_draft)
    for collection in (gifts, drafts):
        CollectionChannelListing.objects.create(collection=collection, channel=channel,
                                                is_published=True)

    def listed(collection):
        data = gql.data(ATTRIBUTES, {"first": 10, "choices": 5,
                                     "filter": {"inCollection": gid("Collection",
                                                                    collection.pk)}})
        return attribute_slugs(data)

    assert listed(gifts) == ["grade", "net-weight", "origin"]
    # An unpublished collection, or one of drafts only, tells a shopper nothing.
    assert listed(hidden) == []
    assert listed(drafts) == []


def test_attributes_with_choices_in_constant_queries(gql, persimmon):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            data = gql.data(ATTRIBUTES, {"first": 10, "choices": 10})
        return len(ctx.captured_queries), data

    count()  # the first request reads the channel too
    few, _data = count()
    for i in range(4):
        Attribute.objects.create(name=f"属性{i}", slug=f"extra-{i}", sort_order=10 + i)
    count()  # the request after a write reads the kept channel again
    many, data = count()
    assert len(data["attributes"]["edges"]) == 7
    assert many == few


def test_attributes_refusals(gql):
    result = gql.post(ATTRIBUTES, {"choices": 1})
    assert result["data"]["attributes"] is None
    assert "first" in result["errors"][0]["message"]
    nested = {"slug": {"eq": "grade"}}
    for _ in range(7):
        nested = {"AND": [nested]}
    result = gql.post(ATTRIBUTES, {"first": 5, "choices": 1, "where": nested})
    assert result["data"]["attributes"] is None
    assert "nested too deeply" in result["errors"][0]["message"]
    unknown = gql.post(ATTRIBUTES, {"first": 5, "choices": 1, "channel": "nowhere"})
    assert unknown["data"]["attributes"] is None
    assert "nowhere" in unknown["errors"][0]["message"]


def test_nesting_refusal_is_in_chinese(persimmon):
    nested = {"slug": {"eq": "grade"}}
    for _ in range(7):
        nested = {"AND": [nested]}
    result = GraphQLClient(language="zh-hans").post(
        ATTRIBUTES, {"first": 5, "choices": 1, "where": nested})
    assert result["errors"][0]["message"] == "where 条件嵌套过深。"


# The category page of saleor/react-storefront, as it asks ---------------------------------

STOREFRONT_CATEGORY = """
fragment CategoryBasicFragment on Category {
  id name slug translation(languageCode: $locale) { id name }
}
query CategoryBySlug($slug: String!, $locale: LanguageCodeEnum!) {
  category(slug: $slug) {
    ...CategoryBasicFragment
    ancestors(first: 5) { edges { node { ...CategoryBasicFragment } } }
    children(first: 10) { edges { node { ...CategoryBasicFragment } } }
  }
}
"""

STOREFRONT_FILTERS = """
fragment AttributeFilterChoiceFragment on AttributeValue {
  id name slug translation(languageCode: $locale) { name }
}
fragment AttributeFilterFragment on Attribute {
  id inputType name translation(languageCode: $locale) { id name } slug withChoices
  choices(first: 20) { edges { node { ...AttributeFilterChoiceFragment } cursor } }
}
query FilteringAttributesQuery($filter: AttributeFilterInput!, $channel: String!,
                               $locale: LanguageCodeEnum!) {
  attributes(filter: $filter, first: 100, channel: $channel) {
    totalCount
    edges { node { ...AttributeFilterFragment } }
  }
}
"""


def test_storefront_category_page(gql, persimmon, category, secret_draft):
    page = gql.data(STOREFRONT_CATEGORY, {"slug": category.slug, "locale": "ZH_HANS"})
    crumbs = page["category"]["ancestors"]["edges"]
    assert [c["node"]["name"] for c in crumbs] == ["干果坚果"]
    filters = gql.data(STOREFRONT_FILTERS, {"filter": {"inCategory": page["category"]["id"]},
                                            "channel": "default", "locale": "ZH_HANS"})
    # The storefront drops attributes without choices, keeping grade and origin.
    shown = {e["node"]["slug"]: [c["node"]["name"] for c in e["node"]["choices"]["edges"]]
             for e in filters["attributes"]["edges"] if e["node"]["choices"]["edges"]}
    assert shown == {"grade": ["特级", "一级"], "origin": ["河南渑池"]}
    assert all(e["node"]["withChoices"] for e in filters["attributes"]["edges"])
