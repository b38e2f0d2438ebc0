import graphene


class BrandMutations(graphene.ObjectType):
    """Mutations of the brand app; its issue fills them in."""
