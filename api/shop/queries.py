import graphene

from api.core.permissions import current_user
from shop.models import Channel as ChannelModel

from . import types


class ShopQueries(graphene.ObjectType):
    channels = graphene.List(graphene.NonNull(types.Channel), description="List of channels.")
    channel = graphene.Field(types.Channel, slug=graphene.String(), id=graphene.ID())
    me = graphene.Field(types.User, description="The signed-in user.")

    @staticmethod
    def resolve_channels(_root, _info):
        return list(ChannelModel.objects.filter(is_active=True))

    @staticmethod
    def resolve_channel(_root, _info, slug=None, id=None):
        if id is not None:
            from api.core.ids import resolve_global_id

            _type, pk = resolve_global_id(id, "Channel")
            return ChannelModel.objects.filter(pk=pk, is_active=True).first()
        return ChannelModel.objects.filter(slug=slug, is_active=True).first()

    @staticmethod
    def resolve_me(_root, info):
        return current_user(info)
