import graphene


class LivestreamMutations(graphene.ObjectType):
    """Mutations of the livestream app; its issue fills them in."""
