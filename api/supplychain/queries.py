import graphene


class SupplyChainQueries(graphene.ObjectType):
    """Queries of the supplychain app; its issue fills them in."""
