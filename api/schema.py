"""The GraphQL schema: Saleor's storefront names plus the county extensions, composed
from one ``queries`` and one ``mutations`` module per app."""

import graphene

from api.brand.mutations import BrandMutations
from api.brand.queries import BrandQueries
from api.catalog.mutations import CatalogMutations
from api.catalog.queries import CatalogQueries
from api.catalog.types.assigned import ASSIGNED_TYPES
from api.content.mutations import ContentMutations
from api.content.queries import ContentQueries
from api.livestream.mutations import LivestreamMutations
from api.livestream.queries import LivestreamQueries
from api.shop.mutations import ShopMutations
from api.shop.mutations.members import MemberMutations
from api.shop.queries import ShopQueries
from api.shop.types.members import MemberQueries
from api.statistics.queries import StatisticsQueries
from api.supplychain.mutations import SupplyChainMutations
from api.supplychain.queries import SupplyChainQueries
from api.translations.mutations import TranslationMutations


class Query(CatalogQueries, ContentQueries, ShopQueries, SupplyChainQueries, BrandQueries,
            LivestreamQueries, StatisticsQueries, MemberQueries, graphene.ObjectType):
    node = graphene.relay.Node.Field()


class Mutation(CatalogMutations, ShopMutations, SupplyChainMutations, BrandMutations,
               LivestreamMutations, TranslationMutations, MemberMutations, ContentMutations,
               graphene.ObjectType):
    pass


# Types a client reaches only through an interface (``... on AssignedBooleanAttribute``).
schema = graphene.Schema(query=Query, mutation=Mutation, types=ASSIGNED_TYPES)
