"""Commerce core operations: channels, accounts and tokens, stock.

Stock quantities change only here, with conditional updates inside a transaction, so that
concurrent buyers can never oversell."""

from __future__ import annotations

import jwt
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .error_codes import AccountErrorCode, ChannelErrorCode
from .models import Channel, Stock, User, Warehouse

JWT_ALGORITHM = "HS256"


# Channels ------------------------------------------------------------------------------

def get_channel(slug: str | None) -> Channel:
    """The active channel ``slug`` (the default channel when ``None``)."""
    slug = slug or settings.DEFAULT_CHANNEL_SLUG
    channel = Channel.objects.filter(slug=slug, is_active=True).first()
    if channel is None:
        raise ValidationError(
            {"channel": ValidationError(
                _("Channel with '%(slug)s' slug does not exist.") % {"slug": slug},
                code=ChannelErrorCode.NOT_FOUND.value,
            )}
        )
    return channel


# Accounts and JWT ---------------------------------------------------------------------

def _encode_token(user: User, token_type: str, ttl) -> str:
    now = timezone.now()
    payload = {
        "sub": str(user.pk),
        "email": user.email,
        "type": token_type,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        # A password change invalidates every token issued before it.
        "pwd": user.password[-12:],
    }
    return jwt.encode(payload, settings.SECRET_KEY, algorithm=JWT_ALGORITHM)


def create_access_token(user: User) -> str:
    return _encode_token(user, "access", settings.JWT_ACCESS_TTL)


def create_refresh_token(user: User) -> str:
    return _encode_token(user, "refresh", settings.JWT_REFRESH_TTL)


def user_from_token(token: str, token_type: str = "access") -> User:
    """The active user a valid token of ``token_type`` names; ``ValidationError`` otherwise."""
    try:
        payload = jwt.decode(token, settings.SECRET_KEY, algorithms=[JWT_ALGORITHM])
    except jwt.ExpiredSignatureError:
        raise ValidationError(_("Signature has expired"),
                              code=AccountErrorCode.JWT_SIGNATURE_EXPIRED.value) from None
    except jwt.PyJWTError:
        raise ValidationError(_("Error decoding signature."),
                              code=AccountErrorCode.JWT_DECODE_ERROR.value) from None
    if payload.get("type") != token_type:
        raise ValidationError(_("Invalid token type."), code=AccountErrorCode.JWT_INVALID_TOKEN.value)
    user = User.objects.filter(pk=payload.get("sub"), is_active=True).first()
    if user is None or user.password[-12:] != payload.get("pwd"):
        raise ValidationError(_("User doesn't exist or the token is no longer valid."),
                              code=AccountErrorCode.JWT_INVALID_TOKEN.value)
    return user


def authenticate_user(email: str, password: str) -> User:
    user = authenticate(email=(email or "").strip().lower(), password=password or "")
    if user is None:
        raise ValidationError(
            {"email": ValidationError(
                _("Please, enter valid credentials"),
                code=AccountErrorCode.INVALID_CREDENTIALS.value,
            )}
        )
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user


# Stock -------------------------------------------------------------------------------

@transaction.atomic
def set_stock(variant, warehouse: Warehouse, quantity: int) -> Stock:
    """Set the on-hand quantity of ``variant`` in ``warehouse`` (a stock count).

    Refuses a quantity below what is already allocated to orders."""
    if quantity < 0:
        raise ValidationError({"quantity": ValidationError(
            _("Quantity cannot be negative."), code="invalid")})
    stock, _created = Stock.objects.select_for_update().get_or_create(
        warehouse=warehouse, product_variant=variant
    )
    if quantity < stock.quantity_allocated:
        raise ValidationError({"quantity": ValidationError(
            _("Quantity cannot be lower than the %(n)s units already allocated to orders."),
            params={"n": stock.quantity_allocated}, code="invalid")})
    stock.quantity = quantity
    stock.save(update_fields=["quantity"])
    return stock


def increase_stock(variant, warehouse: Warehouse, quantity: int) -> None:
    """Add ``quantity`` units (a packing run, a return) with one conditional update."""
    if quantity <= 0:
        raise ValidationError({"quantity": ValidationError(
            _("Quantity must be positive."), code="invalid")})
    with transaction.atomic():
        Stock.objects.get_or_create(warehouse=warehouse, product_variant=variant)
        Stock.objects.filter(warehouse=warehouse, product_variant=variant).update(
            quantity=F("quantity") + quantity
        )
