import graphene


class LivestreamQueries(graphene.ObjectType):
    """Queries of the livestream app; its issue fills them in."""
