"""Stock: the only module that changes ``Stock`` quantities.

On-hand counts (``set_stock``, ``increase_stock``, ``withdraw_stock``), the allocation of
order lines, units held outside any order (``reserve_stock``, a broadcast's live
allocation) and shipping. Every change is a conditional update or happens under row
locks taken in primary-key order (Saleor's rule), inside a transaction, so concurrent
transactions queue on a hot row instead of deadlocking and never oversell."""

from __future__ import annotations

from collections import defaultdict

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from catalog.traced import refuse_hand_set_stock

from .. import soldout
from ..error_codes import CheckoutErrorCode
from ..errors import field_error
from ..models import Allocation, Order, OrderLine, Stock, Warehouse


@transaction.atomic
def set_stock(variant, warehouse: Warehouse, quantity: int) -> Stock:
    """Set the on-hand quantity of ``variant`` in ``warehouse`` (a stock count).

    Refuses a quantity below what is already allocated to orders, and any change to a
    traced product's count: its stock comes only from packing runs."""
    if quantity < 0:
        raise field_error("quantity", _("Quantity cannot be negative."), "invalid")
    stock, _created = Stock.objects.select_for_update().get_or_create(
        warehouse=warehouse, product_variant=variant
    )
    if quantity != stock.quantity:
        refuse_hand_set_stock(variant)
    if quantity < stock.quantity_allocated:
        raise field_error(
            "quantity",
            _("Quantity cannot be lower than the %(n)s units already allocated to orders."),
            "invalid", n=stock.quantity_allocated)
    stock.quantity = quantity
    stock.save(update_fields=["quantity"])
    soldout.reopen_variants([variant.pk])
    return stock


def increase_stock(variant, warehouse: Warehouse, quantity: int) -> None:
    """Add ``quantity`` units (a packing run, a return) with one conditional update."""
    if quantity <= 0:
        raise field_error("quantity", _("Quantity must be positive."), "invalid")
    with transaction.atomic():
        Stock.objects.get_or_create(warehouse=warehouse, product_variant=variant)
        Stock.objects.filter(warehouse=warehouse, product_variant=variant).update(
            quantity=F("quantity") + quantity
        )
        soldout.reopen_variants([variant.pk])


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


def available_quantity(variant_id, channel) -> int:
    """Units of a variant free to sell in the warehouses serving ``channel``."""
    total = Stock.objects.filter(product_variant_id=variant_id, warehouse__channels=channel
                                 ).aggregate(n=Sum(F("quantity") - F("quantity_allocated")))["n"]
    return max(total or 0, 0)


# Allocation: rows are locked with SELECT ... FOR UPDATE in primary-key order, so the
# availability check and the update happen under the same lock.

def _locked_stocks(variant_ids, channel) -> list[Stock]:
    return list(
        Stock.objects.select_for_update(of=("self",))
        .filter(product_variant_id__in=set(variant_ids), warehouse__channels=channel)
        .order_by("pk")
    )


# One line's units in one call of the database's ``shop_take_stock`` (migration 0020 of
# the shop): from one stock row holding enough (the flash-sale case) with one statement
# that locks it, else from the rows in primary-key order, all locked; the allocation rows
# written with them. It answers the variant's units left free in the channel (the rows
# taken from under their lock, the others as last committed: a restock of those raises
# the sold-out gate's epoch after its commit, which keeps the gate open) and when it took
# them (the server's clock); short of units it raises ``PA001``, the free units (counted
# under the rows' locks) in its detail, and nothing changed.
_TAKE = ("SELECT shop_take_stock(%(variant)s, %(channel)s, %(n)s, %(line)s), "
         "extract(epoch FROM clock_timestamp())::float8")
# The same with the COMMIT sent after it in one round trip: the stock row stays locked
# only for the time the database takes, never waiting for this process to send the
# COMMIT (for its turn on the GIL, or on a core).
_TAKE_AND_COMMIT = f"{_TAKE}; COMMIT"
INSUFFICIENT_STOCK = "PA001"


def can_commit_with_take() -> bool:
    """Whether the connection may send several statements in one round trip (client-side
    parameter binding, Django's default for psycopg)."""
    return not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")


def _take_line(line: OrderLine, channel, commit: bool) -> float:
    """Allocate the line's units (``commit``: and commit the transaction with them, see
    ``allocate_stock``); returns when they were taken (a timestamp of the server's clock).
    A take that leaves the variant no free unit in the channel, or finds none, is reported
    to the sold-out gate (closed once the order commits, or as it is refused)."""
    params = {"n": line.quantity, "variant": line.variant_id, "channel": channel.pk,
              "line": line.pk}
    try:
        with connection.cursor() as cursor:
            cursor.execute(_TAKE_AND_COMMIT if commit else _TAKE, params)
            left, taken_at = cursor.fetchone()
    except DatabaseError as error:
        if getattr(error.__cause__, "sqlstate", None) != INSUFFICIENT_STOCK:
            raise
        if int(error.__cause__.diag.message_detail) <= 0:
            soldout.observed(soldout.variant_gate(line.variant_id, channel.pk))
        raise _insufficient([line]) from None
    if left <= 0:
        soldout.observed(soldout.variant_gate(line.variant_id, channel.pk))
    return taken_at


def _insufficient(lines: list[OrderLine]):
    names = "、".join(f"{line.product_name} {line.variant_name}".strip() for line in lines)
    return field_error("quantity", _("Insufficient product stock: %(items)s"),
                       CheckoutErrorCode.INSUFFICIENT_STOCK, items=names,
                       variants=[line.variant_id for line in lines])


def allocate_stock(lines: list[OrderLine], channel, commit: bool = False) -> None:
    """Reserve every line's units in the warehouses serving ``channel`` (first rows
    first); ``INSUFFICIENT_STOCK`` if any line cannot be covered (the transaction must
    then be rolled back). The caller passes only the lines whose stock the shop tracks
    and allocates; it calls this last in its transaction, so the stock rows stay locked
    only until its commit. ``commit`` (only from a caller whose transaction, not a
    savepoint, ends here, and when ``can_commit_with_take``): one line is taken and the
    transaction committed in the same round trip. A variant found with no free unit at
    all, or left with none, is reported to the sold-out gate."""
    tracked = [line for line in lines if line.variant_id]
    if not tracked:
        return
    if len(tracked) == 1:
        _take_line(tracked[0], channel, commit)
        return
    stocks = _locked_stocks([line.variant_id for line in tracked], channel)
    by_variant, free_units = defaultdict(list), defaultdict(int)
    for stock in stocks:
        by_variant[stock.product_variant_id].append(stock)
        free_units[stock.product_variant_id] += max(stock.quantity - stock.quantity_allocated, 0)
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
    for line in short:
        if free_units[line.variant_id] == 0:
            soldout.observed(soldout.variant_gate(line.variant_id, channel.pk))
    if short:
        raise _insufficient(short)
    for variant_id in {line.variant_id for line in tracked}:
        if sum(max(s.quantity - s.quantity_allocated, 0) for s in by_variant[variant_id]) == 0:
            soldout.observed(soldout.variant_gate(variant_id, channel.pk))
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
    soldout.reopen_variants({s.product_variant_id for s in stocks.values()})
    return released


def reserve_stock(variant_id, channel, quantity: int) -> list[tuple[int, int]]:
    """Hold ``quantity`` free units of a variant outside any order (a broadcast's live
    allocation): the units join ``quantity_allocated`` of the channel's stock rows (locked
    in primary-key order). Returns ``[(stock_id, units)]``; ``INSUFFICIENT_STOCK`` and
    nothing changed when fewer units are free."""
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
            raise field_error("quantity", _("Only %(n)s units are available."),
                              CheckoutErrorCode.INSUFFICIENT_STOCK, n=free)
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
        soldout.reopen_variants({s.product_variant_id for s in stocks.values()})
    return sum(n for _pk, n in parts)


def allocate_reserved_stock(order_line: OrderLine, parts: list[tuple[int, int]]) -> None:
    """Hand units already held by ``reserve_stock`` to an order line: ``Allocation`` rows
    only, the stock rows' ``quantity_allocated`` already counts them. A checkout completion
    hook that does this reports the line as allocated, so ``allocate_stock`` does not take
    its units again (``shop.hooks``)."""
    Allocation.objects.bulk_create([Allocation(order_line=order_line, stock_id=pk,
                                               quantity_allocated=n) for pk, n in parts if n])


def ship_allocated_stock(line: OrderLine, quantity: int) -> None:
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
