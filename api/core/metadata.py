"""Saleor's metadata fields (``metadata``, ``metafield``, ``metafields`` and their private
twins) and ``MetadataFilter``, for the types whose records may carry a ``metadata`` JSON
object. Where a model keeps none (the catalogue, the story pages, the menus), the fields
answer what Saleor answers for a record nobody annotated: an empty list, null, an empty
object; a metadata filter then matches nothing. Private metadata is never kept here, so
the private fields are empty for everyone."""

from __future__ import annotations

import graphene
from django.db.models import Q
from graphene.types.generic import GenericScalar


class MetadataItem(graphene.ObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(required=True, description="Value of a metadata item.")


class Metadata(GenericScalar):
    """Metadata as a JSON object of string keys and string values."""


class MetadataFilter(graphene.InputObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(description="Value of a metadata item; any value when left out.")


def public_metadata(root) -> dict:
    """The ``metadata`` object of ``root``'s record (``root`` or a channel's view of it)."""
    record = getattr(root, "node", root)
    data = getattr(record, "metadata", None)
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _keys_arg():
    return graphene.List(graphene.NonNull(graphene.String),
                         description="Keys to read; all of them when left out.")


class ObjectWithMetadata:
    """A mixin of an ObjectType: Saleor's metadata fields, read from the record's
    ``metadata`` when it has one."""

    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True,
                             description="List of public metadata items.")
    metafield = graphene.String(key=graphene.String(required=True),
                                description="A public metadata value by its key.")
    metafields = graphene.Field(Metadata, keys=_keys_arg(),
                                description="Public metadata as one object.")
    private_metadata = graphene.List(graphene.NonNull(MetadataItem), required=True,
                                     description="List of private metadata items (none are "
                                                 "kept here).")
    private_metafield = graphene.String(key=graphene.String(required=True),
                                        description="A private metadata value (none are "
                                                    "kept here).")
    private_metafields = graphene.Field(Metadata, keys=_keys_arg(),
                                        description="Private metadata (none are kept here).")

    @staticmethod
    def resolve_metadata(root, _info):
        return [MetadataItem(key=k, value=v) for k, v in sorted(public_metadata(root).items())]

    @staticmethod
    def resolve_metafield(root, _info, key):
        return public_metadata(root).get(key)

    @staticmethod
    def resolve_metafields(root, _info, keys=None):
        data = public_metadata(root)
        return data if keys is None else {k: v for k, v in data.items() if k in keys}

    resolve_private_metadata = staticmethod(lambda _root, _info: [])
    resolve_private_metafield = staticmethod(lambda _root, _info, key: None)
    resolve_private_metafields = staticmethod(lambda _root, _info, keys=None: {})


def metadata_q(model, filters) -> Q:
    """Records whose metadata holds every ``filters`` item (a key, with its value when one
    is given); none at all for a model that keeps no metadata."""
    if not filters:
        return Q()
    if not any(f.name == "metadata" for f in model._meta.get_fields()):
        return Q(pk__in=[])
    q = Q()
    for item in filters:
        if item.get("value") is None:
            q &= Q(metadata__has_key=item["key"])
        else:
            q &= Q(metadata__contains={item["key"]: item["value"]})
    return q
