import graphene
from django.utils.translation import gettext as _

from api.core.connection import connection_args, paginate
from api.core.ids import resolve_global_id
from api.core.permissions import current_user, is_order_staff, refuse, require_user
from shop import notifications as shop_notifications
from shop import services as shop_services
from shop.models import Channel as ChannelModel
from shop.models import Notification as NotificationModel

from . import types
from .resolvers import viewable_orders
from .types.country_codes import CountryCode
from .types.payments import AddressValidationData, address_rules
from .types.shop import Shop


class OrderFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(types.PavilionOrderStatus),
                           description="The pavilion's statuses (pavilionStatus).")
    numbers = graphene.List(graphene.NonNull(graphene.String))
    customer = graphene.String(description="E-mail of the buyer (contains).")


class NotificationFilterInput(graphene.InputObjectType):
    organization = graphene.ID(description="Only those sent to this one of your organisations.")
    unread = graphene.Boolean(description="Only unread (true) or only read (false) ones.")
    kinds = graphene.List(graphene.NonNull(graphene.String))


class ShopQueries(graphene.ObjectType):
    channels = graphene.List(graphene.NonNull(types.Channel), description="List of channels.")
    channel = graphene.Field(types.Channel, slug=graphene.String(), id=graphene.ID())
    me = graphene.Field(types.User, description="The signed-in user.")
    checkout = graphene.Field(types.Checkout, id=graphene.ID(), token=graphene.UUID(),
                              description="Look up a checkout by its ID or token.")
    order = graphene.Field(types.Order, id=graphene.ID(), external_reference=graphene.String(),
                           description="An order: for its buyer, its sellers and staff.")
    order_by_token = graphene.Field(
        types.Order, token=graphene.UUID(required=True, description="The order's token."),
        deprecation_reason="Use `order(id:)`. An order by its `token` (Saleor's older "
                           "storefronts): for its buyer, its sellers and staff only.")
    address_validation_rules = graphene.Field(
        AddressValidationData, country_code=graphene.Argument(CountryCode, required=True),
        country_area=graphene.String(), city=graphene.String(), city_area=graphene.String(),
        description="The address rules of a country (China: provinces, cities, districts).")
    shop = graphene.Field(Shop, required=True, description="The shop as a whole.")
    orders = graphene.Field(
        types.OrderCountableConnection,
        **connection_args(filter=OrderFilterInput()),
        description="Orders: staff see all, a cooperative the orders holding its lines.",
    )
    notifications = graphene.Field(
        types.NotificationCountableConnection,
        **connection_args(filter=NotificationFilterInput()),
        description="Messages to you and to your organisations, newest first.",
    )

    @staticmethod
    def resolve_shop(_root, _info):
        return Shop()

    @staticmethod
    def resolve_channels(_root, _info):
        return list(ChannelModel.objects.filter(is_active=True))

    @staticmethod
    def resolve_channel(_root, _info, slug=None, id=None):
        if id is not None:
            _type, pk = resolve_global_id(id, "Channel")
            return ChannelModel.objects.filter(pk=pk, is_active=True).first()
        return ChannelModel.objects.filter(slug=slug, is_active=True).first()

    @staticmethod
    def resolve_me(_root, info):
        return current_user(info)

    @staticmethod
    def resolve_checkout(_root, info, id=None, token=None):
        if id is not None:
            _type, token = resolve_global_id(id, "Checkout")
        if token is None:
            return None
        checkout = shop_services.get_checkout(token)
        if checkout is None:
            return None
        viewer = current_user(info)
        # A signed-in buyer's checkout is theirs alone; a guest checkout is reached by its
        # unguessable token.
        if checkout.user_id and not (viewer and (viewer.pk == checkout.user_id
                                                 or is_order_staff(viewer))):
            return None
        return checkout

    @staticmethod
    def resolve_address_validation_rules(_root, _info, country_code, country_area=None,
                                         city=None, city_area=None):
        return address_rules(country_code, country_area or "", city or "")

    @staticmethod
    def resolve_order(_root, info, id=None, external_reference=None):
        if id is None:
            return None  # orders carry no external reference here
        _type, pk = resolve_global_id(id, "Order")
        if not str(pk).isdigit():
            return None
        return viewable_orders(info).filter(pk=pk).first()

    @staticmethod
    def resolve_order_by_token(_root, info, token):
        return viewable_orders(info).filter(checkout_token=token).first()

    @staticmethod
    def resolve_orders(_root, info, filter=None, **kwargs):
        require_user(info)
        qs = viewable_orders(info)
        if filter:
            if filter.get("status"):
                qs = qs.filter(status__in=[getattr(s, "value", s) for s in filter["status"]])
            if filter.get("numbers"):
                qs = qs.filter(number__in=[int(n) for n in filter["numbers"] if n.isdigit()])
            if filter.get("customer"):
                qs = qs.filter(user_email__icontains=filter["customer"])
        return paginate(qs, kwargs, types.OrderCountableConnection, ["number"], descending=True,
                        connection_name="orders")

    @staticmethod
    def resolve_notifications(_root, info, filter=None, **kwargs):
        user = require_user(info)
        qs = NotificationModel.objects.filter(shop_notifications.visible_to(user))
        filter = filter or {}
        if filter.get("organization"):
            _type, pk = resolve_global_id(filter["organization"], "Organization")
            if not pk.isdigit() or int(pk) not in user.organization_ids():
                refuse(_("You can only read your own organisations' notifications"))
            qs = qs.filter(organization_id=int(pk))
        if filter.get("unread") is not None:
            qs = qs.filter(read_at__isnull=filter["unread"])
        if filter.get("kinds"):
            qs = qs.filter(kind__in=filter["kinds"])
        return paginate(qs, kwargs, types.NotificationCountableConnection, ["created_at"],
                        descending=True, connection_name="notifications")
