"""Channels, organisations and notifications."""

import graphene

from api.core.connection import CountableConnection
from api.core.nodes import ModelObjectType
from api.core.permissions import current_user
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
    countries = graphene.List(graphene.NonNull(CountryDisplay),
                              description="Countries the channel delivers to.")

    class Meta:
        model = models.Channel

    @staticmethod
    def resolve_countries(root, info):
        return [Channel.resolve_default_country(root, info)]

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
