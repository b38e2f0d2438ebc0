"""The address book and profile of the signed-in user (Saleor's accountAddressCreate/
Update/Delete, accountSetDefaultAddress, accountUpdate)."""

from __future__ import annotations

import graphene
from django.db import transaction
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id
from api.core.permissions import AUTHENTICATED, current_user, is_order_staff, require
from api.translations.languages import LanguageCodeEnum
from shop.models import User
from shop.services import addresses as address_book

from .. import types
from .account import AccountMutation
from .inputs import AddressInput, address_data


class AddressTypeEnum(graphene.Enum):
    BILLING = "billing"
    SHIPPING = "shipping"


def _kind(value):
    return getattr(value, "value", value) if value is not None else None


def _address_pk(id) -> int:
    return pk_from_global_id(id, "Address", "id")


class AccountAddressCreate(AccountMutation):
    user = graphene.Field(types.User, description="A user instance for which the address was "
                                                  "created.")
    address = graphene.Field(types.Address)

    class Arguments:
        input = AddressInput(required=True, description="Fields required to create address.")
        type = AddressTypeEnum(description="A type of address. If provided, the new address "
                                           "will be automatically assigned as the customer's "
                                           "default address of that type.")

    class Meta:
        description = "Create a new address for the customer."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, input, type=None):
        user = current_user(info)
        address = address_book.create_address(user, address_data(input), _kind(type))
        return cls(user=user, address=address)


class AccountAddressUpdate(AccountMutation):
    user = graphene.Field(types.User)
    address = graphene.Field(types.Address)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to update.")
        input = AddressInput(required=True, description="Fields required to update the "
                                                        "address.")

    class Meta:
        description = "Updates an address of the logged-in user."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        user = current_user(info)
        address = address_book.update_address(user, _address_pk(id), address_data(input))
        return cls(user=user, address=address)


class AccountAddressDelete(AccountMutation):
    user = graphene.Field(types.User)
    address = graphene.Field(types.Address)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to delete.")

    class Meta:
        description = "Delete an address of the logged-in user."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = current_user(info)
        pk = _address_pk(id)
        address = next((a for a in address_book.user_addresses(user) if a.pk == pk), None)
        address_book.delete_address(user, pk)
        if address is not None:
            address.pk = pk  # the answer still names the deleted address
        return cls(user=user, address=address)


class AccountSetDefaultAddress(AccountMutation):
    user = graphene.Field(types.User)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the address to set as default.")
        type = AddressTypeEnum(required=True, description="The type of address.")

    class Meta:
        description = "Sets a default address for the authenticated user."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, type):
        user = current_user(info)
        address_book.set_default_address(user, _address_pk(id), _kind(type))
        return cls(user=user)


class AddressSetDefault(AccountMutation):
    user = graphene.Field(types.User, description="The user whose default changed.")

    class Arguments:
        address_id = graphene.ID(required=True, description="ID of the address.")
        type = AddressTypeEnum(required=True, description="The type of address.")
        user_id = graphene.ID(required=True, description="ID of the user.")

    class Meta:
        description = ("Sets a user's default address: staff for anyone, a shopper for "
                       "themselves (react-storefront sends it with the shopper's own ID).")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, address_id, type, user_id):
        caller = current_user(info)
        pk = pk_from_global_id(user_id, "User", "user_id")
        require(pk == caller.pk or is_order_staff(caller),
                _("You can only change your own address book"))
        user = caller if pk == caller.pk else User.objects.filter(pk=pk, is_active=True).first()
        require(user is not None, _("You can only change your own address book"))
        address_book.set_default_address(user, pk_from_global_id(address_id, "Address",
                                                                 "address_id"), _kind(type))
        return cls(user=user)


class AccountInput(graphene.InputObjectType):
    first_name = graphene.String(description="Given name.")
    last_name = graphene.String(description="Family name.")
    language_code = LanguageCodeEnum(description="User language code.")
    default_billing_address = AddressInput(description="Billing address of the customer.")
    default_shipping_address = AddressInput(description="Shipping address of the customer.")


LANGUAGES = {"ZH_HANS": "zh-hans", "EN": "en", "BO": "bo"}


class AccountUpdate(AccountMutation):
    user = graphene.Field(types.User)

    class Arguments:
        input = AccountInput(required=True, description="Fields required to update the "
                                                        "account of the logged-in user.")

    class Meta:
        description = "Updates the account of the logged-in user."
        permissions = (AUTHENTICATED,)

    @classmethod
    @transaction.atomic
    def perform_mutation(cls, _root, info, input):
        user = current_user(info)
        fields = []
        for name in ("first_name", "last_name"):
            if input.get(name) is not None:
                setattr(user, name, input[name].strip()[:64])
                fields.append(name)
        code = _kind(input.get("language_code"))
        if code is not None:
            # Kept as the site's language names; languages the pavilion has no
            # catalogue for fall back to Chinese.
            user.language_code = LANGUAGES.get(str(code), "zh-hans")
            fields.append("language_code")
        if fields:
            user.save(update_fields=[*fields, "updated_at"])
        for kind in ("shipping", "billing"):
            data = input.get(f"default_{kind}_address")
            if data is not None:
                address_book.create_address(user, address_data(data), kind)
        return cls(user=user)
