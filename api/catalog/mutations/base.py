"""What every catalogue mutation shares: the error types, the base mutation (its error
type and code enum), looking records up by global ID and checking that the caller manages
the organisation that owns them, and the shapes of input and payload."""

from __future__ import annotations

import json

import graphene
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.context import ChannelContext
from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import require_organization
from api.core.types import error_type
from catalog import models
from catalog.error_codes import ProductErrorCode as ProductErrorCodeEnum


ProductErrorCode = graphene.Enum.from_enum(ProductErrorCodeEnum)
ProductError = error_type(
    "ProductError", ProductErrorCode,
    attributes=graphene.List(graphene.NonNull(graphene.ID)),
    values=graphene.List(graphene.NonNull(graphene.ID)),
)
ProductChannelListingError = error_type(
    "ProductChannelListingError", ProductErrorCode,
    channels=graphene.List(graphene.NonNull(graphene.ID)),
)
E = ProductErrorCodeEnum


class ProductMutation(BaseMutation):
    error_type_class = ProductError
    error_code_enum = ProductErrorCodeEnum

    class Meta:
        abstract = True


def not_found(field: str, message: str | None = None) -> ValidationError:
    return ValidationError({field: ValidationError(
        message or _("Couldn't find the requested object."), code=E.NOT_FOUND.value)})


def get_instance(model, global_id: str, type_name: str, field: str = "id", **filters):
    pk = pk_from_global_id(global_id, type_name, field)
    instance = model.objects.filter(pk=pk, **filters).first()
    if instance is None:
        raise not_found(field, _("Couldn't resolve to a node: %(id)s") % {"id": global_id})
    return instance


def plain_description(value, separator: str = "\n") -> str:
    """Accept EditorJS JSON (as Saleor clients send) or plain text; the blocks' texts are
    joined with ``separator``."""
    if value is None:
        return ""
    data = value
    if isinstance(value, str):
        try:
            data = json.loads(value)
        except ValueError:
            return value
    if isinstance(data, dict) and isinstance(data.get("blocks"), list):
        return separator.join(str(block["data"].get("text", "")) for block in data["blocks"]
                              if isinstance(block, dict) and isinstance(block.get("data"), dict))
    return str(data) if not isinstance(data, str) else data


def clean_attributes(items) -> list[dict] | None:
    if items is None:
        return None
    cleaned = []
    for item in items:
        entry = {"values": list(item.get("values") or [])}
        if item.get("id"):
            entry["id"] = pk_from_global_id(item["id"], "Attribute", "attributes")
        elif item.get("slug"):
            entry["slug"] = item["slug"]
        else:
            raise ValidationError({"attributes": ValidationError(
                _("Give each attribute an id or a slug."), code=E.REQUIRED.value)})
        cleaned.append(entry)
    return cleaned


def channel_payload(node, _info) -> ChannelContext:
    """Mutation payloads show the node in the default channel (as Saleor does)."""
    return ChannelContext(node, settings.DEFAULT_CHANNEL_SLUG)


class AttributeValueInput(graphene.InputObjectType):
    id = graphene.ID(description="ID of the attribute.")
    slug = graphene.String(description="Slug of the attribute (extension).")
    values = graphene.List(graphene.NonNull(graphene.String),
                           description="The value or values of the attribute.")


def get_managed_product(info, global_id: str, field: str = "id") -> models.Product:
    product = get_instance(models.Product, global_id, "Product", field)
    require_organization(info, product.organization_id)
    return product


def get_managed_variant(info, global_id: str, field: str = "id") -> models.ProductVariant:
    variant = get_instance(models.ProductVariant, global_id, "ProductVariant", field)
    require_organization(info, variant.product.organization_id)
    return variant
