"""Accounts: Saleor's JWT flow (``tokenCreate``, ``tokenRefresh``, ``tokenVerify``,
``tokensDeactivateAll``), registration, password and e-mail change (``requestEmailChange``,
``confirmEmailChange``) and ``notificationMarkRead``."""

from __future__ import annotations

import graphene
import jwt
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene.types.generic import GenericScalar

from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import AUTHENTICATED, current_user
from api.core.types import error_type
from shop import notifications, services, throttles
from shop.error_codes import AccountErrorCode as AccountErrorCodeEnum
from shop.models import Notification as NotificationModel
from shop.services import recovery
from shop.services.accounts import deactivate_all_tokens

from .. import types

AccountErrorCode = graphene.Enum.from_enum(AccountErrorCodeEnum)
AccountError = error_type("AccountError", AccountErrorCode)


class AccountMutation(BaseMutation):
    error_type_class = AccountError
    error_code_enum = AccountErrorCodeEnum

    class Meta:
        abstract = True


class SignInMutation(AccountMutation):
    """A sign-in's payload, as Saleor's ``tokenCreate`` answers it: the tokens and the
    user. One attempt per request, however many aliases ask."""

    token = graphene.String(description="JWT token, required to authenticate.")
    refresh_token = graphene.String(
        description="JWT refresh token, required to re-generate access token.")
    user = graphene.Field(types.User, description="A user instance.")

    class Meta:
        abstract = True

    @staticmethod
    def one_attempt(request, field: str) -> None:
        if getattr(request, "_signin_attempted", False):
            raise ValidationError({field: ValidationError(
                _("One sign-in attempt per request."),
                code=AccountErrorCodeEnum.LOGIN_ATTEMPT_DELAYED.value)})
        request._signin_attempted = True

    @classmethod
    def signed_in(cls, user):
        return cls(token=services.create_access_token(user),
                   refresh_token=services.create_refresh_token(user), user=user)


class CreateToken(SignInMutation):
    class Arguments:
        email = graphene.String(required=True, description="Email of a user.")
        password = graphene.String(required=True, description="Password of a user.")

    class Meta:
        description = "Create JWT token."

    @classmethod
    def perform_mutation(cls, _root, info, email, password):
        request = info.context
        cls.one_attempt(request, "email")
        user = throttles.throttled_authenticate(email, password,
                                                throttles.client_address(request))
        return cls.signed_in(user)


class RefreshToken(AccountMutation):
    token = graphene.String(description="JWT token, required to authenticate.")
    user = graphene.Field(types.User)

    class Arguments:
        refresh_token = graphene.String(description="Refresh token.")
        csrf_token = graphene.String(
            description="CSRF token of a refresh token kept in a cookie; not used here: "
                        "the pavilion gives refresh tokens to the client.")

    class Meta:
        description = "Refresh JWT token."

    @classmethod
    def perform_mutation(cls, _root, _info, refresh_token=None, csrf_token=None):
        if not refresh_token:
            raise ValidationError({"refreshToken": ValidationError(
                _("Missing refresh token."), code=AccountErrorCodeEnum.JWT_MISSING_TOKEN.value)})
        try:
            user = services.user_from_token(refresh_token, token_type="refresh")
        except ValidationError as error:
            raise ValidationError({"refreshToken": error}) from None
        return cls(token=services.create_access_token(user), user=user)


class VerifyToken(AccountMutation):
    user = graphene.Field(types.User)
    is_valid = graphene.Boolean(required=True)
    payload = GenericScalar(description="The token's claims.")

    class Arguments:
        token = graphene.String(required=True)

    class Meta:
        description = "Verify JWT token."

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
        claims = jwt.decode(token, options={"verify_signature": False})
        return cls(user=user, is_valid=True, payload=claims)


class DeactivateAllUserTokens(AccountMutation):
    class Meta:
        description = ("Sign out everywhere: every token issued to the signed-in user so far "
                       "stops working (sign in again for a new one).")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info):
        deactivate_all_tokens(current_user(info))
        return cls()


class NotificationMarkRead(AccountMutation):
    notification = graphene.Field(types.Notification)

    class Arguments:
        id = graphene.ID(required=True, description="ID of one of your notifications.")

    class Meta:
        description = "Mark a notification to you or to one of your organisations read."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = current_user(info)
        pk = pk_from_global_id(id, "Notification", "id")
        notification = NotificationModel.objects.filter(notifications.visible_to(user),
                                                         pk=pk).first()
        if notification is None:
            raise ValidationError({"id": ValidationError(
                _("Couldn't find a notification with this ID."),
                code=AccountErrorCodeEnum.NOT_FOUND.value)})
        return cls(notification=notifications.mark_read(notification))


AccountRegisterError = error_type("AccountRegisterError",
                                  graphene.Enum.from_enum(AccountErrorCodeEnum,
                                                          name="AccountRegisterErrorCode"))
PasswordChangeError = error_type("PasswordChangeError",
                                 graphene.Enum.from_enum(AccountErrorCodeEnum,
                                                         name="PasswordChangeErrorCode"))


class AccountRegisterInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    password = graphene.String(required=True)
    first_name = graphene.String()
    last_name = graphene.String()
    language_code = graphene.String()
    channel = graphene.String()
    redirect_url = graphene.String(
        description="Base of the client's page that confirms the account (the e-mailed link "
                    "adds ?email=…&token=…); required when account confirmation is enabled.")


class AccountRegister(AccountMutation):
    user = graphene.Field(
        types.User, description="The new user; null while the account waits for its "
        "confirmation (the answer is the same whether or not the address had an account).")
    requires_confirmation = graphene.Boolean(
        description="Whether the link e-mailed to the user must be opened (confirmAccount) "
                    "before signing in.")

    class Arguments:
        input = AccountRegisterInput(required=True)

    class Meta:
        description = "Register a new user."
        error_type_class = AccountRegisterError

    @classmethod
    def perform_mutation(cls, _root, _info, input):
        registration = recovery.register(
            input["email"], input["password"], redirect_url=input.get("redirect_url"),
            first_name=input.get("first_name") or "", last_name=input.get("last_name") or "",
            language_code=input.get("language_code") or "zh-hans")
        return cls(user=registration.user,
                   requires_confirmation=registration.requires_confirmation)


class PasswordChange(AccountMutation):
    user = graphene.Field(types.User)

    class Arguments:
        old_password = graphene.String(required=True)
        new_password = graphene.String(required=True)

    class Meta:
        description = "Change the password of the signed-in user; older tokens stop working."
        error_type_class = PasswordChangeError
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, old_password, new_password):
        user = current_user(info)
        return cls(user=services.change_password(user, old_password, new_password))


class RequestEmailChange(AccountMutation):
    user = graphene.Field(types.User, description="A user instance (its address unchanged "
                                                  "until the e-mailed link is opened).")

    class Arguments:
        password = graphene.String(required=True, description="User password (not checked "
                                   "for an account registered by mobile number, which has "
                                   "none).")
        new_email = graphene.String(required=True, description="New user email.")
        redirect_url = graphene.String(required=True, description="URL of a view where "
                                       "users should be redirected to update the email "
                                       "address (the e-mailed link adds ?token=…).")
        channel = graphene.String(description="Slug of a channel which will be used to "
                                              "notify users.")

    class Meta:
        description = ("Request email change of the logged in user. The answer is the same "
                       "whether or not the new address has an account; no link is mailed "
                       "to an address another account has.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, password, new_email, redirect_url, channel=None):
        user = current_user(info)
        recovery.request_email_change(user, new_email, password, redirect_url)
        return cls(user=user)


class ConfirmEmailChange(AccountMutation):
    user = graphene.Field(types.User, description="A user instance with a new email.")

    class Arguments:
        token = graphene.String(required=True, description="A one-time token required to "
                                                           "change the email.")
        channel = graphene.String(description="Slug of a channel which will be used to "
                                              "notify users.")

    class Meta:
        description = ("Confirm the email change of the logged-in user; every token issued "
                       "before it stops working.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, token, channel=None):
        return cls(user=recovery.confirm_email_change(current_user(info), token))
