"""Users and the organisations they belong to, with the orders each has placed."""

import graphene

from api.core.connection import connection_args, paginate
from api.core.metadata import ObjectWithMetadata
from api.core.nodes import ModelObjectType
from api.core.permissions import current_user, is_order_staff
from api.core.types import Image, ThumbnailFormatEnum
from shop import models
from shop.services import addresses as address_book

from .accounts import Organization
from .checkout import Address
from .orders import OrderCountableConnection


class MembershipRoleEnum(graphene.Enum):
    ADMIN = "admin"
    MEMBER = "member"


class OrganizationMembership(graphene.ObjectType):
    organization = graphene.Field(Organization, required=True)
    role = graphene.Field(MembershipRoleEnum, required=True)


class User(ModelObjectType, ObjectWithMetadata):
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    is_active = graphene.Boolean(required=True)
    language_code = graphene.String(required=True)
    date_joined = graphene.DateTime(required=True)
    last_login = graphene.DateTime()
    verified_phone = graphene.String(
        description="The mobile number the user signs in with (to the user and staff).")
    organizations = graphene.List(
        graphene.NonNull(OrganizationMembership), required=True,
        description="Organisations this user belongs to, with the role in each.",
    )
    orders = graphene.Field(OrderCountableConnection, **connection_args(),
                            description="The user's orders, newest first.")
    addresses = graphene.List(graphene.NonNull(Address), required=True,
                              description="The user's address book (to the user and staff).")
    default_shipping_address = graphene.Field(Address)
    default_billing_address = graphene.Field(Address)
    avatar = graphene.Field(Image, size=graphene.Int(), format=ThumbnailFormatEnum(),
                            description="The pavilion keeps no avatars: always null.")

    class Meta:
        model = models.User

    resolve_avatar = staticmethod(lambda _root, _info, **_kwargs: None)
    # An account registered by mobile number has no e-mail address: "" (Saleor's non-null).
    resolve_email = staticmethod(lambda root, _info: root.email or "")

    @staticmethod
    def resolve_verified_phone(root, info):
        return root.verified_phone if User._own(root, info) else None

    @staticmethod
    def resolve_last_login(root, info):
        # When someone last signed in is theirs and the staff's to know.
        return root.last_login if User._own(root, info) else None

    @staticmethod
    def _own(root, info) -> bool:
        viewer = current_user(info)
        return viewer is not None and (viewer.pk == root.pk or is_order_staff(viewer))

    @staticmethod
    def resolve_addresses(root, info):
        return address_book.user_addresses(root) if User._own(root, info) else []

    @staticmethod
    def resolve_default_shipping_address(root, info):
        return address_book.default_address(root, "shipping") if User._own(root, info) else None

    @staticmethod
    def resolve_default_billing_address(root, info):
        return address_book.default_address(root, "billing") if User._own(root, info) else None

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
        return paginate(models.Order.objects.filter(user=root), kwargs,
                        OrderCountableConnection, ["number"], descending=True,
                        connection_name="orders")

    @classmethod
    def get_node(cls, info, id):
        user = current_user(info)
        if user is not None and (str(user.pk) == str(id) or user.is_operator):
            return models.User.objects.filter(pk=id).first()
        return None
