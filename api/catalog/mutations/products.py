"""Creating, changing and deleting products."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.permissions import AUTHENTICATED, current_user, require_organization
from api.core.scalars import PositiveDecimal
from catalog import models
from catalog import services as catalog_services
from shop.models import PRODUCER_KINDS, Organization

from .. import types
from .base import (
    E,
    AttributeValueInput,
    ProductMutation,
    channel_payload,
    clean_attributes,
    get_instance,
    get_managed_product,
    plain_description,
)


class SeoInput(graphene.InputObjectType):
    title = graphene.String()
    description = graphene.String()


class ProductInput(graphene.InputObjectType):
    attributes = graphene.List(graphene.NonNull(AttributeValueInput))
    category = graphene.ID(description="ID of the product's category.")
    description = graphene.JSONString(description="Product description (EditorJS JSON or text).")
    name = graphene.String()
    slug = graphene.String()
    seo = SeoInput()
    weight = PositiveDecimal(description="Weight in kg.")
    rating = graphene.Float()
    pavilion = graphene.ID(description="County pavilion that sells the product (extension).")


class ProductCreateInput(ProductInput):
    product_type = graphene.ID(required=True, description="ID of the type the product is based on.")
    organization = graphene.ID(
        description="Seller organisation (extension); defaults to the caller's only one."
    )


def _product_changes(data: dict) -> dict:
    changes = {}
    for field in ("name", "slug", "weight", "rating"):
        if field in data:
            changes[field] = data[field]
    if "description" in data:
        changes["description"] = plain_description(data["description"])
    if data.get("seo") is not None:
        if "title" in data["seo"]:
            changes["seo_title"] = data["seo"]["title"] or ""
        if "description" in data["seo"]:
            changes["seo_description"] = data["seo"]["description"] or ""
    if "category" in data:
        changes["category"] = (
            get_instance(models.Category, data["category"], "Category", "category")
            if data["category"] else None
        )
    if "pavilion" in data:
        changes["pavilion"] = (
            get_instance(models.Pavilion, data["pavilion"], "Pavilion", "pavilion")
            if data["pavilion"] else None
        )
    if "attributes" in data:
        changes["attributes"] = clean_attributes(data["attributes"])
    return changes


class ProductCreate(ProductMutation):
    product = graphene.Field(types.Product)

    class Arguments:
        input = ProductCreateInput(required=True, description="Fields required to create a product.")

    class Meta:
        description = "Creates a new product."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        user = current_user(info)
        if input.get("organization"):
            organization = get_instance(Organization, input["organization"], "Organization",
                                        "organization", is_active=True)
        else:
            organizations = Organization.objects.filter(
                pk__in=user.organization_ids(), is_active=True,
                kind__in=PRODUCER_KINDS,
            )
            if organizations.count() != 1:
                raise ValidationError({"organization": ValidationError(
                    _("Choose the organisation that sells this product."),
                    code=E.REQUIRED.value)})
            organization = organizations.get()
        require_organization(info, organization.pk)
        product_type = get_instance(models.ProductType, input["product_type"], "ProductType",
                                    "productType")
        changes = _product_changes(input)
        changes.setdefault("name", None)
        product = catalog_services.create_product(organization, product_type, **changes)
        return cls(product=channel_payload(product, info))


class ProductUpdate(ProductMutation):
    product = graphene.Field(types.Product)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a product to update.")
        input = ProductInput(required=True)

    class Meta:
        description = "Updates an existing product."

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        product = get_managed_product(info, id)
        product = catalog_services.update_product(product, **_product_changes(input))
        return cls(product=channel_payload(product, info))


class ProductDelete(ProductMutation):
    product = graphene.Field(types.Product)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a product to delete.")

    class Meta:
        description = "Deletes a product."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        product = get_managed_product(info, id)
        pk = product.pk
        catalog_services.delete_product(product)
        product.pk = pk
        return cls(product=channel_payload(product, info))
