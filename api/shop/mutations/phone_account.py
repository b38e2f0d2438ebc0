"""Accounts by mobile number, the county's extension beside Saleor's ``tokenCreate``:
``requestPhoneSignInCode`` and ``tokenCreateByPhone`` (the same token, refreshToken, user
and errors as ``tokenCreate``), ``requestPhoneCode`` and ``accountRegisterByPhone`` (a new
account with a number alone), and ``accountVerifyPhone`` (the signed-in user proves a
number and signs in with it from then on). The rules are
``shop.services.phone_accounts``."""

from __future__ import annotations

import graphene

from api.core.permissions import AUTHENTICATED, current_user
from shop import services, throttles
from shop.services import phone_accounts

from .. import types
from .account import AccountMutation, AccountRegisterError, SignInMutation


def _client(info) -> str:
    return throttles.client_address(info.context)


class RequestPhoneSignInCode(AccountMutation):
    class Arguments:
        phone = graphene.String(required=True, description="An 11-digit mainland mobile "
                                "number (+86 and spaces allowed).")

    class Meta:
        description = ("Text a sign-in code to a verified mobile number. The answer is the "
                       "same whether or not an account signs in with the number; the code "
                       "is texted only if one does.")

    @classmethod
    def perform_mutation(cls, _root, info, phone):
        phone_accounts.request_sign_in_code(phone, _client(info))
        return cls()


class CreateTokenByPhone(SignInMutation):
    class Arguments:
        phone = graphene.String(required=True, description="The account's verified number.")
        code = graphene.String(required=True, description="The 6-digit code texted to it.")

    class Meta:
        description = "Create JWT token with a verified mobile number and a texted code."

    @classmethod
    def perform_mutation(cls, _root, info, phone, code):
        cls.one_attempt(info.context, "phone")
        return cls.signed_in(phone_accounts.sign_in(phone, code, _client(info)))


class RequestPhoneCode(AccountMutation):
    class Arguments:
        phone = graphene.String(required=True)

    class Meta:
        description = ("Text a code proving a mobile number: to register with it "
                       "(accountRegisterByPhone) or to verify it on the signed-in account "
                       "(accountVerifyPhone).")

    @classmethod
    def perform_mutation(cls, _root, info, phone):
        phone_accounts.request_code(phone, _client(info))
        return cls()


class AccountRegisterByPhoneInput(graphene.InputObjectType):
    phone = graphene.String(required=True)
    code = graphene.String(required=True, description="The code texted by requestPhoneCode.")
    first_name = graphene.String()
    last_name = graphene.String()
    language_code = graphene.String()


class AccountRegisterByPhone(AccountMutation):
    token = graphene.String(description="JWT token of the new account.")
    refresh_token = graphene.String()
    user = graphene.Field(types.User)

    class Arguments:
        input = AccountRegisterByPhoneInput(required=True)

    class Meta:
        description = ("Register a new user with a mobile number alone (no e-mail address, no "
                       "password): it signs in by texted code.")
        error_type_class = AccountRegisterError

    @classmethod
    def perform_mutation(cls, _root, _info, input):
        user = phone_accounts.register_by_phone(
            input["phone"], input["code"], first_name=input.get("first_name") or "",
            last_name=input.get("last_name") or "",
            language_code=input.get("language_code") or "zh-hans")
        return cls(token=services.create_access_token(user),
                   refresh_token=services.create_refresh_token(user), user=user)


class AccountVerifyPhone(AccountMutation):
    user = graphene.Field(types.User)

    class Arguments:
        phone = graphene.String(required=True)
        code = graphene.String(required=True, description="The code texted by requestPhoneCode.")

    class Meta:
        description = "Verify a mobile number on the signed-in account: it signs in with it."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, phone, code):
        return cls(user=phone_accounts.verify_phone(current_user(info), phone, code))
