"""How another app takes part in the checkout without the shop knowing it.

Two kinds of hooks, registered from the app's ``AppConfig.ready`` (the livestream app's
live prices are the example):

* a **price hook** gets the list of :class:`LinePriceRequest` of the checkout lines being
  priced together (the totals, the cart page, the order placed: one call per checkout,
  so a hook reads what it needs in one query) and answers a list as long, a
  :class:`LinePrice` or ``None`` per request (``None`` leaves that line at its list
  price). The first answer for a line wins.
* a **completion hook** runs inside the order's transaction, after the order lines are
  written and everything else is done, just before the shop allocates stock (the rows
  it locks stay locked only until the commit). It gets the order and one
  :class:`CompletedLine` per order line (with the price that line was sold at) and returns
  the ids of the order lines whose stock it has allocated itself (for example from units
  it held with ``shop.services.reserve_stock``); the shop allocates the others. Raising a
  ``ValidationError`` refuses the whole order.

Requests and answers are plain dataclasses: hooks read no private state of the shop's
models and set none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from .money import money


@dataclass(frozen=True)
class LinePriceRequest:
    """A checkout line to price: ``source``/``source_ref`` are where the shopper started
    the purchase (``("broadcast", "42")``), empty for the plain shop."""

    checkout_line_id: int | None
    variant_id: int
    quantity: int
    list_price: Decimal
    channel_id: int
    channel_slug: str
    source: str = ""
    source_ref: str = ""


@dataclass(frozen=True)
class LinePrice:
    """The unit price a line sells at and the attribution the order line records.

    ``held_by``/``held_id`` name units held for this line outside the shop's stock
    allocation: the app that holds them (its completion hook hands them to the order
    line) and that app's own record of them (a line-up item's id); ``held_limit`` the
    units of them one buyer may have (0: no limit), as read with the price."""

    amount: Decimal
    source: str = ""
    source_ref: str = ""
    held_by: str = ""
    held_id: int | None = None
    held_limit: int = 0


@dataclass(frozen=True)
class CompletedLine:
    """An order line just written from a checkout line, with the price it was sold at."""

    order_line: object  # shop.models.OrderLine (saved: it has its primary key)
    checkout_line_id: int
    variant_id: int
    quantity: int
    price: LinePrice


PriceHook = Callable[[list[LinePriceRequest]], "list[LinePrice | None]"]
CompleteHook = Callable[[object, list[CompletedLine]], Iterable[int]]

_price_hooks: list[PriceHook] = []
_complete_hooks: list[CompleteHook] = []


def register_price_hook(hook: PriceHook) -> PriceHook:
    """Add a price hook (once; registering it again changes nothing). Returns it, so it
    can be used as a decorator."""
    if hook not in _price_hooks:
        _price_hooks.append(hook)
    return hook


def register_complete_hook(hook: CompleteHook) -> CompleteHook:
    """Add a completion hook (once; registering it again changes nothing)."""
    if hook not in _complete_hooks:
        _complete_hooks.append(hook)
    return hook


def price_lines(requests: list[LinePriceRequest]) -> list[LinePrice]:
    """Each request's price: the first price hook's answer, else the list price and the
    line's own attribution. Every hook is called once, with the requests still open."""
    answers: list[LinePrice | None] = [None] * len(requests)
    for hook in _price_hooks:
        open_ = [i for i, answer in enumerate(answers) if answer is None]
        if not open_:
            break
        for i, answer in zip(open_, hook([requests[i] for i in open_]), strict=True):
            if answer is not None:
                answers[i] = replace(answer, amount=money(answer.amount),
                                     source_ref=str(answer.source_ref))
    return [answer if answer is not None else
            LinePrice(amount=money(request.list_price), source=request.source,
                      source_ref=request.source_ref)
            for request, answer in zip(requests, answers, strict=True)]


def price_line(request: LinePriceRequest) -> LinePrice:
    """One request's price (:func:`price_lines` of one)."""
    return price_lines([request])[0]


def complete_lines(order, lines: list[CompletedLine]) -> set[int]:
    """Run every completion hook on ``order``'s new lines; returns the ids of the order
    lines the hooks allocated stock for."""
    allocated: set[int] = set()
    for hook in _complete_hooks:
        allocated.update(hook(order, lines) or ())
    return allocated
