"""Collections (专题), for the pavilion's operators, in Saleor's names and shapes:
``collectionCreate``/``Update``/``Delete``, ``collectionAddProducts``/``RemoveProducts``/
``ReorderProducts`` and ``collectionChannelListingUpdate``, over ``catalog.curation``,
answering ``CollectionError`` (with the ``products`` an error is about)."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError

from api.core.ids import to_global_id
from api.core.types import error_type
from catalog import curation, models
from catalog.error_codes import CollectionErrorCode as CollectionErrorCodeEnum
from catalog.error_codes import ProductErrorCode as ProductErrorCodeEnum
from shop.models import Channel

from .. import types
from .base import OperatorMutation, ProductErrorCode, detail_changes, get_instance
from .products import SeoInput

CollectionErrorCode = graphene.Enum.from_enum(CollectionErrorCodeEnum)
CollectionError = error_type(
    "CollectionError", CollectionErrorCode,
    products=graphene.List(graphene.NonNull(graphene.ID),
                           description="List of products IDs which causes the error."),
)
CollectionChannelListingError = error_type(
    "CollectionChannelListingError", ProductErrorCode,
    channels=graphene.List(graphene.NonNull(graphene.ID)),
)


def _flat(error: ValidationError) -> list[ValidationError]:
    if hasattr(error, "error_dict"):
        return [err for errors in error.error_dict.values() for err in errors]
    return list(error.error_list)


class CollectionMutation(OperatorMutation):
    """A collection payload; errors are ``CollectionError``, with the products an error is
    about."""

    error_type_class = CollectionError
    error_code_enum = CollectionErrorCodeEnum
    node_field = "collection"
    collection = graphene.Field(types.Collection)

    class Meta:
        abstract = True

    @classmethod
    def handle_errors(cls, error: ValidationError):
        response = super().handle_errors(error)
        for item, err in zip(response.errors, _flat(error), strict=False):
            products = (err.params or {}).get("products")
            if products:
                item.products = [to_global_id("Product", pk) for pk in products]
        return response


def _collection(global_id: str, field: str = "id") -> models.Collection:
    return get_instance(models.Collection, global_id, "Collection", field)


def _products(global_ids, field: str = "products") -> list[models.Product]:
    return [get_instance(models.Product, global_id, "Product", field)
            for global_id in dict.fromkeys(global_ids or ())]


class CollectionInput(graphene.InputObjectType):
    name = graphene.String(description="Name of the collection.")
    slug = graphene.String(description="Slug of the collection; from the name's pinyin when "
                                       "left out of a new collection.")
    description = graphene.JSONString(description="Description of the collection (EditorJS "
                                                  "JSON or text).")
    seo = SeoInput(description="Search engine optimization fields.")


class CollectionCreateInput(CollectionInput):
    products = graphene.List(graphene.NonNull(graphene.ID),
                             description="List of products to be added to the collection.")


class CollectionCreate(CollectionMutation):
    class Arguments:
        input = CollectionCreateInput(required=True,
                                      description="Fields required to create a collection.")

    class Meta:
        description = ("Creates a new collection (the pavilion's operators); shown in a "
                       "channel once published there (collectionChannelListingUpdate).")

    @classmethod
    def perform_mutation(cls, _root, info, input):
        changes = detail_changes(input)
        collection = curation.create_collection(
            changes.pop("name", None), products=_products(input.get("products")), **changes)
        return cls.answer(collection, info)


class CollectionUpdate(CollectionMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID of a collection to update.")
        input = CollectionInput(required=True, description="Fields to change.")

    class Meta:
        description = "Updates a collection (the pavilion's operators)."

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        collection = curation.update_collection(_collection(id), **detail_changes(input))
        return cls.answer(collection, info)


class CollectionDelete(CollectionMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID of a collection to delete.")

    class Meta:
        description = ("Deletes a collection (the pavilion's operators); its products stay "
                       "in the catalogue.")

    @classmethod
    def perform_mutation(cls, _root, info, id):
        return cls.answer_deleted(_collection(id), curation.delete_collection, info)


class CollectionProductsMutation(CollectionMutation):
    """Changes a collection's products or their order: the collection named by
    ``collectionId``, then ``change(collection, **the other arguments)``."""

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, _root, info, collection_id, **arguments):
        collection = _collection(collection_id, "collectionId")
        cls.change(collection, **arguments)
        return cls.answer(collection, info)

    @staticmethod
    def change(collection, **arguments):  # pragma: no cover - abstract
        raise NotImplementedError


class ProductsArguments:
    collection_id = graphene.ID(required=True, description="ID of a collection.")
    products = graphene.List(graphene.NonNull(graphene.ID), required=True,
                             description="List of product IDs.")


class CollectionAddProducts(CollectionProductsMutation):
    Arguments = ProductsArguments

    class Meta:
        description = "Adds products to the end of a collection (the pavilion's operators)."

    @staticmethod
    def change(collection, products):
        curation.add_collection_products(collection, _products(products))


class CollectionRemoveProducts(CollectionProductsMutation):
    Arguments = ProductsArguments

    class Meta:
        description = "Removes products from a collection (the pavilion's operators)."

    @staticmethod
    def change(collection, products):
        curation.remove_collection_products(collection, _products(products))


class MoveProductInput(graphene.InputObjectType):
    product_id = graphene.ID(required=True, description="The ID of the product to move.")
    sort_order = graphene.Int(
        description="How many places to move it from where it is: 1 one place towards the "
                    "end, -1 one place towards the start, 0 (or none) not at all.")


class CollectionReorderProducts(CollectionProductsMutation):
    class Arguments:
        collection_id = ProductsArguments.collection_id
        moves = graphene.List(graphene.NonNull(MoveProductInput), required=True,
                              description="The moves, applied in turn.")

    class Meta:
        description = "Reorders the products of a collection (the pavilion's operators)."

    @staticmethod
    def change(collection, moves):
        curation.reorder_collection_products(collection, [
            (get_instance(models.Product, move["product_id"], "Product", "moves"),
             move.get("sort_order") or 0) for move in moves])


class PublishableChannelListingInput(graphene.InputObjectType):
    channel_id = graphene.ID(required=True, description="ID of a channel.")
    is_published = graphene.Boolean(description="Whether the collection is shown there.")


class CollectionChannelListingUpdateInput(graphene.InputObjectType):
    add_channels = graphene.List(graphene.NonNull(PublishableChannelListingInput),
                                 description="Channels to show (or hide) the collection in.")
    remove_channels = graphene.List(graphene.NonNull(graphene.ID),
                                    description="Channels to withdraw the collection from.")


class CollectionChannelListingUpdate(CollectionMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID of a collection to update.")
        input = CollectionChannelListingUpdateInput(required=True)

    class Meta:
        description = ("Shows or hides a collection in channels' storefronts (the pavilion's "
                       "operators).")
        error_type_class = CollectionChannelListingError
        error_code_enum = ProductErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        collection = _collection(id)
        for item in input.get("add_channels") or ():
            channel = get_instance(Channel, item["channel_id"], "Channel", "addChannels")
            curation.set_collection_published(collection, channel,
                                              bool(item.get("is_published")))
        removed = [get_instance(Channel, gid, "Channel", "removeChannels")
                   for gid in input.get("remove_channels") or ()]
        if removed:
            curation.remove_collection_channels(collection, removed)
        return cls.answer(collection, info)
