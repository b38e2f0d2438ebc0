"""Bad product input is a field error with Saleor's code, never a database error, and
changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import AttributeValue
from supplychain.models import Household, SourcingLot
from tests.catalog.mutations import (
    PRODUCT_CREATE,
    PRODUCT_DELETE,
    PRODUCT_UPDATE,
    SHOP_PRODUCTS,
    assert_field_error,
    snapshot,
)
from tests.factories import gid, make_product

pytestmark = pytest.mark.django_db


def test_duplicate_slug_is_refused(gql_as, coop_user, persimmon, create_input):
    create_input["slug"] = persimmon.slug
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "slug", "UNIQUE", "product")
    assert snapshot() == before


def test_duplicate_slug_on_update_is_refused(gql_as, coop_user, coop, product_type, category,
                                             channel, persimmon):
    other = make_product(coop, product_type, category, channel, "核桃", "walnut", ["10.00"])
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", other.pk),
                                                     "input": {"slug": persimmon.slug}})
    assert_field_error(result, "productUpdate", "slug", "UNIQUE", "product")
    assert snapshot() == before


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_required(gql_as, coop_user, create_input, name):
    create_input["name"] = name
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "name", "REQUIRED", "product")
    assert snapshot() == before


def test_missing_name_is_required(gql_as, coop_user, create_input):
    del create_input["name"]
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "name", "REQUIRED", "product")
    assert snapshot() == before


def test_clearing_name_on_update_is_refused(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", persimmon.pk),
                                                     "input": {"name": ""}})
    assert_field_error(result, "productUpdate", "name", "REQUIRED", "product")
    assert snapshot() == before


@pytest.mark.parametrize("product_type_id,code", [
    (gid("ProductType", 999999), "NOT_FOUND"),
    (gid("Category", 1), "GRAPHQL_ERROR"),
    ("not-an-id", "GRAPHQL_ERROR"),
])
def test_invalid_product_type_is_a_field_error(gql_as, coop_user, create_input,
                                               product_type_id, code):
    create_input["productType"] = product_type_id
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "productType", code, "product")
    assert snapshot() == before


def test_unknown_category_is_a_field_error(gql_as, coop_user, create_input):
    create_input["category"] = gid("Category", 999999)
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "category", "NOT_FOUND", "product")
    assert snapshot() == before


@pytest.mark.parametrize("attributes", [
    [{"slug": "grade", "values": ["特级"]}],     # a variant attribute, not a product one
    [{"slug": "no-such-attribute", "values": ["x"]}],
])
def test_attribute_not_on_product_type_is_invalid(gql_as, coop_user, create_input, attributes):
    create_input["attributes"] = attributes
    before = snapshot()
    values_before = AttributeValue.objects.count()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "attributes", "INVALID", "product")
    assert snapshot() == before
    assert AttributeValue.objects.count() == values_before


def test_attribute_not_on_product_type_by_id_is_invalid(gql_as, coop_user, product_type,
                                                        create_input):
    grade = product_type.variant_attributes.get(slug="grade")
    create_input["attributes"] = [{"id": gid("Attribute", grade.pk), "values": ["特级"]}]
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "attributes", "INVALID", "product")
    assert snapshot() == before


def test_invalid_attribute_on_update_changes_nothing(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", persimmon.pk), "input": {
        "name": "新名字", "attributes": [{"slug": "grade", "values": ["特级"]}]}})
    assert_field_error(result, "productUpdate", "attributes", "INVALID", "product")
    assert snapshot() == before


def test_unknown_product_id_is_not_found(gql_as, coop_user):
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", 999999),
                                                     "input": {"name": "x"}})
    assert_field_error(result, "productUpdate", "id", "NOT_FOUND", "product")
    result = gql_as(coop_user).post(PRODUCT_DELETE, {"id": gid("ProductVariant", 1)})
    assert_field_error(result, "productDelete", "id", "GRAPHQL_ERROR", "product")


@pytest.mark.parametrize("extra,field", [
    ({"slug": "a" * 256}, "slug"),
    ({"seo": {"title": "柿" * 71}}, "seoTitle"),
    ({"seo": {"description": "柿" * 301}}, "seoDescription"),
    ({"attributes": [{"slug": "origin", "values": ["长" * 129]}]}, "attributes"),
])
def test_too_long_text_is_a_field_error_not_a_database_error(
    gql_as, coop_user, create_input, extra, field
):
    create_input.update(extra)
    before = snapshot()
    values_before = AttributeValue.objects.count()
    result = gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input})
    assert_field_error(result, "productCreate", field, "INVALID", "product")
    assert snapshot() == before
    assert AttributeValue.objects.count() == values_before


def test_too_long_seo_title_on_update_is_a_field_error(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", persimmon.pk),
                                                     "input": {"seo": {"title": "x" * 71}}})
    assert_field_error(result, "productUpdate", "seoTitle", "INVALID", "product")
    assert snapshot() == before


def test_blank_slug_on_update_is_required_not_silently_replaced(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", persimmon.pk),
                                                     "input": {"slug": "  "}})
    assert_field_error(result, "productUpdate", "slug", "REQUIRED", "product")
    assert snapshot() == before


def test_product_with_traceability_records_cannot_be_deleted(gql, gql_as, coop_user, coop,
                                                             persimmon):
    """A product whose harvest was bought in (a sourcing lot) keeps its trace: deleting it
    is refused with a clear error, not a database exception, and it stays on sale."""
    household = Household.objects.create(organization=coop, head_name="张三", village="坡头村")
    SourcingLot.objects.create(
        organization=coop, lot_number="MC-2024-001", product=persimmon, household=household,
        harvested_on=timezone.localdate(), received_at=timezone.now(),
        quantity_kg=Decimal("100"), unit_price=Decimal("5.00"), amount=Decimal("500.00"))
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_DELETE, {"id": gid("Product", persimmon.pk)})
    error = assert_field_error(result, "productDelete", None, "INVALID", "product")
    assert "ProtectedError" not in error["message"] and "SourcingLot" not in error["message"]
    assert snapshot() == before
    assert [e["node"]["slug"] for e in gql.data(SHOP_PRODUCTS)["products"]["edges"]] == [
        persimmon.slug]
