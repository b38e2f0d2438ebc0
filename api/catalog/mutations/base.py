"""What every catalogue mutation shares: the error types, the base mutation (its error
type and code enum), the operators' base for the catalogue's own structure (categories,
collections), looking records up by global ID and checking that the caller manages the
organisation that owns them, and the shapes of input and payload."""

from __future__ import annotations

import json
from html import unescape

import graphene
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from api.core.context import ChannelContext
from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import OPERATOR, require_organization
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


class OperatorMutation(BaseMutation):
    """A change the pavilion's operators make to the catalogue's own structure (a category,
    a collection) through ``catalog.curation``: operators only, and a payload of the one
    node named ``node_field``, shown in the default channel."""

    permissions = (OPERATOR,)
    node_field = ""

    class Meta:
        abstract = True

    @classmethod
    def answer(cls, node, info):
        return cls(**{cls.node_field: channel_payload(node, info)})

    @classmethod
    def answer_deleted(cls, node, delete, info):
        """``delete(node)``, then the payload of what was deleted, with its ID."""
        pk = node.pk
        delete(node)
        node.pk = pk
        return cls.answer(node, info)


def detail_changes(data: dict) -> dict:
    """A category's or a collection's input (name, slug, description, SEO) as
    ``catalog.curation``'s keyword arguments: a field left out or null stays unchanged,
    an SEO text given as null becomes blank."""
    changes = {key: data[key] for key in ("name", "slug") if data.get(key) is not None}
    if data.get("description") is not None:
        changes["description"] = plain_description(data["description"])
    seo = data.get("seo") or {}
    for key, field in (("title", "seo_title"), ("description", "seo_description")):
        if key in seo:
            changes[field] = seo[key] or ""
    return changes


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
    joined with ``separator``. A block's text is HTML (``&amp;``, ``<b>``): kept as the
    plain text it shows, which the API escapes again when it hands the text out."""
    if value is None:
        return ""
    data = value
    if isinstance(value, str):
        try:
            data = json.loads(value)
        except ValueError:
            return value
    if isinstance(data, dict) and isinstance(data.get("blocks"), list):
        return separator.join(unescape(strip_tags(str(block["data"].get("text", ""))))
                              for block in data["blocks"]
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
