"""Product images: uploaded as multipart requests, put in order (the first one is the
product's thumbnail)."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene_file_upload.scalars import Upload

from api.core.ids import pk_from_global_id
from api.core.permissions import AUTHENTICATED
from catalog import services as catalog_services

from .. import types
from .base import E, ProductMutation, channel_payload, get_managed_product


class ProductMediaCreateInput(graphene.InputObjectType):
    product = graphene.ID(required=True, description="ID of a product.")
    image = Upload(description="Represents an image file in a multipart request.")
    alt = graphene.String(description="Alt text for a product media.")
    media_url = graphene.String(description="Represents an URL to an external media.")


class ProductMediaCreate(ProductMutation):
    product = graphene.Field(types.Product)
    media = graphene.Field(types.ProductMedia)

    class Arguments:
        input = ProductMediaCreateInput(required=True)

    class Meta:
        description = "Create a media object (image) for a product, from a multipart upload."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        product = get_managed_product(info, input["product"], "product")
        if input.get("media_url"):
            raise ValidationError({"mediaUrl": ValidationError(
                _("External media are not supported; upload the image file."),
                code=E.UNSUPPORTED_MEDIA_PROVIDER.value)})
        image = input.get("image")
        if image is None or not hasattr(image, "read"):
            raise ValidationError({"image": ValidationError(
                _("Upload an image file."), code=E.REQUIRED.value)})
        media = catalog_services.add_product_media(product, image, input.get("alt") or "")
        return cls(product=channel_payload(product, info), media=media)


class ProductMediaReorder(ProductMutation):
    product = graphene.Field(types.Product)
    media = graphene.List(graphene.NonNull(types.ProductMedia))

    class Arguments:
        product_id = graphene.ID(required=True,
                                 description="ID of product that media order will be altered.")
        media_ids = graphene.List(graphene.NonNull(graphene.ID), required=True,
                                  description="IDs of a product media in the desired order.")

    class Meta:
        description = "Changes ordering of the product media; the first one is the thumbnail."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, product_id, media_ids):
        product = get_managed_product(info, product_id, "productId")
        pks = [pk_from_global_id(media_id, "ProductMedia", "mediaIds") for media_id in media_ids]
        media = catalog_services.reorder_product_media(product.organization, product, pks)
        return cls(product=channel_payload(product, info), media=media)
