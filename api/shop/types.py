import graphene

from api.core.permissions import current_user
from shop import models


class CountryDisplay(graphene.ObjectType):
    code = graphene.String(required=True)
    country = graphene.String(required=True)


class Channel(graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    currency_code = graphene.String(required=True)
    default_country = graphene.Field(CountryDisplay, required=True)
    is_active = graphene.Boolean(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_default_country(root, _info):
        names = {"CN": "中国"}
        return CountryDisplay(code=root.default_country,
                              country=names.get(root.default_country, root.default_country))

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Channel)

    @classmethod
    def get_node(cls, _info, id):
        return models.Channel.objects.filter(pk=id, is_active=True).first()


class OrganizationKindEnum(graphene.Enum):
    COOPERATIVE = "cooperative"
    ENTERPRISE = "enterprise"
    BRAND_AUTHORITY = "brand_authority"
    OPERATOR = "operator"


class Organization(graphene.ObjectType):
    """Who sells or governs: a cooperative, an enterprise, the brand authority, the
    operator (a county-pavilion extension)."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.Field(OrganizationKindEnum, required=True)
    county = graphene.String()
    description = graphene.String()

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_kind(root, _info):
        return root.kind

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Organization)

    @classmethod
    def get_node(cls, _info, id):
        return models.Organization.objects.filter(pk=id, is_active=True).first()


class MembershipRoleEnum(graphene.Enum):
    ADMIN = "admin"
    MEMBER = "member"


class OrganizationMembership(graphene.ObjectType):
    organization = graphene.Field(Organization, required=True)
    role = graphene.Field(MembershipRoleEnum, required=True)


class User(graphene.ObjectType):
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

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_organizations(root, _info):
        return [
            OrganizationMembership(organization=m.organization, role=m.role)
            for m in root.memberships.select_related("organization").filter(
                organization__is_active=True)
        ]

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.User)

    @classmethod
    def get_node(cls, info, id):
        user = current_user(info)
        if user is not None and (str(user.pk) == str(id) or user.is_operator):
            return models.User.objects.filter(pk=id).first()
        return None
