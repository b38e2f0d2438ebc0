"""Who a checkout belongs to, its delivery options and its metadata (Saleor's
checkoutCustomerAttach/Detach, deliveryOptionsCalculate, updateMetadata on a checkout)."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import resolve_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import AUTHENTICATED, current_user
from api.core.types import error_type
from shop import services

from .. import types
from ..types.payments import Delivery
from .checkout import CheckoutErrorMutation, CheckoutMutation, _checkout

MAX_METADATA_KEYS = 50


class CheckoutCustomerAttach(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()

    class Meta:
        description = "Sets the signed-in customer as the owner of the checkout."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id=None, token=None):
        user = current_user(info)
        checkout = _checkout(info, id, token)
        return cls(checkout=services.assign_checkout_to_user(checkout, user))


class CheckoutCustomerDetach(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()

    class Meta:
        description = "Removes the customer from the checkout (it becomes a guest's)."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id=None, token=None):
        checkout = _checkout(info, id, token)
        if checkout.user_id is not None:
            checkout.user = None
            checkout.save(update_fields=["user", "updated_at"])
        return cls(checkout=checkout)


class DeliveryOptionsCalculate(CheckoutErrorMutation):
    deliveries = graphene.List(graphene.NonNull(Delivery), required=True)

    class Arguments:
        id = graphene.ID(required=True, description="The checkout's ID.")

    class Meta:
        description = "The shipping methods that deliver the checkout to its address, priced."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        checkout = _checkout(info, id)
        return cls(deliveries=[
            Delivery(id=graphene.relay.Node.to_global_id("ShippingMethod", method.pk),
                     shipping_method=(method, price))
            for method, price in services.available_shipping_methods(checkout)])


class MetadataErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    NOT_UPDATED = "not_updated"


MetadataError = error_type("MetadataError", MetadataErrorCode)


class MetadataInput(graphene.InputObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(required=True, description="Value of a metadata item.")


class ObjectWithMetadata(graphene.Union):
    class Meta:
        types = (types.Checkout,)


class UpdateMetadata(BaseMutation):
    item = graphene.Field(ObjectWithMetadata)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a checkout (the public metadata "
                                                    "a storefront may keep).")
        input = graphene.List(graphene.NonNull(MetadataInput), required=True)

    class Meta:
        description = "Updates public metadata of a checkout."
        error_type_class = MetadataError
        error_code_enum = None

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        try:
            type_name, _pk = resolve_global_id(id)
        except Exception:  # noqa: BLE001
            type_name = ""
        if type_name != "Checkout":
            raise ValidationError({"id": ValidationError(
                _("Metadata can be kept on checkouts only."), code="not_found")})
        checkout = _checkout(info, id)
        metadata = dict(checkout.metadata)
        for item in input:
            key = item["key"].strip()
            if not key or len(key) > 128 or len(item["value"]) > 1024:
                raise ValidationError({"input": ValidationError(
                    _("Metadata keys are 1-128 characters, values at most 1024."),
                    code="invalid")})
            metadata[key] = item["value"]
        if len(metadata) > MAX_METADATA_KEYS:
            raise ValidationError({"input": ValidationError(
                _("A checkout keeps at most %(n)s metadata keys.") % {"n": MAX_METADATA_KEYS},
                code="invalid")})
        checkout.metadata = metadata
        checkout.save(update_fields=["metadata", "updated_at"])
        return cls(item=checkout)
