"""Saleor's translation mutations for the catalogue's own records: ``productTranslate`` and
``productVariantTranslate``. Only the organisation that owns the product (or an operator)
writes them, in English or Tibetan; the original stays on the product in Chinese. Every
write goes through ``content.services.translate_product``."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError

from api.catalog import types as catalog_types
from api.catalog.mutations.base import (
    channel_payload,
    get_managed_product,
    get_managed_variant,
    plain_description,
)
from api.core.mutations import BaseMutation
from api.core.permissions import AUTHENTICATED
from api.core.types import error_type
from content import services as content_services
from content.error_codes import TranslationErrorCode as TranslationErrorCodeEnum

from .languages import LanguageCodeEnum, stored_language

TranslationErrorCode = graphene.Enum.from_enum(TranslationErrorCodeEnum)
TranslationError = error_type("TranslationError", TranslationErrorCode)


class TranslationInput(graphene.InputObjectType):
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String()
    description = graphene.JSONString(description="Translated description (EditorJS JSON or "
                                                  "plain text).")


class NameTranslationInput(graphene.InputObjectType):
    name = graphene.String()


class TranslationMutation(BaseMutation):
    error_type_class = TranslationError
    error_code_enum = TranslationErrorCodeEnum

    class Meta:
        abstract = True


class ProductTranslate(TranslationMutation):
    product = graphene.Field(catalog_types.Product)

    class Arguments:
        id = graphene.ID(required=True, description="Product ID.")
        language_code = graphene.Argument(LanguageCodeEnum, required=True,
                                          description="Translation language code.")
        input = TranslationInput(required=True)

    class Meta:
        description = ("Creates/updates translations for a product: the fields given are "
                       "written (an empty one is cleared), the others kept.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, language_code, input):
        product = get_managed_product(info, id)
        description = input.get("description")
        content_services.translate_product(
            product.organization, product, stored_language(language_code),
            name=input.get("name"), seo_title=input.get("seo_title"),
            seo_description=input.get("seo_description"),
            description=None if description is None else plain_description(description))
        return cls(product=channel_payload(product, info))


class ProductVariantTranslate(TranslationMutation):
    product_variant = graphene.Field(catalog_types.ProductVariant)

    class Arguments:
        id = graphene.ID(required=True, description="Product variant ID.")
        language_code = graphene.Argument(LanguageCodeEnum, required=True,
                                          description="Translation language code.")
        input = NameTranslationInput(required=True)

    class Meta:
        description = "Creates/updates translations for a product variant."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, language_code, input):
        variant = get_managed_variant(info, id)
        product = variant.product
        try:
            content_services.translate_product(
                product.organization, product, stored_language(language_code),
                variant_names=None if input.get("name") is None else {variant.pk: input["name"]})
        except ValidationError as error:
            # The service names a variant's field after the variant; here it is the input's.
            raise ValidationError({"name" if field == f"variant_{variant.pk}" else field: errors
                                   for field, errors in error.error_dict.items()}) from None
        return cls(product_variant=channel_payload(variant, info))


class TranslationMutations(graphene.ObjectType):
    product_translate = ProductTranslate.Field()
    product_variant_translate = ProductVariantTranslate.Field()
