import graphene


class SupplyChainMutations(graphene.ObjectType):
    """Mutations of the supplychain app; its issue fills them in."""
