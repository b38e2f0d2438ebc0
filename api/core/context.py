"""Carries the channel down the graph with each node (Saleor's ChannelContext), so that a
nested ``collection.products`` needs no channel argument of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import graphene
from django.core.exceptions import ValidationError
from graphql import GraphQLError

from shop import services as shop_services


@dataclass(frozen=True)
class ChannelContext:
    node: Any
    channel_slug: str


def get_channel_or_error(slug: str | None):
    """The channel named by a query's ``channel`` argument (default when omitted), cached
    per request; an unknown slug is a clear top-level error."""
    try:
        return shop_services.get_channel(slug)
    except ValidationError as error:
        raise GraphQLError(error.message_dict["channel"][0]) from None


def request_channel(info, slug: str | None):
    cache = info.context.__dict__.setdefault("_channels", {})
    if slug not in cache:
        cache[slug] = get_channel_or_error(slug)
    return cache[slug]


def node_attribute_resolver(attname, default_value, root, info, **args):
    """Graphene's default resolver, reading fields from the node inside a ChannelContext."""
    from graphene.types.resolver import dict_or_attr_resolver

    target = root.node if isinstance(root, ChannelContext) else root
    return dict_or_attr_resolver(attname, default_value, target, info, **args)


class ChannelContextType(graphene.ObjectType):
    """A Relay node resolved from ``ChannelContext(model_instance, channel_slug)``: plain
    fields read the instance's attributes, the ID is the instance's pk, and the type is
    recognised by ``Meta.model``."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, model=None, **options):
        cls._model = model
        options.setdefault("default_resolver", node_attribute_resolver)
        options.setdefault("interfaces", (graphene.relay.Node,))
        super().__init_subclass_with_meta__(**options)

    @staticmethod
    def resolve_id(root, _info):
        return root.node.pk

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, ChannelContext) and isinstance(root.node, cls._model)
