"""Buying from a broadcast: checkouts started from it carry its attribution; inside the
live window a line sells at the live price, from the live allocation, within the
per-buyer limit. The checkout reaches this module through ``shop.hooks``: ``live_price``
(a price hook) and ``take_live_allocation`` (a completion hook), registered by
``LivestreamConfig.ready``."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import soldout
from shop.errors import field_error
from shop.hooks import CompletedLine, LinePrice, LinePriceRequest
from shop.models import Allocation, Order, OrderLine
from shop.services import add_checkout_lines, allocate_reserved_stock, create_checkout

from ..error_codes import LivestreamErrorCode as Code
from ..models import Broadcast, LineupItem, LivePurchase, LiveStockReservation
from .common import SOURCE
from .lineup import live_price_applies

# ``LinePrice.held_by`` of the units this app holds for live-priced lines.
HOLDER = "livestream"


def _broadcast_pk(ref) -> int | None:
    try:
        return int(ref)
    except (TypeError, ValueError):
        return None


def live_price(requests: list[LinePriceRequest]) -> list[LinePrice | None]:
    """Price hook (``shop.hooks``): the live price of each line started from a broadcast,
    inside its window, to be taken from the line-up item's live allocation (``held_id``);
    one query for all the lines. Outside the window: no answer (the list price), and the
    line keeps its attribution (a post-live sale)."""
    wanted = {(pk, r.variant_id, r.channel_id) for r in requests if r.source == SOURCE
              and (pk := _broadcast_pk(r.source_ref)) is not None}
    items = {}
    if wanted:
        query = Q()
        for pk, variant_id, channel_id in wanted:
            query |= Q(broadcast_id=pk, variant_id=variant_id,
                       broadcast__channel_id=channel_id)
        for item in LineupItem.objects.select_related("broadcast").filter(query):
            key = (item.broadcast_id, item.variant_id, item.broadcast.channel_id)
            items.setdefault(key, item)
    now = timezone.now()
    answers = []
    for request in requests:
        pk = _broadcast_pk(request.source_ref) if request.source == SOURCE else None
        item = items.get((pk, request.variant_id, request.channel_id))
        if item is None or not live_price_applies(item, item.broadcast, now):
            answers.append(None)
            continue
        answers.append(LinePrice(amount=item.live_price_amount, source=SOURCE,
                                 source_ref=str(pk), held_by=HOLDER, held_id=item.pk,
                                 held_limit=item.per_buyer_limit or 0))
    return answers


def buyer_key(user=None, email: str = "") -> str:
    """Who bought, for the per-buyer limit: the account, else the e-mail address."""
    if user is not None and getattr(user, "pk", None):
        return f"user:{user.pk}"
    return f"email:{(email or '').strip().lower()}"


def _bought(item_id: int, buyer: str) -> int:
    return (LivePurchase.objects.filter(item_id=item_id, buyer=buyer)
            .exclude(order_line__order__status=Order.Status.CANCELLED)
            .aggregate(n=Sum("quantity"))["n"] or 0)


def _lock_buyer(item_id: int, buyer: str) -> None:
    """Serialise one buyer's purchases of one line-up item (a transaction-scoped advisory
    lock): their per-buyer count is exact without locking the item's row, which every
    buyer of the item needs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                       [f"livestream.buyer:{item_id}:{buyer}"])


# Under that lock, in one statement: what the buyer bought of the item before (orders not
# cancelled) and, when this purchase stays within the limit, its record.
_RECORD_WITHIN_LIMIT = """
WITH bought AS (
    SELECT COALESCE(SUM(p.quantity), 0) AS n FROM {purchase} p
    JOIN {line} l ON l.id = p.order_line_id JOIN {order} o ON o.id = l.order_id
    WHERE p.item_id = %(item_id)s AND p.buyer = %(buyer)s AND o.status <> %(cancelled)s
), recorded AS (
    INSERT INTO {purchase} (item_id, order_line_id, buyer, quantity, created_at)
    SELECT %(item_id)s, %(line)s, %(buyer)s, %(n)s, %(now)s FROM bought
    WHERE bought.n + %(n)s <= %(limit)s RETURNING id
)
SELECT bought.n, EXISTS (SELECT 1 FROM recorded) FROM bought"""


def _record_within_limit(item_id: int, order_line, buyer: str, limit: int) -> int:
    """Record the purchase of ``order_line`` by ``buyer`` if it stays within ``limit``
    (refused otherwise); returns what they had bought before. The caller holds the
    buyer's lock (``_lock_buyer``), so the count is exact."""
    with connection.cursor() as cursor:
        cursor.execute(_RECORD_WITHIN_LIMIT.format(
            purchase=LivePurchase._meta.db_table, line=OrderLine._meta.db_table,
            order=Order._meta.db_table), {
            "item_id": item_id, "line": order_line.pk, "buyer": buyer,
            "n": order_line.quantity, "limit": limit, "now": timezone.now(),
            "cancelled": Order.Status.CANCELLED.value})
        bought, recorded = cursor.fetchone()
    if not recorded:
        raise _over_limit(limit, order_line)
    return bought


def _over_limit(limit: int, order_line):
    return field_error("quantity", _("Each buyer can buy at most %(max)s units of "
                                     "%(product)s in this broadcast."),
                       Code.QUANTITY_GREATER_THAN_LIMIT, max=limit,
                       product=order_line.product_name)


# The item's units taken and handed to the order line in one statement: the item's row
# (the live sale's hot row; not the broadcast's, only read) is updated, and so locked,
# only if it still has them and the per-buyer limit as it is now (the host may have
# lowered it since the price was read) still lets this buyer have them; then, under that
# lock (the reservation is updated only once the item's row has been), the units come
# from one reservation holding enough and go to the order line. The row stays locked
# until the commit that follows. It answers the units left, when the live price stops
# applying (the broadcast's planned end, or the flash sale's end before it) and whether
# one reservation held them all.
_TAKE_ITEM_UNITS = """
WITH taken AS (
    UPDATE {item} i SET quantity_sold = i.quantity_sold + %(n)s FROM {broadcast} b
    WHERE i.id = %(item_id)s AND b.id = i.broadcast_id
      AND i.quantity_allocated - i.quantity_sold - i.quantity_returned >= %(n)s
      AND NOT (COALESCE(i.per_buyer_limit, 0) > 0 AND i.per_buyer_limit < %(limit)s
               AND %(bought)s + %(n)s > i.per_buyer_limit)
    RETURNING i.quantity_allocated - i.quantity_sold - i.quantity_returned,
              i.broadcast_id, i.variant_id,
              LEAST(b.ends_at, COALESCE(i.flash_sale_ends_at, b.ends_at))
), held AS (
    UPDATE {reservation} SET quantity = quantity - %(n)s
    WHERE EXISTS (SELECT 1 FROM taken)
      AND id = (SELECT r.id FROM {reservation} r
                WHERE r.item_id = %(item_id)s AND r.quantity >= %(n)s
                ORDER BY r.stock_id LIMIT 1)
      AND quantity >= %(n)s
    RETURNING stock_id
), allocated AS (
    INSERT INTO {allocation} (order_line_id, stock_id, quantity_allocated)
    SELECT %(line)s, stock_id, %(n)s FROM held RETURNING stock_id
)
SELECT taken.*, EXISTS (SELECT 1 FROM allocated) FROM taken"""


def live_price_ends(item: LineupItem, broadcast: Broadcast):
    """When the live price stops applying (``live_price_applies``): the broadcast's
    planned end, or the flash sale's end before it."""
    if item.is_flash_sale:
        return min(broadcast.ends_at, item.flash_sale_ends_at)
    return broadcast.ends_at


def _gate(broadcast_id: int, variant_id: int, live_until) -> soldout.Gate:
    """The gate of the broadcast's allocation of the variant, closed no longer than the
    live price applies: after that the line sells from the shop's stock."""
    return soldout.source_gate(SOURCE, str(broadcast_id), variant_id, live_until.timestamp())


def _take_item_units(item_id: int, order_line, limit: int, bought: int) -> None:
    """Take the order line's units from the item's allocation and hand them to the line
    (the item's row locked by the first statement); sold out, or over the limit as the
    host set it now: refused. Nothing left (none to take, or the last units just taken) is
    reported to the sold-out gate."""
    params = {"n": order_line.quantity, "item_id": item_id, "line": order_line.pk,
              "limit": limit, "bought": bought}
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_ITEM_UNITS.format(
            item=LineupItem._meta.db_table, broadcast=Broadcast._meta.db_table,
            reservation=LiveStockReservation._meta.db_table,
            allocation=Allocation._meta.db_table), params)
        taken = cursor.fetchone()
    if taken is None:
        item = LineupItem.objects.select_related("broadcast").get(pk=item_id)
        now_limit = item.per_buyer_limit or 0
        if now_limit and now_limit < limit and bought + order_line.quantity > now_limit:
            raise _over_limit(now_limit, order_line)  # the host lowered it meanwhile
        if item.quantity_remaining == 0:
            soldout.observed(_gate(item.broadcast_id, item.variant_id,
                                   live_price_ends(item, item.broadcast)))
        raise field_error("quantity", _("%(product)s is sold out in this broadcast."),
                          Code.INSUFFICIENT_STOCK, product=order_line.product_name,
                          variants=[order_line.variant_id])
    left, broadcast_id, variant_id, live_until, handed = taken
    if left <= 0:
        soldout.observed(_gate(broadcast_id, variant_id, live_until))
    if handed:
        return
    # No one stock row holds them all: taken row by row (the item's row is locked).
    parts, left = [], order_line.quantity
    for reservation in (LiveStockReservation.objects.filter(item_id=item_id, quantity__gt=0)
                        .order_by("stock_id")):
        take = min(reservation.quantity, left)
        reservation.quantity -= take
        reservation.save(update_fields=["quantity"])
        parts.append((reservation.stock_id, take))
        left -= take
        if left == 0:
            break
    allocate_reserved_stock(order_line, parts)


def take_live_allocation(order, lines: list[CompletedLine]) -> set[int]:
    """Completion hook (``shop.hooks``): in the order's transaction, take every
    live-priced line's units from its line-up item's allocation; returns those order
    lines' ids (their stock is allocated here). Sold out or over the limit: the whole
    order is refused.

    The per-buyer limit (as the price hook read it) is checked and the purchase recorded
    under a lock of that buyer and item only; then each item's units are taken with a
    conditional update that locks its row (in primary-key order) as late as possible, so
    concurrent buyers queue on the item's row only for the last statements: the
    allocation never oversells and the per-buyer limit holds."""
    live = sorted(((line.price.held_id, line.order_line, line.price.held_limit)
                   for line in lines if line.price.held_by == HOLDER and line.price.held_id),
                  key=lambda entry: entry[0])
    if not live:
        return set()
    buyer = buyer_key(order.user, order.user_email)
    bought, unlimited = {}, []
    for pk, order_line, limit in live:
        if limit:
            _lock_buyer(pk, buyer)
            bought[pk] = _record_within_limit(pk, order_line, buyer, limit)
        else:
            unlimited.append(LivePurchase(item_id=pk, order_line=order_line, buyer=buyer,
                                          quantity=order_line.quantity))
    LivePurchase.objects.bulk_create(unlimited)
    for pk, order_line, limit in live:
        _take_item_units(pk, order_line, limit, bought.get(pk, 0))
    return {order_line.pk for _pk, order_line, _limit in live}


def _broadcast_lines(broadcast: Broadcast, channel_slug, lines: list[dict], user=None,
                     email: str = "", existing: dict | None = None) -> dict:
    """Check lines bought from ``broadcast``; returns the units its live allocation adds
    to what the checkout may hold (``extra_available``)."""
    if broadcast.status in (Broadcast.Status.CANCELLED,):
        raise field_error("broadcast", _("This broadcast was cancelled."), Code.INVALID_STATUS)
    if channel_slug and channel_slug != broadcast.channel.slug:
        raise field_error("channel", _("This broadcast sells in another channel."), Code.INVALID)
    items = {i.variant_id: i for i in broadcast.lineup.filter(
        variant_id__in=[line["variant_id"] for line in lines])}
    extra = {}
    buyer = buyer_key(user, email) if (user or email) else None
    for line in lines:
        item = items.get(line["variant_id"])
        if item is None:
            raise field_error("variant_id", _("This product is not in the broadcast's line-up."),
                              Code.NOT_FOUND)
        if not live_price_applies(item, broadcast):
            continue
        quantity = line["quantity"] + (existing or {}).get(item.variant_id, 0)
        if item.per_buyer_limit:
            bought = _bought(item.pk, buyer) if buyer else 0
            if bought + quantity > item.per_buyer_limit:
                raise field_error("quantity", _("Each buyer can buy at most %(max)s units of "
                                                "%(product)s in this broadcast."),
                                  Code.QUANTITY_GREATER_THAN_LIMIT, max=item.per_buyer_limit,
                                  product=str(item.variant))
        if quantity > item.quantity_remaining:
            raise field_error("quantity", _("%(product)s is sold out in this broadcast."),
                              Code.INSUFFICIENT_STOCK, product=str(item.variant),
                              variants=[item.variant_id])
        extra[item.variant_id] = item.quantity_remaining
    return extra


@transaction.atomic
def create_broadcast_checkout(broadcast: Broadcast, channel_slug: str | None = None, *,
                              user=None, email: str = "", lines: list[dict] | None = None,
                              shipping_address=None, billing_address=None):
    """A checkout started from a broadcast: its lines carry the broadcast's attribution
    and, inside the window, the live price (from the live allocation)."""
    lines = lines or []
    extra = _broadcast_lines(broadcast, channel_slug, lines, user,
                             email or (user.email or "" if user else ""))
    return create_checkout(
        channel_slug or broadcast.channel.slug, user=user, email=email, lines=lines,
        shipping_address=shipping_address, billing_address=billing_address,
        line_source=(SOURCE, str(broadcast.pk)), extra_available=extra)


@transaction.atomic
def add_broadcast_checkout_lines(checkout, broadcast: Broadcast, lines: list[dict]):
    existing = dict(checkout.lines.values_list("variant_id", "quantity"))
    extra = _broadcast_lines(broadcast, checkout.channel.slug, lines, checkout.user,
                             checkout.email, existing)
    return add_checkout_lines(checkout, lines, line_source=(SOURCE, str(broadcast.pk)),
                              extra_available=extra)
