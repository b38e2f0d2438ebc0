"""The checkout (the cart): lines, buyer's e-mail, addresses, delivery method, prices and
totals. Completing it is ``shop.services.orders.complete_checkout``.

A line's price comes from the channel listing unless a price hook answers
(``shop.hooks``, e.g. a live price during a broadcast)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import (
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)

from .. import hooks, pickup, soldout
from ..addresses import clean_address
from ..error_codes import CheckoutErrorCode
from ..errors import field_error
from ..models import ADDRESS_FIELDS, Address, Checkout, CheckoutLine, ShippingMethod, User
from ..money import money
from .addresses import remember_address
from .channels import get_channel
from .shipping import shipping_price
from .stock import available_quantity
from .vouchers import checkout_discount

MAX_LINE_QUANTITY = 50


def purchasable_variants(variant_ids, channel) -> dict:
    """``{variant_id: (variant, price)}`` for variants a shopper can buy in ``channel``
    (priced there, their product's listing published and on sale): one query."""
    on_sale = ProductChannelListing.objects.filter(
        product=OuterRef("product_id"), channel=channel, is_published=True,
        available_for_purchase_at__lte=timezone.now())
    variants = (ProductVariant.objects
                .filter(pk__in=variant_ids, channel_listings__channel=channel)
                .filter(Exists(on_sale))
                .select_related("product__product_type")
                .annotate(listed_price=F("channel_listings__price_amount")))
    return {variant.pk: (variant, variant.listed_price) for variant in variants}


# What a completion reads of what it sells: each line (by variant) with the fields of its
# variant, product and product type that pricing, weighing and the order line use, the
# variant's price in the channel and whether its product is on sale there. Written out
# once (compiling the ORM's version of it cost a purchase more than running it); the
# other fields of those rows are left deferred.
_SOLD = (
    (CheckoutLine, "l", {"id", "checkout_id", "variant_id", "quantity", "source", "source_ref",
                         "created_at"}),
    (ProductVariant, "v", {"id", "product_id", "name", "sku", "weight", "track_inventory",
                           "quantity_limit_per_customer"}),
    (Product, "p", {"id", "organization_id", "product_type_id", "name", "slug", "weight"}),
    (ProductType, "t", {"id", "is_shipping_required", "weight"}),
)
# Each model with its alias and the fields read, in the model's order (``from_db``'s).
_SOLD_FIELDS = tuple((model, alias, [f for f in model._meta.concrete_fields if f.attname in wanted])
                     for model, alias, wanted in _SOLD)
_PRODUCT_TYPE = Product._meta.get_field("product_type")
_PRODUCT = ProductVariant._meta.get_field("product")
_VARIANT = CheckoutLine._meta.get_field("variant")
_LINES_FOR_SALE = """
SELECT {columns},
    (SELECT pl.price_amount FROM {variant_listing} pl
     WHERE pl.variant_id = l.variant_id AND pl.channel_id = %(channel)s ORDER BY pl.id LIMIT 1),
    EXISTS (SELECT 1 FROM {product_listing} cl
            WHERE cl.product_id = v.product_id AND cl.channel_id = %(channel)s
              AND cl.is_published AND cl.available_for_purchase_at <= %(now)s)
FROM {line} l JOIN {variant} v ON v.id = l.variant_id
JOIN {product} p ON p.id = v.product_id JOIN {product_type} t ON t.id = p.product_type_id
WHERE l.checkout_id = %(checkout)s ORDER BY l.variant_id"""


@cache
def _lines_for_sale_sql() -> str:
    columns = ", ".join(f'{alias}."{field.column}"'
                        for _model, alias, fields in _SOLD_FIELDS for field in fields)
    return _LINES_FOR_SALE.format(
        columns=columns, variant_listing=ProductVariantChannelListing._meta.db_table,
        product_listing=ProductChannelListing._meta.db_table, line=CheckoutLine._meta.db_table,
        variant=ProductVariant._meta.db_table, product=Product._meta.db_table,
        product_type=ProductType._meta.db_table)


def lines_for_sale(checkout: Checkout, channel) -> tuple[list[CheckoutLine], dict]:
    """The checkout's lines (by variant) with their variants, and ``purchasable_variants``
    of them, in one query (a completion's read of what it sells)."""
    with connection.cursor() as cursor:
        cursor.execute(_lines_for_sale_sql(), {"checkout": checkout.pk, "channel": channel.pk,
                                               "now": timezone.now()})
        rows = cursor.fetchall()
    db = connection.alias
    lines, found = [], {}
    for row in rows:
        start, objects = 0, []
        for model, _alias, fields in _SOLD_FIELDS:
            objects.append(model.from_db(db, [f.attname for f in fields],
                                         row[start:start + len(fields)]))
            start += len(fields)
        line, variant, product, product_type = objects
        _PRODUCT_TYPE.set_cached_value(product, product_type)
        _PRODUCT.set_cached_value(variant, product)
        _VARIANT.set_cached_value(line, variant)
        listed_price, on_sale = row[start:]
        lines.append(line)
        if listed_price is not None and on_sale:
            found[line.variant_id] = (variant, listed_price)
    return lines, found


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
                              items=f"{variant.product.name} {variant.name}".strip(),
                              variants=[variant.pk])
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
    soldout.remember_checkout(checkout.token, soldout.CheckoutCard(
        checkout.user_id, channel.pk,
        tuple((v.pk, *line_source, f"{v.product.name} {v.name}".strip()) for v, _q in cleaned),
    ) if cleaned else None)
    return checkout


def _clean_email(email: str, required: bool = True) -> str:
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


# What the sold-out gate needs of a checkout (``shop.soldout.CheckoutCard``), in one
# statement written out once: the lines in the checkout's order, as a refusal names them.
_CARD = """
SELECT c.user_id, c.channel_id, l.variant_id, l.source, l.source_ref, p.name, v.name
FROM {checkout} c JOIN {line} l ON l.checkout_id = c.token
JOIN {variant} v ON v.id = l.variant_id JOIN {product} p ON p.id = v.product_id
WHERE c.token = %s ORDER BY l.created_at, l.id"""


def checkout_card(token: uuid.UUID) -> soldout.CheckoutCard | None:
    """The checkout's card as the database has it; ``None`` without the checkout or its
    lines."""
    with connection.cursor() as cursor:
        cursor.execute(_CARD.format(
            checkout=Checkout._meta.db_table, line=CheckoutLine._meta.db_table,
            variant=ProductVariant._meta.db_table, product=Product._meta.db_table), [token])
        rows = cursor.fetchall()
    if not rows:
        return None
    return soldout.CheckoutCard(rows[0][0], rows[0][1], tuple(
        (variant, source, ref, f"{product} {name}".strip())
        for _owner, _channel, variant, source, ref, product, name in rows))


def _remember(checkout: Checkout) -> None:
    """The gate's card of ``checkout``, changed in this transaction under its row lock."""
    soldout.remember_checkout(checkout.token, checkout_card(checkout.token))


def forget_cards_of_deleted_variant(sender, instance, **kwargs) -> None:
    """Receiver of ``pre_delete`` for a variant (connected in ``apps.py``): its lines go
    from every checkout holding it, so those checkouts' cards are retired (a new stamp once
    the deletion commits), and no refusal names a line the checkout no longer has."""
    for token in (CheckoutLine.objects.filter(variant_id=instance.pk)
                  .values_list("checkout_id", flat=True)):
        soldout.remember_checkout(token, None)


def get_checkout(token) -> Checkout | None:
    try:
        token = uuid.UUID(str(token))
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
    _remember(checkout)
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
    _remember(checkout)
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
    _remember(checkout)
    return checkout


@transaction.atomic
def assign_checkout_to_user(checkout: Checkout, user: User) -> Checkout:
    """A guest's checkout becomes the signed-in user's (their e-mail filled in when none
    was given); a checkout of another user is left alone."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if checkout.user_id not in (None, user.pk):
        return checkout
    checkout.user = user
    checkout.email = checkout.email or user.email or ""
    checkout.save(update_fields=["user", "email", "updated_at"])
    _remember(checkout)
    return checkout


def update_checkout_email(checkout: Checkout, email: str) -> Checkout:
    checkout.email = _clean_email(email)
    checkout.save(update_fields=["email", "updated_at"])
    return checkout


@transaction.atomic
def update_checkout_address(checkout: Checkout, kind: str, data: dict, *,
                            remember_for: User | None = None) -> Checkout:
    """``kind`` is ``shipping`` or ``billing``. A changed shipping address drops a
    shipping method that no longer serves it. ``remember_for``: the buyer asked to keep
    the address in their address book too (``saveAddress``; a guest has none)."""
    address = _save_address(data)
    remember_address(remember_for, data)
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
    pickup.refuse_unserved(method, checkout)
    checkout.shipping_method = method
    checkout.save(update_fields=["shipping_method", "updated_at"])
    return checkout


def _price_request(line: CheckoutLine, list_price: Decimal, channel) -> hooks.LinePriceRequest:
    return hooks.LinePriceRequest(
        checkout_line_id=line.pk, variant_id=line.variant_id, quantity=line.quantity,
        list_price=list_price, channel_id=channel.pk, channel_slug=channel.slug,
        source=line.source, source_ref=line.source_ref)


def line_price(line: CheckoutLine, list_price: Decimal, channel) -> hooks.LinePrice:
    """The price ``line`` sells at in ``channel``: the first price hook's answer (a live
    price during a broadcast), else ``list_price`` with the line's own attribution."""
    return hooks.price_line(_price_request(line, list_price, channel))


def line_unit_price(line: CheckoutLine, list_price: Decimal, channel) -> tuple[Decimal, str, str]:
    """The unit price ``line`` sells at, and its attribution ``(source, source_ref)``."""
    price = line_price(line, list_price, channel)
    return price.amount, price.source, price.source_ref


@dataclass(frozen=True)
class PricedLine:
    """A purchasable checkout line with its variant, list price and selling price."""

    line: CheckoutLine
    variant: ProductVariant
    list_price: Decimal
    price: hooks.LinePrice


def priced_lines(lines: list[CheckoutLine], channel,
                 found: dict | None = None) -> list[PricedLine]:
    """The purchasable ``lines`` (``found``: ``purchasable_variants`` of them, read when
    not given), priced together: each price hook is asked once for all of them."""
    if found is None:
        found = purchasable_variants([line.variant_id for line in lines], channel)
    rows = [(line, *found[line.variant_id]) for line in lines if line.variant_id in found]
    prices = hooks.price_lines([_price_request(line, list_price, channel)
                                for line, _variant, list_price in rows])
    return [PricedLine(line, variant, list_price, price)
            for (line, variant, list_price), price in zip(rows, prices, strict=True)]


def variant_weight(variant) -> Decimal:
    """The weight of one unit: the variant's, else its product's, else the product type's."""
    return (variant.weight or variant.product.weight or variant.product.product_type.weight
            or Decimal(0))


def checkout_totals(checkout: Checkout, priced: list[PricedLine] | None = None,
                    with_discount: bool = True) -> dict:
    """Subtotal, weight, shipping and total of a checkout at the current prices
    (``priced``: its lines already priced by ``priced_lines``; ``with_discount=False``
    leaves the promo code out, for a caller that checks it itself)."""
    if priced is None:
        priced = priced_lines(list(checkout.lines.all()), checkout.channel)
    subtotal = sum((p.price.amount * p.line.quantity for p in priced), Decimal(0))
    weight = sum((variant_weight(p.variant) * p.line.quantity for p in priced), Decimal(0))
    shipping = None
    if checkout.shipping_method_id and checkout.shipping_address_id:
        shipping = shipping_price(checkout.shipping_method,
                                  checkout.shipping_address.country_area, weight, subtotal)
    subtotal = money(subtotal)
    voucher, discount = (checkout_discount(checkout, subtotal) if with_discount
                         else (None, Decimal(0)))
    return {"subtotal": subtotal, "weight": weight, "shipping": shipping,
            "voucher": voucher, "discount": discount,
            "total": money(subtotal - discount + (shipping or 0)),
            "currency": checkout.channel.currency_code}


def available_shipping_methods(checkout: Checkout) -> list[tuple[ShippingMethod, Decimal]]:
    if checkout.shipping_address_id is None:
        return []
    totals = checkout_totals(checkout)
    result = []
    for method in ShippingMethod.objects.filter(channel=checkout.channel, is_active=True):
        price = shipping_price(method, checkout.shipping_address.country_area,
                               totals["weight"], totals["subtotal"])
        if price is not None and pickup.serves(method, checkout):
            result.append((method, price))
    return result
