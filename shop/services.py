"""Commerce core operations: channels, accounts and tokens, stock, checkout, orders and
payments.

Stock quantities change only here, with conditional updates or rows locked in primary-key
order inside a transaction, so that concurrent buyers can never oversell."""

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


def withdraw_stock(variant, warehouse: Warehouse, quantity: int) -> int:
    """Take up to ``quantity`` unsold units out of stock (a recall, a write-off) with one
    conditional update, never touching units already allocated to orders. Returns how many
    units were withdrawn."""
    if quantity <= 0:
        return 0
    with transaction.atomic():
        stock = (Stock.objects.select_for_update()
                 .filter(warehouse=warehouse, product_variant=variant).first())
        if stock is None:
            return 0
        take = min(quantity, stock.quantity - stock.quantity_allocated)
        if take <= 0:
            return 0
        Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") - take)
        return take


# --------------------------------------------------------------------------------------
# Everything below: accounts, stock allocation, checkout, orders, payments (issue #3).
# --------------------------------------------------------------------------------------

import logging  # noqa: E402
import math  # noqa: E402
import secrets  # noqa: E402
import uuid as uuid_module  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import timedelta  # noqa: E402
from decimal import ROUND_HALF_UP, Decimal  # noqa: E402

from django.contrib.auth.password_validation import validate_password  # noqa: E402
from django.db import IntegrityError, connection  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from .addresses import clean_address  # noqa: E402
from .error_codes import CheckoutErrorCode, OrderErrorCode, PaymentErrorCode  # noqa: E402
from .models import (  # noqa: E402
    ADDRESS_FIELDS,
    Address,
    Allocation,
    Checkout,
    CheckoutLine,
    Fulfillment,
    FulfillmentLine,
    Order,
    OrderEvent,
    OrderLine,
    Organization,
    Payment,
    PaymentNotice,
    Refund,
    ShippingMethod,
    ShippingRate,
)
from .signals import order_delivered  # noqa: E402

logger = logging.getLogger("shop.payments")
CENT = Decimal("0.01")
MAX_LINE_QUANTITY = 50


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def field_error(field, message, code, **params) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params or None)})


# Accounts ------------------------------------------------------------------------------

@transaction.atomic
def register_account(email: str, password: str, first_name: str = "", last_name: str = "",
                     language_code: str = "zh-hans") -> User:
    from django.core.validators import validate_email

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise field_error("email", _("Enter a valid email address."),
                          AccountErrorCode.INVALID.value) from None
    if User.objects.filter(email=email).exists():
        raise field_error("email", _("User with this Email already exists."),
                          AccountErrorCode.UNIQUE.value)
    user = User(email=email, first_name=first_name or "", last_name=last_name or "",
                language_code=language_code or "zh-hans")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": [
            ValidationError(m, code=AccountErrorCode.INVALID_PASSWORD.value)
            for m in error.messages]}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise field_error("email", _("User with this Email already exists."),
                          AccountErrorCode.UNIQUE.value) from None
    return user


@transaction.atomic
def change_password(user: User, old_password: str, new_password: str) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password or ""):
        raise field_error("old_password", _("Old password isn't valid."),
                          AccountErrorCode.INVALID_CREDENTIALS.value)
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": [
            ValidationError(m, code=AccountErrorCode.INVALID_PASSWORD.value)
            for m in error.messages]}) from None
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    return user


# Stock allocation ----------------------------------------------------------------------
# The only places besides set_stock/increase_stock where Stock rows change. Rows are
# locked with SELECT ... FOR UPDATE in primary-key order (Saleor's rule), so concurrent
# transactions queue on the hot row instead of deadlocking, and the availability check
# and the update happen under the same lock.

def _locked_stocks(variant_ids, channel) -> list[Stock]:
    return list(
        Stock.objects.select_for_update(of=("self",))
        .filter(product_variant_id__in=set(variant_ids), warehouse__channels=channel)
        .order_by("pk")
    )


def allocate_stock(lines: list[OrderLine], channel) -> None:
    """Reserve every line's units in the warehouses serving ``channel`` (first rows
    first); ``INSUFFICIENT_STOCK`` and nothing changed if any line cannot be covered."""
    tracked = [line for line in lines
               if line.variant_id and getattr(line, "_track_inventory", True)]
    if not tracked:
        return
    stocks = _locked_stocks([line.variant_id for line in tracked], channel)
    by_variant = defaultdict(list)
    for stock in stocks:
        by_variant[stock.product_variant_id].append(stock)
    allocations, changed, short = [], {}, []
    for line in tracked:
        needed = line.quantity
        for stock in by_variant.get(line.variant_id, []):
            free = stock.quantity - stock.quantity_allocated
            take = min(free, needed)
            if take <= 0:
                continue
            stock.quantity_allocated += take
            changed[stock.pk] = stock
            allocations.append(Allocation(order_line=line, stock=stock, quantity_allocated=take))
            needed -= take
            if needed == 0:
                break
        if needed:
            short.append(line)
    if short:
        names = "、".join(f"{line.product_name} {line.variant_name}".strip() for line in short)
        raise ValidationError({"quantity": ValidationError(
            _("Insufficient product stock: %(items)s"), code=CheckoutErrorCode.INSUFFICIENT_STOCK.value,
            params={"items": names, "variants": [line.variant_id for line in short]})})
    Stock.objects.bulk_update(sorted(changed.values(), key=lambda s: s.pk),
                              ["quantity_allocated"])
    Allocation.objects.bulk_create(allocations)


def deallocate_order_stock(order: Order) -> int:
    """Release every unit still reserved for ``order`` (cancellation, expiry). Safe to
    repeat: released allocations are deleted. Returns the units released."""
    allocations = list(Allocation.objects.filter(order_line__order=order, quantity_allocated__gt=0))
    if not allocations:
        return 0
    stocks = {s.pk: s for s in Stock.objects.select_for_update().filter(
        pk__in={a.stock_id for a in allocations}).order_by("pk")}
    released = 0
    for allocation in allocations:
        stock = stocks[allocation.stock_id]
        stock.quantity_allocated = max(stock.quantity_allocated - allocation.quantity_allocated, 0)
        released += allocation.quantity_allocated
    Stock.objects.bulk_update(sorted(stocks.values(), key=lambda s: s.pk), ["quantity_allocated"])
    Allocation.objects.filter(pk__in=[a.pk for a in allocations]).delete()
    return released


def reserve_stock(variant_id, channel, quantity: int) -> list[tuple[int, int]]:
    """Hold ``quantity`` free units of a variant outside any order (a broadcast's live
    allocation): the units join ``quantity_allocated`` of the channel's stock rows (locked
    in primary-key order). Returns ``[(stock_id, units)]``; ``INSUFFICIENT_STOCK`` and
    nothing changed when fewer units are free. Added for the livestream issue."""
    if quantity <= 0:
        return []
    with transaction.atomic():
        stocks = _locked_stocks([variant_id], channel)
        parts, needed = [], quantity
        for stock in stocks:
            take = min(stock.quantity - stock.quantity_allocated, needed)
            if take > 0:
                stock.quantity_allocated += take
                parts.append((stock, take))
                needed -= take
            if needed == 0:
                break
        if needed:
            free = quantity - needed
            raise ValidationError({"quantity": ValidationError(
                _("Only %(n)s units are available."), params={"n": free},
                code=CheckoutErrorCode.INSUFFICIENT_STOCK.value)})
        Stock.objects.bulk_update([s for s, _n in parts], ["quantity_allocated"])
    return [(stock.pk, units) for stock, units in parts]


def release_reserved_stock(parts: list[tuple[int, int]]) -> int:
    """Give back units held by ``reserve_stock`` (``[(stock_id, units)]``); returns them."""
    parts = [(pk, n) for pk, n in parts if n > 0]
    if not parts:
        return 0
    with transaction.atomic():
        stocks = {s.pk: s for s in Stock.objects.select_for_update().filter(
            pk__in={pk for pk, _n in parts}).order_by("pk")}
        for pk, units in parts:
            stocks[pk].quantity_allocated = max(stocks[pk].quantity_allocated - units, 0)
        Stock.objects.bulk_update(sorted(stocks.values(), key=lambda s: s.pk),
                                  ["quantity_allocated"])
    return sum(n for _pk, n in parts)


def allocate_reserved_stock(order_line: OrderLine, parts: list[tuple[int, int]]) -> None:
    """Hand units already held by ``reserve_stock`` to an order line: ``Allocation`` rows
    only, the stock rows' ``quantity_allocated`` already counts them. The caller marks the
    line (``_track_inventory = False``) so ``allocate_stock`` does not take it again."""
    Allocation.objects.bulk_create([Allocation(order_line=order_line, stock_id=pk,
                                               quantity_allocated=n) for pk, n in parts if n])


def _ship_allocated_stock(line: OrderLine, quantity: int) -> None:
    """Units leave the warehouse: decrease both on-hand and allocated quantities."""
    allocations = list(line.allocations.filter(quantity_allocated__gt=0).order_by("stock_id"))
    stocks = {s.pk: s for s in Stock.objects.select_for_update().filter(
        pk__in={a.stock_id for a in allocations}).order_by("pk")}
    remaining = quantity
    for allocation in allocations:
        if remaining == 0:
            break
        take = min(allocation.quantity_allocated, remaining)
        stock = stocks[allocation.stock_id]
        stock.quantity -= take
        stock.quantity_allocated -= take
        stock.save(update_fields=["quantity", "quantity_allocated"])
        allocation.quantity_allocated -= take
        allocation.save(update_fields=["quantity_allocated"])
        remaining -= take


# Shipping ------------------------------------------------------------------------------

def shipping_price(method: ShippingMethod, province: str, weight: Decimal,
                   subtotal: Decimal) -> Decimal | None:
    """The price of ``method`` to ``province`` for ``weight`` kg, or ``None`` when the
    method does not serve it. Free from the method's threshold on."""
    rates = list(method.rates.select_related("zone").all())
    rate = next((r for r in rates if province in (r.zone.provinces or [])), None)
    if rate is None:
        rate = next((r for r in rates if r.zone.is_default), None)
    if rate is None:
        return None
    if rate.max_weight is not None and weight > rate.max_weight:
        return None
    if method.free_shipping_threshold is not None and subtotal >= method.free_shipping_threshold:
        return money(0)
    extra_kg = max(Decimal(weight) - rate.first_weight, Decimal(0))
    return money(rate.first_price + rate.additional_price * math.ceil(extra_kg))


# Checkout ------------------------------------------------------------------------------

def _variant_listing(variant_id, channel):
    from catalog.models import ProductVariantChannelListing

    return ProductVariantChannelListing.objects.filter(variant_id=variant_id,
                                                       channel=channel).first()


def purchasable_variants(variant_ids, channel) -> dict:
    """``{variant_id: (variant, price)}`` for variants a shopper can buy in ``channel``."""
    from catalog.models import ProductChannelListing, ProductVariant, ProductVariantChannelListing
    from catalog.services import is_available_for_purchase

    variants = {v.pk: v for v in ProductVariant.objects.filter(pk__in=variant_ids)
                .select_related("product__product_type")}
    prices = dict(ProductVariantChannelListing.objects.filter(
        variant_id__in=variant_ids, channel=channel).values_list("variant_id", "price_amount"))
    listings = {pl.product_id: pl for pl in ProductChannelListing.objects.filter(
        product_id__in={v.product_id for v in variants.values()}, channel=channel)}
    result = {}
    for pk, variant in variants.items():
        listing = listings.get(variant.product_id)
        if pk in prices and listing is not None and is_available_for_purchase(listing):
            result[pk] = (variant, prices[pk])
    return result


def available_quantity(variant_id, channel) -> int:
    from django.db.models import Sum

    total = Stock.objects.filter(product_variant_id=variant_id, warehouse__channels=channel
                                 ).aggregate(n=Sum(F("quantity") - F("quantity_allocated")))["n"]
    return max(total or 0, 0)


def _clean_lines(channel, lines: list[dict], existing: dict | None = None,
                 replace: bool = False, extra_available: dict | None = None) -> list[tuple]:
    """Validate ``[{"variant_id", "quantity"}]``; returns ``[(variant, new_quantity)]``
    where the new quantity adds to (or, with ``replace``, replaces) ``existing``.
    ``extra_available`` adds units held elsewhere for these lines (a live allocation)."""
    existing = existing or {}
    ids = [line["variant_id"] for line in lines]
    if len(set(ids)) != len(ids):
        raise field_error("lines", _("Each variant may appear only once."),
                          CheckoutErrorCode.INVALID.value)
    found = purchasable_variants(ids, channel)
    result = []
    for line in lines:
        quantity = line["quantity"]
        if quantity < 0 or (quantity == 0 and not replace):
            raise field_error("quantity", _("The quantity should be higher than zero."),
                              CheckoutErrorCode.INVALID.value)
        if line["variant_id"] not in found:
            raise field_error("variant_id", _("This product is not available in this channel."),
                              CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL.value)
        variant, _price = found[line["variant_id"]]
        new_quantity = quantity if replace else existing.get(variant.pk, 0) + quantity
        if new_quantity > MAX_LINE_QUANTITY:
            raise field_error("quantity", _("Cannot add more than %(max)s units of one item."),
                              CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT.value,
                              max=MAX_LINE_QUANTITY)
        limit = variant.quantity_limit_per_customer
        if limit and new_quantity > limit:
            raise field_error("quantity", _("Cannot buy more than %(max)s units of this item."),
                              CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT.value, max=limit)
        if variant.track_inventory and new_quantity > available_quantity(variant.pk, channel) + (
                (extra_available or {}).get(variant.pk, 0)):
            raise field_error("quantity", _("Insufficient product stock: %(items)s"),
                              CheckoutErrorCode.INSUFFICIENT_STOCK.value,
                              items=f"{variant.product.name} {variant.name}".strip())
        result.append((variant, new_quantity))
    return result


def _save_address(data: dict | None) -> Address | None:
    if data is None:
        return None
    cleaned = clean_address(data)
    return Address.objects.create(**{f: cleaned.get(f, "") for f in ADDRESS_FIELDS})


@transaction.atomic
def create_checkout(channel_slug: str | None, *, user=None, email: str = "",
                    lines: list[dict] | None = None, shipping_address: dict | None = None,
                    billing_address: dict | None = None,
                    line_source: tuple[str, str] = ("", ""),
                    extra_available: dict | None = None) -> Checkout:
    try:
        channel = get_channel(channel_slug)
    except ValidationError:
        raise field_error("channel", _("Channel with '%(slug)s' slug does not exist.")
                          % {"slug": channel_slug}, CheckoutErrorCode.NOT_FOUND.value) from None
    email = _clean_email(email or (user.email if user else ""), required=False)
    cleaned = _clean_lines(channel, lines or [], extra_available=extra_available)
    checkout = Checkout.objects.create(
        channel=channel, user=user, email=email,
        shipping_address=_save_address(shipping_address),
        billing_address=_save_address(billing_address),
    )
    CheckoutLine.objects.bulk_create(
        [CheckoutLine(checkout=checkout, variant=v, quantity=q, source=line_source[0],
                      source_ref=line_source[1]) for v, q in cleaned])
    return checkout


def _clean_email(email: str, required: bool = True) -> str:
    from django.core.validators import validate_email

    email = (email or "").strip().lower()
    if not email:
        if required:
            raise field_error("email", _("This field is required."),
                              CheckoutErrorCode.REQUIRED.value)
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise field_error("email", _("Enter a valid email address."),
                          CheckoutErrorCode.INVALID.value) from None
    return email


def get_checkout(token) -> Checkout | None:
    try:
        token = uuid_module.UUID(str(token))
    except ValueError:
        return None
    return Checkout.objects.filter(token=token).select_related("channel").first()


@transaction.atomic
def add_checkout_lines(checkout: Checkout, lines: list[dict],
                       line_source: tuple[str, str] | None = None,
                       extra_available: dict | None = None) -> Checkout:
    """Quantities add up; ``line_source`` (e.g. ``("broadcast", "42")``) attributes the
    added lines to where the sale came from."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    existing = dict(checkout.lines.values_list("variant_id", "quantity"))
    for variant, quantity in _clean_lines(checkout.channel, lines, existing,
                                          extra_available=extra_available):
        defaults = {"quantity": quantity}
        if line_source is not None:
            defaults.update(source=line_source[0], source_ref=line_source[1])
        CheckoutLine.objects.update_or_create(checkout=checkout, variant=variant,
                                              defaults=defaults)
    checkout.save(update_fields=["updated_at"])
    return checkout


@transaction.atomic
def update_checkout_lines(checkout: Checkout, lines: list[dict]) -> Checkout:
    """Set quantities; a quantity of 0 removes the line (Saleor's behaviour)."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    for variant, quantity in _clean_lines(checkout.channel, lines, replace=True):
        if quantity == 0:
            checkout.lines.filter(variant=variant).delete()
        else:
            CheckoutLine.objects.update_or_create(checkout=checkout, variant=variant,
                                                  defaults={"quantity": quantity})
    checkout.save(update_fields=["updated_at"])
    return checkout


@transaction.atomic
def delete_checkout_lines(checkout: Checkout, line_ids: list[int]) -> Checkout:
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    found = set(checkout.lines.filter(pk__in=line_ids).values_list("pk", flat=True))
    missing = set(line_ids) - found
    if missing:
        raise field_error("line_id", _("Couldn't find a line with this ID in the checkout."),
                          CheckoutErrorCode.NOT_FOUND.value)
    checkout.lines.filter(pk__in=found).delete()
    checkout.save(update_fields=["updated_at"])
    return checkout


@transaction.atomic
def assign_checkout_to_user(checkout: Checkout, user: User) -> Checkout:
    """A guest's checkout becomes the signed-in user's (their e-mail filled in when none
    was given); a checkout of another user is left alone."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if checkout.user_id not in (None, user.pk):
        return checkout
    checkout.user = user
    checkout.email = checkout.email or user.email
    checkout.save(update_fields=["user", "email", "updated_at"])
    return checkout


def update_checkout_email(checkout: Checkout, email: str) -> Checkout:
    checkout.email = _clean_email(email)
    checkout.save(update_fields=["email", "updated_at"])
    return checkout


@transaction.atomic
def update_checkout_address(checkout: Checkout, kind: str, data: dict) -> Checkout:
    """``kind`` is ``shipping`` or ``billing``. A changed shipping address drops a
    shipping method that no longer serves it."""
    address = _save_address(data)
    old = getattr(checkout, f"{kind}_address")
    setattr(checkout, f"{kind}_address", address)
    fields = [f"{kind}_address", "updated_at"]
    if kind == "shipping" and checkout.shipping_method_id:
        totals = checkout_totals(checkout)
        if shipping_price(checkout.shipping_method, address.country_area, totals["weight"],
                          totals["subtotal"]) is None:
            checkout.shipping_method = None
            fields.append("shipping_method")
    checkout.save(update_fields=fields)
    if old is not None:
        old.delete()
    return checkout


def update_checkout_delivery_method(checkout: Checkout, method_id: int) -> Checkout:
    method = ShippingMethod.objects.filter(pk=method_id, channel=checkout.channel,
                                           is_active=True).first()
    if method is None:
        raise field_error("delivery_method_id", _("Shipping method not found for this channel."),
                          CheckoutErrorCode.NOT_FOUND.value)
    if checkout.shipping_address is None:
        raise field_error("delivery_method_id", _("Add a delivery address first."),
                          CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET.value)
    totals = checkout_totals(checkout)
    if shipping_price(method, checkout.shipping_address.country_area, totals["weight"],
                      totals["subtotal"]) is None:
        raise field_error("delivery_method_id",
                          _("This shipping method does not deliver to this address."),
                          CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE.value)
    checkout.shipping_method = method
    checkout.save(update_fields=["shipping_method", "updated_at"])
    return checkout


def line_unit_price(line: CheckoutLine, list_price: Decimal, channel) -> tuple[Decimal, str, str]:
    """The price a checkout line is sold at, and its attribution ``(source, ref)``.

    Hook for the livestream issue: each callable named in ``settings.CHECKOUT_PRICE_HOOKS``
    gets ``(line, list_price, channel)`` and may return ``(price, source, source_ref)``
    (a live price during a broadcast); the first answer wins, else the list price."""
    for path in getattr(settings, "CHECKOUT_PRICE_HOOKS", []):
        answer = import_string(path)(line, list_price, channel)
        if answer is not None:
            price, source, ref = answer
            return money(price), source, str(ref)
    return money(list_price), line.source, line.source_ref


def _variant_weight(variant) -> Decimal:
    return (variant.weight or variant.product.weight or variant.product.product_type.weight
            or Decimal(0))


def checkout_totals(checkout: Checkout) -> dict:
    """Subtotal, weight, shipping and total of a checkout at the current prices."""
    lines = list(checkout.lines.all())
    found = purchasable_variants([line.variant_id for line in lines], checkout.channel)
    subtotal, weight = Decimal(0), Decimal(0)
    for line in lines:
        if line.variant_id not in found:
            continue
        variant, price = found[line.variant_id]
        unit, _source, _ref = line_unit_price(line, price, checkout.channel)
        subtotal += unit * line.quantity
        weight += _variant_weight(variant) * line.quantity
    shipping = None
    if checkout.shipping_method_id and checkout.shipping_address_id:
        shipping = shipping_price(checkout.shipping_method,
                                  checkout.shipping_address.country_area, weight, subtotal)
    subtotal = money(subtotal)
    return {"subtotal": subtotal, "weight": weight, "shipping": shipping,
            "total": money(subtotal + (shipping or 0)), "currency": checkout.channel.currency_code}


def available_shipping_methods(checkout: Checkout) -> list[tuple[ShippingMethod, Decimal]]:
    if checkout.shipping_address_id is None:
        return []
    totals = checkout_totals(checkout)
    result = []
    for method in ShippingMethod.objects.filter(channel=checkout.channel, is_active=True):
        price = shipping_price(method, checkout.shipping_address.country_area,
                               totals["weight"], totals["subtotal"])
        if price is not None:
            result.append((method, price))
    return result


def _next_order_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('shop_order_number_seq')")
        return cursor.fetchone()[0]


def _copy_address(address: Address | None) -> Address | None:
    if address is None:
        return None
    return Address.objects.create(**address.as_data())


def record_event(order: Order, type_: str, user=None, message: str = "", **parameters):
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return OrderEvent.objects.create(order=order, type=type_, user=user, message=message[:255],
                                     parameters=parameters)


def complete_checkout(token, user=None) -> Order:
    """Turn a checkout into an unpaid order and reserve its stock, in one transaction.

    Idempotent: completing an already completed checkout returns its order (the
    checkout row is locked first, so two concurrent completions cannot both pass)."""
    with transaction.atomic():
        try:
            token = uuid_module.UUID(str(token))
        except ValueError:
            token = None
        checkout = (Checkout.objects.select_for_update(of=("self",)).filter(token=token)
                    .select_related("channel", "shipping_address", "billing_address",
                                    "shipping_method").first() if token else None)
        if checkout is None:
            order = Order.objects.filter(checkout_token=token).first() if token else None
            if order is not None:
                return order
            raise field_error("id", _("Couldn't resolve to a node: checkout"),
                              CheckoutErrorCode.NOT_FOUND.value)
        order = _create_order_from_checkout(checkout, user)
        checkout.delete()
        transaction.on_commit(lambda: _notify(order, "order_placed"))
    return order


def _create_order_from_checkout(checkout: Checkout, user) -> Order:
    channel = checkout.channel
    lines = list(checkout.lines.order_by("variant_id"))
    if not lines:
        raise field_error("lines", _("Cannot complete a checkout without lines."),
                          CheckoutErrorCode.NO_LINES.value)
    if not checkout.email:
        raise field_error("email", _("Email address is not set."),
                          CheckoutErrorCode.EMAIL_NOT_SET.value)
    found = purchasable_variants([line.variant_id for line in lines], channel)
    missing = [line for line in lines if line.variant_id not in found]
    if missing:
        raise field_error("lines", _("Some products are no longer available in this channel."),
                          CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL.value)
    shipping_required = any(found[line.variant_id][0].product.product_type.is_shipping_required
                            for line in lines)
    totals = checkout_totals(checkout)
    shipping = Decimal(0)
    if shipping_required:
        if checkout.shipping_address is None:
            raise field_error("shipping_address", _("Shipping address is not set."),
                              CheckoutErrorCode.SHIPPING_ADDRESS_NOT_SET.value)
        if checkout.shipping_method is None:
            raise field_error("shipping_method", _("Shipping method is not set."),
                              CheckoutErrorCode.SHIPPING_METHOD_NOT_SET.value)
        if totals["shipping"] is None:
            raise field_error("shipping_method",
                              _("This shipping method does not deliver to this address."),
                              CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE.value)
        shipping = totals["shipping"]
    shipping_address = _copy_address(checkout.shipping_address)
    billing_address = (_copy_address(checkout.billing_address) if checkout.billing_address
                       else shipping_address)
    order_user = user if user is not None and user.is_authenticated else checkout.user
    now = timezone.now()
    order = Order.objects.create(
        number=_next_order_number(), checkout_token=checkout.token, channel=channel,
        user=order_user, user_email=checkout.email, status=Order.Status.UNPAID,
        shipping_address=shipping_address, billing_address=billing_address,
        shipping_method=checkout.shipping_method if shipping_required else None,
        shipping_method_name=checkout.shipping_method.name if shipping_required else "",
        currency=channel.currency_code, subtotal_amount=totals["subtotal"],
        shipping_price_amount=shipping, total_amount=money(totals["subtotal"] + shipping),
        weight=totals["weight"], customer_note=checkout.customer_note, created_at=now,
        expires_at=now + timedelta(minutes=settings.ORDER_UNPAID_EXPIRY_MINUTES),
    )
    order_lines = []
    for line in lines:
        variant, list_price = found[line.variant_id]
        unit, source, ref = line_unit_price(line, list_price, channel)
        order_line = OrderLine(
            order=order, variant=variant, organization_id=variant.product.organization_id,
            product_name=variant.product.name, variant_name=variant.name,
            product_sku=variant.sku, quantity=line.quantity, currency=channel.currency_code,
            unit_price_amount=unit, undiscounted_unit_price_amount=money(list_price),
            total_price_amount=money(unit * line.quantity), unit_weight=_variant_weight(variant),
            is_shipping_required=variant.product.product_type.is_shipping_required,
            source=source, source_ref=ref,
        )
        order_line._track_inventory = variant.track_inventory
        order_lines.append(order_line)
    OrderLine.objects.bulk_create(order_lines)
    record_event(order, OrderEvent.Type.PLACED, user=order_user,
                 message=_("Order placed from checkout."))
    # Hooks (settings.CHECKOUT_COMPLETE_HOOKS) get (order, [(checkout_line, order_line)])
    # in this transaction, e.g. to take live-priced units from a broadcast's allocation;
    # a line they allocated is marked ``_track_inventory = False``.
    for path in getattr(settings, "CHECKOUT_COMPLETE_HOOKS", []):
        import_string(path)(order, list(zip(lines, order_lines)))
    # Last: the stock rows stay locked only for the rest of this transaction.
    allocate_stock(order_lines, channel)
    return order


def _notify(order: Order, kind: str) -> None:
    from .tasks import send_order_notification

    send_order_notification.delay(order.pk, kind)


# Orders --------------------------------------------------------------------------------

def _locked_order(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def cancel_order(order: Order, user=None, reason: str = "") -> Order:
    """Cancel an order nothing of which has shipped; its reserved stock is released."""
    order = _locked_order(order)
    if order.status not in (Order.Status.UNPAID, Order.Status.PAID):
        raise field_error("id", _("This order can't be cancelled."),
                          OrderErrorCode.CANNOT_CANCEL_ORDER.value)
    was_paid = order.status == Order.Status.PAID
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    released = deallocate_order_stock(order)
    Payment.objects.filter(order=order, status=Payment.Status.PENDING).update(
        status=Payment.Status.CANCELLED)
    record_event(order, OrderEvent.Type.CANCELLED, user=user,
                 message=reason or _("Cancelled."), released_units=released,
                 refund_needed=was_paid)
    transaction.on_commit(lambda: _notify(order, "order_cancelled"))
    return order


def expire_order(order_id: int) -> bool:
    """Cancel one unpaid order whose time to pay has passed; ``False`` if it was paid,
    cancelled or expired meanwhile (so running twice changes nothing)."""
    with transaction.atomic():
        order = (Order.objects.select_for_update(skip_locked=True)
                 .filter(pk=order_id, status=Order.Status.UNPAID,
                         expires_at__lte=timezone.now()).first())
        if order is None:
            return False
        order.status = Order.Status.CANCELLED
        order.save(update_fields=["status", "updated_at"])
        released = deallocate_order_stock(order)
        Payment.objects.filter(order=order, status=Payment.Status.PENDING).update(
            status=Payment.Status.CANCELLED)
        record_event(order, OrderEvent.Type.EXPIRED,
                     message=_("Not paid in time; the reserved stock was released."),
                     released_units=released)
    return True


def expire_unpaid_orders(limit: int = 500) -> int:
    ids = list(Order.objects.filter(status=Order.Status.UNPAID, expires_at__lte=timezone.now())
               .order_by("expires_at").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if expire_order(pk))


@transaction.atomic
def fulfill_order_lines(order: Order, organization: Organization, lines: list[dict], *,
                        carrier: str, tracking_number: str, user=None) -> Fulfillment:
    """A seller ships some of its own lines: ``lines`` is ``[{"order_line_id", "quantity"}]``.

    Refused for lines of another seller, for unpaid orders and beyond what is left."""
    order = _locked_order(order)
    if order.status not in (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED):
        raise field_error("order", _("Only paid orders can be shipped."),
                          OrderErrorCode.CANNOT_FULFILL_UNPAID_ORDER.value)
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier:
        raise field_error("carrier", _("This field is required."), OrderErrorCode.REQUIRED.value)
    if not tracking_number:
        raise field_error("tracking_number", _("This field is required."),
                          OrderErrorCode.REQUIRED.value)
    if not lines:
        raise field_error("lines", _("Choose at least one line to ship."),
                          OrderErrorCode.REQUIRED.value)
    own = {line.pk: line for line in order.lines.select_for_update().filter(
        organization=organization)}
    for item in lines:
        line = own.get(item["order_line_id"])
        if line is None:
            raise field_error("order_line_id",
                              _("You can only ship your own organisation's lines."),
                              OrderErrorCode.FULFILL_ORDER_LINE.value)
        if item["quantity"] <= 0 or item["quantity"] > line.quantity_unfulfilled:
            raise field_error("quantity", _("Only %(n)s units of this line are left to ship."),
                              OrderErrorCode.FULFILL_ORDER_LINE.value, n=line.quantity_unfulfilled)
    fulfillment = Fulfillment.objects.create(
        order=order, organization=organization, carrier=carrier, tracking_number=tracking_number,
        created_by=user, fulfillment_order=order.fulfillments.count() + 1)
    for item in lines:
        line = own[item["order_line_id"]]
        _ship_allocated_stock(line, item["quantity"])
        line.quantity_fulfilled += item["quantity"]
        line.save(update_fields=["quantity_fulfilled"])
        FulfillmentLine.objects.create(fulfillment=fulfillment, order_line=line,
                                       quantity=item["quantity"])
    unshipped = any(line.quantity_unfulfilled > 0 for line in order.lines.all())
    order.status = Order.Status.PARTIALLY_SHIPPED if unshipped else Order.Status.SHIPPED
    order.save(update_fields=["status", "updated_at"])
    record_event(order, OrderEvent.Type.SHIPPED, user=user,
                 message=_("%(seller)s shipped with %(carrier)s, tracking number %(number)s")
                 % {"seller": organization.name, "carrier": carrier, "number": tracking_number},
                 carrier=carrier, tracking_number=tracking_number,
                 organization=organization.pk, fulfillment=fulfillment.pk)
    transaction.on_commit(lambda: _notify(order, f"order_shipped:{fulfillment.pk}"))
    return fulfillment


@transaction.atomic
def mark_order_delivered(order: Order, user=None) -> Order:
    order = _locked_order(order)
    if order.status != Order.Status.SHIPPED:
        raise field_error("id", _("Only shipped orders can be marked delivered."),
                          OrderErrorCode.INVALID.value)
    order.status = Order.Status.DELIVERED
    order.save(update_fields=["status", "updated_at"])
    order.fulfillments.update(status=Fulfillment.Status.DELIVERED)
    record_event(order, OrderEvent.Type.DELIVERED, user=user, message=_("Delivered."))
    # In this transaction: the supply chain marks the order's shipped codes sold.
    order_delivered.send(sender=Order, order=order, user=user)
    return order


# Payments ------------------------------------------------------------------------------

SUPPORTED_GATEWAYS = {"alipay"}


@transaction.atomic
def start_payment(order: Order, gateway: str = "alipay", *, device: str = "PC",
                  return_url: str = "", user=None) -> tuple[Payment, str]:
    """Start paying ``order`` (Saleor's ``transactionInitialize``): one pending payment per
    order and gateway, and the signed URL that takes the buyer to Alipay's cashier."""
    from . import payments

    if gateway not in SUPPORTED_GATEWAYS:
        raise field_error("payment_gateway", _("The payment gateway %(gateway)s is not available.")
                          % {"gateway": gateway}, PaymentErrorCode.NOT_SUPPORTED_GATEWAY.value)
    order = _locked_order(order)
    if order.status != Order.Status.UNPAID:
        raise field_error("id", _("This order does not need a payment."),
                          PaymentErrorCode.INVALID.value)
    if order.expires_at and order.expires_at <= timezone.now():
        raise field_error("id", _("The time to pay this order has passed."),
                          PaymentErrorCode.INVALID.value)
    payment = order.payments.filter(gateway=gateway, status=Payment.Status.PENDING).first()
    if payment is None:
        payment = Payment.objects.create(order=order, gateway=gateway, amount=order.total_amount,
                                         currency=order.currency,
                                         out_trade_no=f"{order.number}{secrets.randbelow(10**6):06d}")
        record_event(order, OrderEvent.Type.PAYMENT_STARTED, user=user,
                     message=_("Payment started with Alipay."), payment=payment.pk)
    try:
        url = payments.trade_pay_url(payment, order, device=device, return_url=return_url)
    except payments.AlipayNotConfigured as error:
        raise field_error("payment_gateway", str(error), PaymentErrorCode.PAYMENT_ERROR.value)
    return payment, url


def _reject_notice(params: dict, reason: str, out_trade_no: str = "") -> str:
    PaymentNotice.objects.create(notify_id=params.get("notify_id", "")[:128],
                                 out_trade_no=out_trade_no[:64],
                                 outcome=PaymentNotice.Outcome.REJECTED, reason=reason,
                                 payload=params)
    logger.warning("Alipay notice rejected (%s): out_trade_no=%s notify_id=%s", reason,
                   out_trade_no, params.get("notify_id", ""))
    return PaymentNotice.Outcome.REJECTED


def handle_alipay_notice(params: dict) -> str:
    """Process an asynchronous payment notice; returns the outcome.

    Checked in order: the RSA2 signature (Alipay's public key), our ``app_id``, a known
    ``out_trade_no``, ``total_amount`` equal to the payment, ``trade_status``. A notice
    for a payment already charged is a replay: it changes nothing."""
    from . import payments

    params = {k: str(v) for k, v in params.items()}
    out_trade_no = params.get("out_trade_no", "")
    if not payments.verify_notice(params):
        return _reject_notice(params, "bad_signature", out_trade_no)
    if params.get("app_id") != settings.ALIPAY_APP_ID:
        return _reject_notice(params, "wrong_app_id", out_trade_no)
    payment = Payment.objects.filter(out_trade_no=out_trade_no, gateway="alipay").first()
    if payment is None:
        return _reject_notice(params, "unknown_out_trade_no", out_trade_no)
    try:
        amount = money(params.get("total_amount", ""))
    except ArithmeticError:
        return _reject_notice(params, "bad_amount", out_trade_no)
    if amount != payment.amount:
        return _reject_notice(params, "amount_mismatch", out_trade_no)
    status = params.get("trade_status", "")
    if status not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
        PaymentNotice.objects.create(notify_id=params.get("notify_id", ""), out_trade_no=out_trade_no,
                                     outcome=PaymentNotice.Outcome.IGNORED, reason=status.lower(),
                                     payload=params)
        return PaymentNotice.Outcome.IGNORED
    charged = confirm_payment(payment, trade_no=params.get("trade_no", ""), amount=amount,
                              buyer=params.get("buyer_logon_id", ""), source="notice")
    outcome = PaymentNotice.Outcome.ACCEPTED if charged else PaymentNotice.Outcome.DUPLICATE
    PaymentNotice.objects.create(notify_id=params.get("notify_id", ""), out_trade_no=out_trade_no,
                                 outcome=outcome, payload=params,
                                 reason="" if charged else "already_processed")
    if not charged:
        logger.info("Alipay notice for %s already processed; nothing changed", out_trade_no)
    return outcome


def confirm_payment(payment: Payment, *, trade_no: str, amount: Decimal, buyer: str = "",
                    source: str) -> bool:
    """Mark the payment charged and its order paid, exactly once; ``False`` when it
    already was. A payment for an order cancelled meanwhile is recorded and flagged for a
    refund instead of reviving the order."""
    with transaction.atomic():
        order = _locked_order(payment.order)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.charged_amount > 0 or payment.status not in (Payment.Status.PENDING, Payment.Status.CANCELLED):
            return False
        now = timezone.now()
        payment.status = Payment.Status.CHARGED
        payment.psp_reference = trade_no
        payment.charged_amount = amount
        payment.buyer_logon_id = buyer[:100]
        payment.charged_at = now
        payment.save()
        order.total_charged_amount = money(order.total_charged_amount + amount)
        if order.status == Order.Status.UNPAID:
            order.status = Order.Status.PAID
            order.paid_at = now
            order.save(update_fields=["status", "paid_at", "total_charged_amount", "updated_at"])
            record_event(order, OrderEvent.Type.PAID,
                         message=_("Paid with Alipay, trade number %(trade_no)s")
                         % {"trade_no": trade_no}, amount=str(amount), source=source,
                         payment=payment.pk)
            transaction.on_commit(lambda: _notify(order, "order_paid"))
        else:
            order.save(update_fields=["total_charged_amount", "updated_at"])
            record_event(order, OrderEvent.Type.PAYMENT_AFTER_CANCEL,
                         message=_("Payment arrived after the order was cancelled; refund it."),
                         amount=str(amount), source=source, payment=payment.pk)
            logger.warning("Payment %s arrived for cancelled order %s", payment.out_trade_no,
                           order.number)
    return True


def query_pending_payments(older_than_seconds: int = 60, limit: int = 100) -> int:
    """Ask Alipay (``alipay.trade.query``) about pending payments whose notice never came;
    confirm the ones that were paid. Returns how many were confirmed."""
    from . import payments

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    confirmed = 0
    pending = Payment.objects.filter(gateway="alipay", status=Payment.Status.PENDING,
                                     created_at__lte=cutoff).select_related("order")[:limit]
    for payment in pending:
        try:
            result = payments.query_trade(payment.out_trade_no)
        except payments.AlipayError as error:
            logger.warning("alipay.trade.query failed for %s: %s", payment.out_trade_no, error)
            continue
        Payment.objects.filter(pk=payment.pk).update(last_queried_at=timezone.now())
        if result.get("trade_status") not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            continue
        if money(result.get("total_amount", "0")) != payment.amount:
            logger.warning("alipay.trade.query amount mismatch for %s", payment.out_trade_no)
            continue
        if confirm_payment(payment, trade_no=result.get("trade_no", ""),
                           amount=payment.amount, buyer=result.get("buyer_logon_id", ""),
                           source="query"):
            confirmed += 1
    return confirmed


def refund_order(order: Order, amount: Decimal, reason: str, user=None) -> Refund:
    """Staff refund through ``alipay.trade.refund``; recorded whether it succeeds or not.
    A full refund of an order nothing of which has shipped also releases its stock."""
    from . import payments

    amount = money(amount)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Give a reason for the refund."),
                          OrderErrorCode.REQUIRED.value)
    with transaction.atomic():
        order = _locked_order(order)
        payment = (order.payments.select_for_update()
                   .filter(status__in=[Payment.Status.CHARGED, Payment.Status.PARTIALLY_REFUNDED])
                   .first())
        if payment is None:
            raise field_error("id", _("This order has no payment to refund."),
                              OrderErrorCode.CANNOT_REFUND.value)
        refundable = payment.charged_amount - payment.refunded_amount
        if amount <= 0 or amount > refundable:
            raise field_error("amount", _("You can refund at most %(max)s."),
                              OrderErrorCode.CANNOT_REFUND.value, max=str(refundable))
        out_request_no = f"R{payment.out_trade_no}{payment.refunds.count() + 1:02d}"
    # The gateway call is outside the lock-holding transaction; out_request_no makes a
    # retried refund idempotent at Alipay.
    try:
        payments.refund_trade(payment.out_trade_no, amount, reason, out_request_no)
        ok, message = True, ""
    except payments.AlipayError as error:
        ok, message = False, str(error)[:255]
    with transaction.atomic():
        order = _locked_order(order)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        refund = Refund.objects.create(
            payment=payment, order=order, out_request_no=out_request_no, amount=amount,
            currency=order.currency, reason=reason, created_by=user,
            status=Refund.Status.SUCCESS if ok else Refund.Status.FAILED, gateway_message=message)
        if not ok:
            record_event(order, OrderEvent.Type.REFUND_FAILED, user=user, message=message,
                         amount=str(amount))
            return refund
        payment.refunded_amount = money(payment.refunded_amount + amount)
        full = payment.refunded_amount >= payment.charged_amount
        payment.status = Payment.Status.REFUNDED if full else Payment.Status.PARTIALLY_REFUNDED
        payment.save(update_fields=["refunded_amount", "status", "updated_at"])
        order.total_refunded_amount = money(order.total_refunded_amount + amount)
        fields = ["total_refunded_amount", "updated_at"]
        if full and order.total_refunded_amount >= order.total_charged_amount:
            if order.status in (Order.Status.PAID, Order.Status.CANCELLED):
                deallocate_order_stock(order)
            order.status = Order.Status.REFUNDED
            fields.append("status")
        order.save(update_fields=fields)
        record_event(order, OrderEvent.Type.REFUNDED, user=user, message=reason,
                     amount=str(amount), out_request_no=out_request_no)
        transaction.on_commit(lambda: _notify(order, f"order_refunded:{refund.pk}"))
    return refund
