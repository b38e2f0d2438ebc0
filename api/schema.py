"""The GraphQL schema: Saleor's storefront names plus the county extensions."""

import graphene

from api.catalog.mutations import CatalogMutations
from api.catalog.queries import CatalogQueries
from api.shop.mutations import ShopMutations
from api.shop.queries import ShopQueries


class Query(CatalogQueries, ShopQueries, graphene.ObjectType):
    node = graphene.relay.Node.Field()


class Mutation(CatalogMutations, ShopMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
