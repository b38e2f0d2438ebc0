"""Getting back into an account and closing it (Saleor's requestPasswordReset,
setPassword, confirmAccount, accountRequestDeletion, accountDelete): the rules and
e-mails are ``shop.services.recovery``."""

from __future__ import annotations

import graphene

from api.core.permissions import AUTHENTICATED, current_user
from shop import services
from shop.services import recovery

from .. import types
from .account import AccountMutation


class RequestPasswordReset(AccountMutation):
    class Arguments:
        email = graphene.String(required=True, description="Email of the user that will be "
                                                           "used for password recovery.")
        redirect_url = graphene.String(required=True, description="URL of a view where "
                                       "users should be redirected to reset the password. "
                                       "URL in RFC 1808 format.")
        channel = graphene.String(description="Slug of a channel which will be used for "
                                              "notify user.")

    class Meta:
        description = "Sends an email with the account password modification link."

    @classmethod
    def perform_mutation(cls, _root, _info, email, redirect_url, channel=None):
        recovery.request_password_reset(email, redirect_url)
        return cls()


class SetPassword(AccountMutation):
    token = graphene.String(description="JWT token, required to authenticate.")
    refresh_token = graphene.String(description="JWT refresh token.")
    csrf_token = graphene.String(description="CSRF token required to re-generate access "
                                             "token (unused: refresh tokens travel in the "
                                             "body here).")
    user = graphene.Field(types.User)

    class Arguments:
        token = graphene.String(required=True, description="A one-time token required to "
                                                           "set the password.")
        email = graphene.String(required=True, description="Email of a user.")
        password = graphene.String(required=True, description="Password of a user.")

    class Meta:
        description = "Sets the user's password from the token sent by email."

    @classmethod
    def perform_mutation(cls, _root, _info, token, email, password):
        user = recovery.set_password(email, token, password)
        return cls(token=services.create_access_token(user),
                   refresh_token=services.create_refresh_token(user), user=user)


class ConfirmAccount(AccountMutation):
    user = graphene.Field(types.User)

    class Arguments:
        email = graphene.String(required=True, description="E-mail of the user performing "
                                                           "account confirmation.")
        token = graphene.String(required=True, description="A one-time token required to "
                                                           "confirm the account.")

    class Meta:
        description = "Confirm user account with token sent by email during registration."

    @classmethod
    def perform_mutation(cls, _root, _info, email, token):
        return cls(user=recovery.confirm_account(email, token))


class AccountRequestDeletion(AccountMutation):
    class Arguments:
        redirect_url = graphene.String(required=True, description="URL of a view where users "
                                       "should be redirected to delete their account.")
        channel = graphene.String(description="Slug of a channel which will be used to notify "
                                              "users.")

    class Meta:
        description = "Sends an email with the account removal link for the logged-in user."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, redirect_url, channel=None):
        recovery.request_account_deletion(current_user(info), redirect_url)
        return cls()


class AccountDelete(AccountMutation):
    user = graphene.Field(types.User)

    class Arguments:
        token = graphene.String(required=True, description="A one-time token required to "
                                                           "remove account.")

    class Meta:
        description = "Remove user account."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, token):
        user = current_user(info)
        pk = user.pk
        recovery.delete_account(user, token)
        user.pk = pk  # the answer names the account that was closed
        return cls(user=user)
