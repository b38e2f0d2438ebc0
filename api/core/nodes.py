"""The one base of the API's model-backed Relay nodes (Saleor's ModelObjectType).

A type declares ``Meta.model`` (and ``channel_scoped = True`` when it travels as a
``ChannelContext``) plus its visibility rule; the base gives it ``is_type_of``, its ID and
``node(id:)`` resolution:

- ``get_queryset(info)``: the rows the caller may fetch by ID (``None``, the default: the
  type is not fetched by ID at all);
- ``can_view(info, instance)``: a per-row check on top of the queryset (ownership);
- ``get_node(info, pk)``: override only where the lookup itself is special.
"""

from __future__ import annotations

import graphene
from django.conf import settings
from graphene.types.objecttype import ObjectTypeOptions
from graphene.types.resolver import dict_or_attr_resolver

from .context import ChannelContext


class ModelObjectTypeOptions(ObjectTypeOptions):
    model = None
    channel_scoped = False


def node_attribute_resolver(attname, default_value, root, info, **args):
    """Graphene's default resolver, reading fields from the node inside a ChannelContext."""
    target = root.node if isinstance(root, ChannelContext) else root
    return dict_or_attr_resolver(attname, default_value, target, info, **args)


class ModelObjectType(graphene.ObjectType):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, model=None, channel_scoped=False, _meta=None,
                                    **options):
        if _meta is None:
            _meta = ModelObjectTypeOptions(cls)
        _meta.model = model
        _meta.channel_scoped = channel_scoped
        if channel_scoped:
            options.setdefault("default_resolver", node_attribute_resolver)
        options.setdefault("interfaces", (graphene.relay.Node,))
        super().__init_subclass_with_meta__(_meta=_meta, **options)

    @classmethod
    def instance_of(cls, root):
        """The model instance inside a resolved value (``None`` when there is none)."""
        if cls._meta.channel_scoped:
            return root.node if isinstance(root, ChannelContext) else None
        return root

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(cls.instance_of(root), cls._meta.model)

    @classmethod
    def resolve_id(cls, root, _info):
        return cls.instance_of(root).pk

    @classmethod
    def get_queryset(cls, info):
        return None

    @classmethod
    def can_view(cls, info, instance) -> bool:
        return True

    @classmethod
    def get_node(cls, info, id):
        queryset = cls.get_queryset(info)
        if queryset is None:
            return None
        instance = queryset.filter(pk=id).first()
        if instance is None or not cls.can_view(info, instance):
            return None
        if cls._meta.channel_scoped:
            return ChannelContext(instance, settings.DEFAULT_CHANNEL_SLUG)
        return instance
