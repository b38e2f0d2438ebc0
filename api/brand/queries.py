import graphene


class BrandQueries(graphene.ObjectType):
    """Queries of the brand app; its issue fills them in."""
