"""Saleor's JWT flow (``tokenCreate``, ``tokenRefresh``, ``tokenVerify``), accounts,
checkout, orders and payments, and ``notificationMarkRead``."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import require_user
from api.core.types import error_type
from shop import notifications, services
from shop.error_codes import AccountErrorCode as AccountErrorCodeEnum
from shop.models import Notification as NotificationModel

from .types import Notification, User

AccountErrorCode = graphene.Enum.from_enum(AccountErrorCodeEnum)
AccountError = error_type("AccountError", AccountErrorCode)


class CreateToken(BaseMutation):
    token = graphene.String(description="JWT token, required to authenticate.")
    refresh_token = graphene.String(description="JWT refresh token, required to re-generate access token.")
    user = graphene.Field(User, description="A user instance.")

    class Arguments:
        email = graphene.String(required=True, description="Email of a user.")
        password = graphene.String(required=True, description="Password of a user.")

    class Meta:
        description = "Create JWT token."
        error_type_class = AccountError
        error_code_enum = AccountErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, _info, email, password):
        user = services.authenticate_user(email, password)
        return cls(token=services.create_access_token(user),
                   refresh_token=services.create_refresh_token(user), user=user)


class RefreshToken(BaseMutation):
    token = graphene.String(description="JWT token, required to authenticate.")
    user = graphene.Field(User)

    class Arguments:
        refresh_token = graphene.String(required=True, description="Refresh token.")

    class Meta:
        description = "Refresh JWT token."
        error_type_class = AccountError
        error_code_enum = AccountErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, _info, refresh_token):
        try:
            user = services.user_from_token(refresh_token, token_type="refresh")
        except ValidationError as error:
            raise ValidationError({"refreshToken": error}) from None
        return cls(token=services.create_access_token(user), user=user)


class VerifyToken(BaseMutation):
    user = graphene.Field(User)
    is_valid = graphene.Boolean(required=True)
    payload = graphene.JSONString()

    class Arguments:
        token = graphene.String(required=True)

    class Meta:
        description = "Verify JWT token."
        error_type_class = AccountError
        error_code_enum = AccountErrorCodeEnum

    @classmethod
    def handle_errors(cls, error):
        # ``isValid`` is non-null: an invalid token is a ``false`` answer, not a failure.
        response = super().handle_errors(error)
        response.is_valid = False
        return response

    @classmethod
    def perform_mutation(cls, _root, _info, token):
        try:
            user = services.user_from_token(token)
        except ValidationError as error:
            raise ValidationError({"token": error}) from None
        return cls(user=user, is_valid=True, payload={"email": user.email})


class NotificationMarkRead(BaseMutation):
    notification = graphene.Field(Notification)

    class Arguments:
        id = graphene.ID(required=True, description="ID of one of your notifications.")

    class Meta:
        description = "Mark a notification to you or to one of your organisations read."
        error_type_class = AccountError
        error_code_enum = AccountErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = require_user(info)
        pk = pk_from_global_id(id, "Notification", "id")
        notification = NotificationModel.objects.filter(notifications.visible_to(user),
                                                         pk=pk).first()
        if notification is None:
            raise ValidationError({"id": ValidationError(
                _("Couldn't find a notification with this ID."),
                code=AccountErrorCodeEnum.NOT_FOUND.value)})
        return cls(notification=notifications.mark_read(notification))


from .checkout_mutations import CheckoutMutations  # noqa: E402


class ShopMutations(CheckoutMutations, graphene.ObjectType):
    token_create = CreateToken.Field()
    token_refresh = RefreshToken.Field()
    token_verify = VerifyToken.Field()
    notification_mark_read = NotificationMarkRead.Field()
