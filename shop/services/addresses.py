"""A user's address book: add, change, remove addresses and choose the default shipping
and billing one (Saleor's accountAddress* mutations). Addresses are checked by the same
Chinese province/city/district rules as a checkout's (``shop.addresses.clean_address``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..address_book import UserAddress
from ..addresses import clean_address
from ..error_codes import AccountErrorCode
from ..errors import field_error
from ..models import ADDRESS_FIELDS, Address, User

SHIPPING, BILLING = "shipping", "billing"
# A person keeps a handful of addresses; a bigger book is a script filling it.
MAX_ADDRESSES = 30


def user_addresses(user: User) -> list[Address]:
    return [entry.address for entry in
            UserAddress.objects.filter(user=user).select_related("address")]


def default_address(user: User, kind: str) -> Address | None:
    entry = (UserAddress.objects.filter(user=user, **{f"is_default_{kind}": True})
             .select_related("address").first())
    return entry.address if entry else None


def _entry(user: User, address_id) -> UserAddress:
    entry = (UserAddress.objects.select_for_update().filter(user=user, address_id=address_id)
             .select_related("address").first())
    if entry is None:
        raise field_error("id", _("Couldn't resolve to a node: %(id)s") % {"id": address_id},
                          AccountErrorCode.NOT_FOUND.value)
    return entry


def _set_default(user: User, entry: UserAddress, kind: str) -> None:
    flag = f"is_default_{kind}"
    UserAddress.objects.filter(user=user, **{flag: True}).exclude(pk=entry.pk).update(
        **{flag: False})
    if not getattr(entry, flag):
        setattr(entry, flag, True)
        entry.save(update_fields=[flag])


@transaction.atomic
def create_address(user: User, data: dict, kind: str | None = None) -> Address:
    """Add an address; ``kind`` makes it the default of that kind. The first address a
    user adds becomes the default of both kinds, as in Saleor."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    count = UserAddress.objects.filter(user=user).count()
    if count >= MAX_ADDRESSES:
        raise field_error(None, _("An address book holds at most %(n)s addresses.")
                          % {"n": MAX_ADDRESSES}, AccountErrorCode.INVALID.value)
    cleaned = clean_address(data)
    address = Address.objects.create(**{f: cleaned.get(f, "") for f in ADDRESS_FIELDS})
    entry = UserAddress.objects.create(user=user, address=address)
    for each in (SHIPPING, BILLING):
        if kind == each or count == 0:
            _set_default(user, entry, each)
    return address


@transaction.atomic
def update_address(user: User, address_id, data: dict) -> Address:
    """Change an address of the user's book; fields left out keep their value."""
    entry = _entry(user, address_id)
    address = entry.address
    current = {f: getattr(address, f) for f in ADDRESS_FIELDS}
    cleaned = clean_address({**current, **{k: v for k, v in data.items() if v is not None}})
    for field in ADDRESS_FIELDS:
        setattr(address, field, cleaned.get(field, ""))
    address.save()
    return address


@transaction.atomic
def delete_address(user: User, address_id) -> None:
    entry = _entry(user, address_id)
    entry.address.delete()  # the book entry goes with it


@transaction.atomic
def set_default_address(user: User, address_id, kind: str) -> Address:
    entry = _entry(user, address_id)
    _set_default(user, entry, kind)
    return entry.address


def remember_address(user: User, data: dict) -> None:
    """Keep an address a signed-in buyer typed at the checkout (``saveAddress``), unless
    the book already has the same one."""
    if user is None or not user.is_authenticated:
        return
    cleaned = clean_address(data)
    values = {f: cleaned.get(f, "") for f in ADDRESS_FIELDS}
    same = UserAddress.objects.filter(
        user=user, **{f"address__{f}": v for f, v in values.items()}).exists()
    if not same and UserAddress.objects.filter(user=user).count() < MAX_ADDRESSES:
        create_address(user, data)
