"""Orders: placing one from a checkout (stock reserved in the same transaction), its
event log, cancellation and the expiry of unpaid orders."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from functools import cache, partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import hooks, languages, outbox, soldout
from ..error_codes import CheckoutErrorCode, OrderErrorCode
from ..errors import field_error
from ..models import (
    Address,
    Channel,
    Checkout,
    CheckoutLine,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    ShippingMethod,
)
from ..money import money
from ..signals import order_cancelled
from .cashiers import call_off_order_cashiers
from .checkout import (
    checkout_card,
    checkout_totals,
    lines_for_sale,
    priced_lines,
    variant_weight,
)
from .stock import allocate_stock, can_commit_with_take, deallocate_order_stock
from .vouchers import use_voucher


def record_event(order: Order, type_: str, user=None, message: str = "", **parameters):
    """Add to the order's history (who, what, when); an anonymous user is recorded as none."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return OrderEvent.objects.create(order=order, type=type_, user=user, message=message[:255],
                                     parameters=parameters)


def locked_order(order: Order) -> Order:
    """``order`` read again with its row locked until the end of the transaction."""
    return Order.objects.select_for_update().get(pk=order.pk)


def queue_order_notification(order: Order, kind: str) -> None:
    """Queue the buyer's e-mail about ``kind``: call it inside the transaction that made
    the change, so that the notification is written with it (``shop.outbox``) and sent
    once it commits, even when the broker is down at that moment."""
    outbox.enqueue("shop.tasks.send_order_notification", {"order_id": order.pk, "kind": kind})


# The checkout locked, with what the order takes from it (its channel, its addresses, its
# shipping method) and the next order number (one round trip less per order), written
# out once: compiling the ORM's version of it cost a purchase more than running it.
# Fields the database hands back in another form (the checkout's metadata, JSON) are left
# deferred: an order does not copy them.
_LOCKED_CHECKOUT = """
SELECT {columns}, nextval('shop_order_number_seq') FROM {checkout} c
JOIN {channel} ch ON ch.id = c.channel_id
LEFT JOIN {address} sa ON sa.id = c.shipping_address_id
LEFT JOIN {address} ba ON ba.id = c.billing_address_id
LEFT JOIN {method} sm ON sm.id = c.shipping_method_id
WHERE c.token = %s FOR UPDATE OF c"""
# (model, alias, the checkout's field holding it) of each part of a row, the checkout first.
_LOCKED_PARTS = ((Checkout, "c", None), (Channel, "ch", "channel"),
                 (Address, "sa", "shipping_address"), (Address, "ba", "billing_address"),
                 (ShippingMethod, "sm", "shipping_method"))


@cache
def _locked_checkout_sql() -> tuple[str, tuple]:
    """The statement and, for each part of its row, ``(model, fields, checkout's field)``."""
    parts = tuple((model, [f for f in model._meta.concrete_fields
                           if not f.get_db_converters(connection)],
                   field and Checkout._meta.get_field(field))
                  for model, _alias, field in _LOCKED_PARTS)
    columns = ", ".join(f'{alias}."{f.column}"' for (_m, alias, _f), (_model, fields, _field)
                        in zip(_LOCKED_PARTS, parts, strict=True) for f in fields)
    return _LOCKED_CHECKOUT.format(
        columns=columns, checkout=Checkout._meta.db_table, channel=Channel._meta.db_table,
        address=Address._meta.db_table, method=ShippingMethod._meta.db_table), parts


def _locked_checkout(token: uuid.UUID) -> Checkout | None:
    """Checkout ``token`` locked until the end of the transaction, with its channel,
    addresses and shipping method, and ``order_number`` (the next one)."""
    sql, parts = _locked_checkout_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [token])
        row = cursor.fetchone()
    if row is None:
        return None
    db, start, checkout = connection.alias, 0, None
    for model, fields, field in parts:
        values = row[start:start + len(fields)]
        start += len(fields)
        obj = None if values[0] is None else model.from_db(db, [f.attname for f in fields],
                                                             values)
        if field is None:
            checkout = obj
        else:
            field.set_cached_value(checkout, obj)
    checkout.order_number = row[start]
    return checkout


def refuse_sold_out(token, visible=None) -> tuple[list, dict]:
    """Refuse at once, before any lock, a checkout with a line whose variant (or whose
    broadcast's allocation) is known to be sold out (``shop.soldout``), naming exactly
    those lines; returns the gates the completion must report to and their epochs
    (``complete_checkout``'s ``gated``). A checkout ``visible`` does not let the caller
    see is left to the locked read (which answers it as not found). The checkout's lines
    come from its card in the cache (read from the database when the cache has none):
    one or two cache round trips and no statement, needing no transaction, so a caller that
    opens one for the completion asks this first and a refusal costs no BEGIN and
    COMMIT."""
    token = _checkout_token(token)
    card, fetched = soldout.checkout_card(token, partial(checkout_card, token))
    if card is None or (visible is not None and not visible(card.owner_id)):
        return [], {}
    gates = card.gates()
    closed, epochs = soldout.read(gates, fetched)
    closed = set(closed)
    refused = [line for line, refusing in card.line_gates() if closed.intersection(refusing)]
    if refused:
        raise field_error("quantity", _("Insufficient product stock: %(items)s"),
                          CheckoutErrorCode.INSUFFICIENT_STOCK,
                          items="、".join(name for *_rest, name in refused),
                          variants=[variant for variant, *_rest in refused])
    return gates, epochs


def _not_found():
    return field_error("id", _("Couldn't resolve to a node: checkout"),
                       CheckoutErrorCode.NOT_FOUND.value)


def _checkout_token(token) -> uuid.UUID:
    try:
        return uuid.UUID(str(token))
    except ValueError:
        raise _not_found() from None


def complete_checkout(token, user=None, *, visible=None, on_placed=None,
                      savepoint: bool = True, gated: tuple[list, dict] | None = None) -> Order:
    """Turn a checkout into an unpaid order and reserve its stock, in one transaction.

    Idempotent: completing an already completed checkout returns its order (the
    checkout row is locked first, so two concurrent completions cannot both pass).
    Once sold out, refused from the sold-out gate without touching a row.

    ``visible(user_id)`` says whether the caller may see a checkout (or order) of that
    owner (``None``: a guest's); one it may not see is not found. ``on_placed(order)``
    runs in the transaction once the order is written, before the stock is taken (the
    checkout's payments attached to it), and on the order completed already.
    ``savepoint=False`` for a caller whose transaction ends with this completion and is
    rolled back whole on a refusal (the API's mutation): no SAVEPOINT, and no RELEASE
    round trip while the hot stock row is locked; when that transaction is the
    connection's own (not a savepoint of an outer one), the stock of a single line is
    taken and the transaction committed in one round trip. ``gated``: what
    ``refuse_sold_out`` answered the caller for this checkout just before (it is not
    asked again)."""
    token = _checkout_token(token)
    gates, epochs = gated if gated is not None else refuse_sold_out(token, visible)
    # The caller's atomic block and this one, nothing around them.
    commit = (not savepoint and len(transaction.get_connection().atomic_blocks) == 1
              and can_commit_with_take())
    with soldout.guard(gates, epochs), transaction.atomic(savepoint=savepoint):
        checkout = _locked_checkout(token)
        if checkout is None:
            order = Order.objects.filter(checkout_token=token).first()
            if order is not None and (visible is None or visible(order.user_id)):
                if on_placed is not None:
                    on_placed(order)  # e.g. a payment charged after the first completion
                return order
            raise _not_found()
        if visible is not None and not visible(checkout.user_id):
            raise _not_found()
        order, take_stock = _create_order_from_checkout(checkout, user)
        queue_order_notification(order, "order_placed")
        if on_placed is not None:
            on_placed(order)
        _delete_checkout(checkout)
        soldout.forget_checkout(token)
        _check_references_now()
        take_stock(commit)  # last: the stock rows stay locked only until the commit
    return order


# The completed checkout and its lines in one statement (Django's deletion sends one per
# table); nothing else refers to a checkout.
_DELETE_CHECKOUT = """
WITH lines AS (DELETE FROM {line} WHERE checkout_id = %(token)s)
DELETE FROM {checkout} WHERE token = %(token)s"""


def _delete_checkout(checkout: Checkout) -> None:
    """Delete the checkout and its lines, with the signals Django's deletion sends (the
    storefront's cart count follows them)."""
    pre_delete.send(sender=Checkout, instance=checkout, using=connection.alias,
                    origin=checkout)
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_CHECKOUT.format(line=CheckoutLine._meta.db_table,
                                               checkout=Checkout._meta.db_table),
                       {"token": checkout.token})
    post_delete.send(sender=Checkout, instance=checkout, using=connection.alias,
                     origin=checkout)


def _check_references_now() -> None:
    """Check the foreign keys of the rows written so far now, not at the COMMIT (Django
    declares them deferred): the COMMIT that ends a purchase then has no checks left to
    run while the hot stock row is locked."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _create_order_from_checkout(checkout: Checkout, user):
    """The order, its lines and events; returns ``(order, take_stock)``, ``take_stock``
    running the completion hooks and allocating the tracked lines' stock."""
    channel = checkout.channel
    lines, found = lines_for_sale(checkout, channel)
    if not lines:
        raise field_error("lines", _("Cannot complete a checkout without lines."),
                          CheckoutErrorCode.NO_LINES.value)
    # A buyer who signs in by mobile number may have no e-mail: the order reaches them
    # by text message, at the number they proved (and the shipping address's).
    if not checkout.email and not getattr(
            user if getattr(user, "is_authenticated", False) else checkout.user,
            "verified_phone", None):
        raise field_error("email", _("Email address is not set."),
                          CheckoutErrorCode.EMAIL_NOT_SET.value)
    # Read and priced once (each price hook asked once for every line): the totals and
    # the order lines below use the same prices.
    priced = priced_lines(lines, channel, found)
    if len(priced) < len(lines):
        raise field_error("lines", _("Some products are no longer available in this channel."),
                          CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL.value)
    shipping_required = any(p.variant.product.product_type.is_shipping_required
                            for p in priced)
    # The promo code is checked by use_voucher below, under its row lock.
    totals = checkout_totals(checkout, priced, with_discount=False)
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
    # The checkout's own address rows become the order's: the checkout goes with this
    # transaction, and nothing else refers to them.
    shipping_address = checkout.shipping_address
    billing_address = checkout.billing_address or shipping_address
    order_user = user if user is not None and user.is_authenticated else checkout.user
    now = timezone.now()
    order = Order.objects.create(
        number=checkout.order_number, checkout_token=checkout.token, channel=channel,
        user=order_user, user_email=checkout.email, status=Order.Status.UNPAID,
        shipping_address=shipping_address, billing_address=billing_address,
        shipping_method=checkout.shipping_method if shipping_required else None,
        shipping_method_name=checkout.shipping_method.name if shipping_required else "",
        currency=channel.currency_code, subtotal_amount=totals["subtotal"],
        shipping_price_amount=shipping, total_amount=money(totals["subtotal"] + shipping),
        weight=totals["weight"], customer_note=checkout.customer_note, created_at=now,
        expires_at=now + timedelta(minutes=settings.ORDER_UNPAID_EXPIRY_MINUTES),
        language_code=languages.from_enum_name(checkout.language_code),
    )
    # The promo code is checked again now (it may have expired or been used up) and its
    # use recorded; a code that no longer applies refuses the order.
    voucher, discount = use_voucher(checkout, totals["subtotal"], order)
    if voucher is not None:
        order.voucher, order.discount_amount = voucher, discount
        order.total_amount = money(order.total_amount - discount)
        order.save(update_fields=["voucher", "discount_amount", "total_amount"])
    completed = []
    for p in priced:
        variant, line, price = p.variant, p.line, p.price
        order_line = OrderLine(
            order=order, variant=variant, organization_id=variant.product.organization_id,
            product_name=variant.product.name, variant_name=variant.name,
            product_sku=variant.sku, quantity=line.quantity, currency=channel.currency_code,
            unit_price_amount=price.amount, undiscounted_unit_price_amount=money(p.list_price),
            total_price_amount=money(price.amount * line.quantity),
            unit_weight=variant_weight(variant),
            is_shipping_required=variant.product.product_type.is_shipping_required,
            source=price.source, source_ref=price.source_ref,
        )
        completed.append(hooks.CompletedLine(
            order_line=order_line, checkout_line_id=line.pk, variant_id=line.variant_id,
            quantity=line.quantity, price=price))
    OrderLine.objects.bulk_create([c.order_line for c in completed])
    record_event(order, OrderEvent.Type.PLACED, user=order_user,
                 message=_("Order placed from checkout."))

    def take_stock(commit: bool):
        # Completion hooks run in this transaction (e.g. live-priced units taken from a
        # broadcast's allocation, whose line-up item row is as hot as a stock row) and say
        # which lines they allocated themselves; the shop allocates the others' stock.
        allocated = hooks.complete_lines(order, completed)
        allocate_stock([c.order_line for c, p in zip(completed, priced, strict=True)
                        if c.order_line.pk not in allocated and p.variant.track_inventory],
                       channel, commit=commit)

    # Called by complete_checkout last (after the checkout is gone), so that the hot rows
    # stay locked only until the commit that follows.
    return order, take_stock


@transaction.atomic
def cancel_order(order: Order, user=None, reason: str = "") -> Order:
    """Cancel an order nothing of which has shipped; its reserved stock is released."""
    order = locked_order(order)
    if order.status not in (Order.Status.UNPAID, Order.Status.PAID):
        raise field_error("id", _("This order can't be cancelled."),
                          OrderErrorCode.CANNOT_CANCEL_ORDER.value)
    was_paid = order.status == Order.Status.PAID
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    released = deallocate_order_stock(order)
    order_cancelled.send(sender=Order, order=order, user=user)
    call_off_order_cashiers(order)
    owed = Decimal(0) if was_paid else owe_back_charges(order)
    record_event(order, OrderEvent.Type.CANCELLED, user=user,
                 message=reason or _("Cancelled."), released_units=released,
                 refund_needed=was_paid, refund_due=str(owed))
    queue_order_notification(order, "order_cancelled")
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
        order_cancelled.send(sender=Order, order=order, user=None)
        call_off_order_cashiers(order)
        owed = owe_back_charges(order)
        record_event(order, OrderEvent.Type.EXPIRED,
                     message=_("Not paid in time; the reserved stock was released.")
                     if not owed else _("Not paid in time; the reserved stock was released "
                                        "and the part paid goes back to the buyer."),
                     released_units=released, refund_due=str(owed))
    return True


def owe_back_charges(order: Order) -> Decimal:
    """An unpaid order called off with a part charged owes that part back: marked due on
    its payments, in the caller's transaction, and refunded at the gateway after the
    commit (``shop.services.payments.refund_due_payments``). Returns the amount."""
    owed = Decimal(0)
    for payment in Payment.objects.select_for_update().filter(
            order=order, status__in=[Payment.Status.CHARGED,
                                     Payment.Status.PARTIALLY_REFUNDED]):
        payment.refund_due_amount = money(payment.charged_amount - payment.refunded_amount)
        payment.save(update_fields=["refund_due_amount", "updated_at"])
        owed += payment.refund_due_amount
    if owed > 0:
        outbox.enqueue("shop.tasks.refund_due_payments", {"order_id": order.pk})
    return money(owed)


def expire_unpaid_orders(limit: int = 500) -> int:
    ids = list(Order.objects.filter(status=Order.Status.UNPAID, expires_at__lte=timezone.now())
               .order_by("expires_at").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if expire_order(pk))
