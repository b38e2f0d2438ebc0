"""Channels, organisations, users and notifications."""

import graphene

from api.core.connection import CountableConnection, connection_args, paginate
from api.core.nodes import ModelObjectType
from api.core.permissions import current_user, is_order_staff
from shop import models, notifications

from .. import dataloaders as dl


class CountryDisplay(graphene.ObjectType):
    code = graphene.String(required=True)
    country = graphene.String(required=True)


class Channel(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    currency_code = graphene.String(required=True)
    default_country = graphene.Field(CountryDisplay, required=True)
    is_active = graphene.Boolean(required=True)

    class Meta:
        model = models.Channel

    @staticmethod
    def resolve_default_country(root, _info):
        names = {"CN": "中国"}
        return CountryDisplay(code=root.default_country,
                              country=names.get(root.default_country, root.default_country))


    @classmethod
    def get_queryset(cls, info):
        return models.Channel.objects.filter(is_active=True)


class OrganizationKindEnum(graphene.Enum):
    COOPERATIVE = "cooperative"
    ENTERPRISE = "enterprise"
    BRAND_AUTHORITY = "brand_authority"
    OPERATOR = "operator"


class Organization(ModelObjectType):
    """Who sells or governs: a cooperative, an enterprise, the brand authority, the
    operator (a county-pavilion extension)."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.Field(OrganizationKindEnum, required=True)
    county = graphene.String()
    description = graphene.String()

    class Meta:
        model = models.Organization

    @staticmethod
    def resolve_kind(root, _info):
        return root.kind


    @classmethod
    def get_queryset(cls, info):
        return models.Organization.objects.filter(is_active=True)


class MembershipRoleEnum(graphene.Enum):
    ADMIN = "admin"
    MEMBER = "member"


class OrganizationMembership(graphene.ObjectType):
    organization = graphene.Field(Organization, required=True)
    role = graphene.Field(MembershipRoleEnum, required=True)


class User(ModelObjectType):
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    is_active = graphene.Boolean(required=True)
    language_code = graphene.String(required=True)
    date_joined = graphene.DateTime(required=True)
    last_login = graphene.DateTime()
    organizations = graphene.List(
        graphene.NonNull(OrganizationMembership), required=True,
        description="Organisations this user belongs to, with the role in each.",
    )
    orders = graphene.Field("api.shop.types.orders.OrderCountableConnection", **connection_args(),
                            description="The user's orders, newest first.")

    class Meta:
        model = models.User

    @staticmethod
    def resolve_organizations(root, _info):
        return [
            OrganizationMembership(organization=m.organization, role=m.role)
            for m in root.memberships.select_related("organization").filter(
                organization__is_active=True)
        ]

    @staticmethod
    def resolve_orders(root, info, **kwargs):
        viewer = current_user(info)
        if viewer is None or (viewer.pk != root.pk and not is_order_staff(viewer)):
            return None
        # The connection type is declared in ``orders`` (which imports this module).
        connection = info.return_type.graphene_type
        return paginate(models.Order.objects.filter(user=root), kwargs, connection,
                        ["number"], descending=True, connection_name="orders")


    @classmethod
    def get_node(cls, info, id):
        user = current_user(info)
        if user is not None and (str(user.pk) == str(id) or user.is_operator):
            return models.User.objects.filter(pk=id).first()
        return None


# Notifications ---------------------------------------------------------------------------

class Notification(ModelObjectType):
    """A message to the signed-in user or to one of their organisations (a county-pavilion
    extension): licence decisions, order updates, recalls, broadcast reminders..."""

    kind = graphene.String(required=True, description="What it is about, e.g. order_paid.")
    subject = graphene.String(required=True)
    body = graphene.String(required=True)
    reference = graphene.String(required=True,
                                description="What it refers to, e.g. order:1024.")
    organization = graphene.Field(
        Organization, description="The organisation it was sent to; null when to you.")
    created_at = graphene.DateTime(required=True)
    read_at = graphene.DateTime()
    is_read = graphene.Boolean(required=True)

    class Meta:
        model = models.Notification

    resolve_is_read = staticmethod(lambda root, _info: root.read_at is not None)

    @staticmethod
    def resolve_organization(root, info):
        if root.organization_id is None:
            return None
        return dl.OrganizationByIdLoader(info.context).load(root.organization_id)


    @classmethod
    def get_queryset(cls, info):
        user = current_user(info)
        if user is None:
            return None
        return models.Notification.objects.filter(notifications.visible_to(user))


class NotificationCountableConnection(CountableConnection):
    class Meta:
        node = Notification
