"""The sold-out gate: once a variant (or a sale source's allocation of it, such as a
broadcast's live allocation) is sold out, further checkout completions are refused from
the cache, before any row is locked, so the buyers still arriving in a flash sale cost
almost nothing and do not queue behind the purchases on the stock row.

Exact, not a guess. Each *subject* (a variant, or a source's allocation of a variant) has
an *epoch* in the cache, raised after every commit that gives it units back (a cancelled
or expired order, a restock, a larger allocation). A completion reads the epochs of its
subjects before its transaction; a service that finds a subject empty while holding its
row lock reports it (:func:`observed`): when the completion fails for it, or commits
having taken the subject's last unit, the gate closes with the epoch read *before* the
lock. The gate is closed only while the epoch is still
that one: units that came back after the lock was taken were committed after it, so
their epoch raise (after that commit) reopens the gate. An epoch missing from the cache
leaves the gate open; a failing cache leaves every gate open (the row lock decides, as
without a gate); a closed gate also expires after ``SOLD_OUT_GATE_SECONDS``.

A completion finds its subjects without the database: each checkout has a *card* in the
cache (its owner, channel and lines, :class:`CheckoutCard`), written by the services that
change the checkout while they hold its row lock, and valid only while the checkout's
*stamp* equals the card's. A change writes its card (with a new stamp) before its commit
and sets the stamp after it, so a card is never trusted before the change it describes
has committed, nor after a later one (whose stamp replaces it); a completed checkout's
card is forgotten once its order commits (completing it again then reads the database and
returns the order). A card missing, or not matching its stamp, is read from the database
and kept for the next time. A refusal once sold out is then one cache round trip (the
gates this process found closed lately are read with the card), two at most.

The cache is ``django.core.cache`` (Redis in production, shared by every process)."""

from __future__ import annotations

import contextvars
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

_observed: contextvars.ContextVar[set | None] = contextvars.ContextVar("soldout_observed",
                                                                      default=None)


@dataclass(frozen=True)
class Gate:
    """One gate: ``subject`` names what runs out (its epoch), ``scope`` where it is sold;
    ``until`` (a timestamp, not part of its identity), when the units it guards are sold
    only until then (a broadcast's live allocation, at the live price until the live
    window's end): a gate closed then stays closed no longer."""

    subject: str
    scope: str
    until: float | None = field(default=None, compare=False)
    # The variant whose units in the scope's channel the gate guards (a variant gate's).
    variant_id: int | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return f"soldout:{self.subject}:{self.scope}"

    @property
    def epoch_key(self) -> str:
        return f"stockepoch:{self.subject}"


def variant_gate(variant_id: int, channel_id: int) -> Gate:
    """The variant's units free in the channel's warehouses."""
    return Gate(f"v{variant_id}", f"c{channel_id}", variant_id=variant_id)


def source_gate(source: str, source_ref: str, variant_id: int,
                until: float | None = None) -> Gate:
    """A sale source's own allocation of the variant (a broadcast's live allocation),
    sold from until ``until`` when given."""
    return Gate(f"{source}{source_ref}.v{variant_id}", "all", until)


def observed(gate: Gate) -> None:
    """Called under the subject's row lock when it has no unit left (none to take, or the
    last one just taken): the completion closes this gate when it fails, or once it
    commits."""
    found = _observed.get()
    if found is not None:
        found.add(gate)


# Called with the ids of the variants a completion found or left without a free unit in
# a channel, once its order committed (or as it was refused): the shop pages' sold-out
# marks (``storefront.versions``), at no cost of their own to find them.
_sold_out_listeners: list = []


def when_sold_out(listener) -> None:
    """Register ``listener(variant_ids)`` (once)."""
    if listener not in _sold_out_listeners:
        _sold_out_listeners.append(listener)


def _sold_out(gates, epochs: dict[Gate, int]) -> None:
    """Close ``gates`` (:func:`_close`) and tell the listeners of the variants among them."""
    _close(gates, epochs)
    variant_ids = {g.variant_id for g in gates if g.variant_id is not None}
    for listener in _sold_out_listeners if variant_ids else ():
        try:
            listener(variant_ids)
        except Exception:  # noqa: BLE001 - after the commit or the refusal: never raised
            log.warning("sold-out listener failed", exc_info=True)


# The gates this process found closed lately (a flash sale's variant): a completion reads
# them along with its checkout's card, so that a refusal of that sale is one round trip.
_closed_lately: dict[Gate, None] = {}
CLOSED_LATELY = 32


def _gate_keys(gates) -> list[str]:
    return [g.key for g in gates] + [g.epoch_key for g in gates]


def read(gates: list[Gate], fetched: tuple[set, dict] | None = None
         ) -> tuple[list[Gate], dict[Gate, int]]:
    """The closed gates of ``gates`` and the epochs read with them, for :func:`guard`: one
    cache round trip, none when ``fetched`` (``(gates, values)`` read already in this
    request's round trip, by :func:`checkout_card`) has them all."""
    if not gates:
        return [], {}
    known, values = fetched or (set(), {})
    missing = [g for g in gates if g not in known]
    if missing:
        try:
            values = {**values, **cache.get_many(_gate_keys(missing))}
        except Exception:  # noqa: BLE001 - no cache: no gate
            return [], {}
    epochs = {g: values[g.epoch_key] for g in gates if values.get(g.epoch_key) is not None}
    closed = [g for g in gates
              if values.get(g.key) is not None and values[g.key] == epochs.get(g)]
    for gate in gates:
        if gate in closed:
            _closed_lately[gate] = None
        else:
            _closed_lately.pop(gate, None)
    while len(_closed_lately) > CLOSED_LATELY:
        _closed_lately.pop(next(iter(_closed_lately)), None)
    return closed, epochs


def _epochs(gates: list[Gate], known: dict[Gate, int]) -> dict[Gate, int]:
    """``known`` (read by :func:`read`) with the epochs of the other gates, started at 1
    where the cache has none yet."""
    epochs = dict(known)
    try:
        for gate in gates:
            if gate not in epochs:
                cache.add(gate.epoch_key, 1, None)
                value = cache.get(gate.epoch_key)
                if value is not None:
                    epochs[gate] = value
    except Exception:  # noqa: BLE001
        return known
    return epochs


def _close(gates, epochs: dict[Gate, int]) -> None:
    """Close ``gates`` at the ``epochs`` read before their rows were locked, each for
    ``SOLD_OUT_GATE_SECONDS`` at most and never past its ``until``."""
    longest, now = getattr(settings, "SOLD_OUT_GATE_SECONDS", 300), time.time()
    by_seconds: dict[int, dict[str, int]] = {}
    for gate in gates:
        seconds = longest if gate.until is None else min(longest, int(gate.until - now))
        if gate in epochs and seconds > 0:
            by_seconds.setdefault(seconds, {})[gate.key] = epochs[gate]
    for seconds, closing in by_seconds.items():
        try:
            cache.set_many(closing, seconds)
        except Exception:  # noqa: BLE001
            log.warning("sold-out gate not closed", exc_info=True)


@contextmanager
def guard(gates: list[Gate], epochs: dict[Gate, int] | None = None):
    """Around a completion: reads the epochs first (``epochs``: those :func:`read` found
    already, so that only missing ones cost a round trip); closes the gates of the subjects
    observed empty at those epochs when the completion fails, or, when it took their last
    units, once its transaction commits (not before: rolled back, the units are still
    there). Units given back after the lock was taken raise the epoch after their own
    commit, so the gate closed at the older epoch stays open."""
    epochs = _epochs(gates, epochs or {})
    token = _observed.set(set())
    try:
        yield
    except Exception:
        _sold_out(_observed.get() or (), epochs)
        raise
    else:
        emptied = set(_observed.get() or ())
        if emptied:
            transaction.on_commit(partial(_sold_out, emptied, epochs), robust=True)
    finally:
        _observed.reset(token)


def _raise_epochs(subjects: set[str]) -> None:
    for subject in subjects:
        key = f"stockepoch:{subject}"
        try:
            try:
                cache.incr(key)
            except ValueError:  # not there: every gate of the subject is open anyway
                pass
        except Exception:  # noqa: BLE001
            log.warning("sold-out gate not reopened", exc_info=True)


def reopen(gates_or_subjects) -> None:
    """Units came back (or more were offered): reopen the subjects' gates once the current
    transaction commits (at once outside one)."""
    subjects = {g.subject if isinstance(g, Gate) else g for g in gates_or_subjects}
    if subjects:
        transaction.on_commit(lambda: _raise_epochs(subjects))


def reopen_variants(variant_ids) -> None:
    reopen({f"v{pk}" for pk in variant_ids})


# The checkout's card ----------------------------------------------------------------

# How long a card and its stamp are kept: a checkout changed or completed within it is
# answered from the cache; an older one is read from the database once more.
CARD_SECONDS = 24 * 3600


@dataclass(frozen=True)
class CheckoutCard:
    """What the gate needs of a checkout: who may see it (``owner_id``, ``None`` for a
    guest's), its channel, and its lines as ``(variant_id, source, source_ref, name)`` in
    the checkout's order (``name``: product and variant, for the refusal's message)."""

    owner_id: int | None
    channel_id: int
    lines: tuple[tuple[int, str, str, str], ...]

    def line_gates(self) -> list[tuple[tuple, list[Gate]]]:
        """Each line with the gate that refuses it: its variant's in the channel, or for a
        line sold by a source (a broadcast) the source's allocation. Such a line is not
        refused by its variant's gate: during the live window it takes the source's own
        units, which the shop's stock no longer counts as free (after the window the
        locked completion answers it)."""
        return [(line, [source_gate(line[1], line[2], line[0]) if line[1]
                        else variant_gate(line[0], self.channel_id)])
                for line in self.lines]

    def gates(self) -> list[Gate]:
        """Every gate a completion of the checkout may find empty (and close): each
        line's variant's, and a sourced line's source's too."""
        return list(dict.fromkeys(
            [variant_gate(line[0], self.channel_id) for line in self.lines]
            + [source_gate(line[1], line[2], line[0]) for line in self.lines if line[1]]))


def _card_keys(token) -> tuple[str, str]:
    return f"checkoutcard:{token}", f"checkoutstamp:{token}"


def _stamp() -> str:
    return os.urandom(8).hex()


def checkout_card(token, load) -> tuple[CheckoutCard | None, tuple[set, dict] | None]:
    """The card of checkout ``token``: from the cache when its stamp is current (one round
    trip), else ``load()`` (the database's answer, ``None`` for no checkout or no lines),
    kept for the next time under the stamp read before loading, unless a change wrote
    its own card meanwhile. With it, what the same round trip read of the gates closed
    lately, for :func:`read`."""
    card_key, stamp_key = _card_keys(token)
    lately = list(_closed_lately)
    try:
        values = cache.get_many([card_key, stamp_key, *_gate_keys(lately)])
    except Exception:  # noqa: BLE001 - no cache: the database answers
        return load(), None
    fetched = (set(lately), values)
    kept, stamp = values.get(card_key), values.get(stamp_key)
    if kept is not None and stamp is not None and kept[0] == stamp:
        return CheckoutCard(*kept[1:]), fetched
    try:
        if stamp is None:
            cache.add(stamp_key, _stamp(), CARD_SECONDS)
            stamp = cache.get(stamp_key)
    except Exception:  # noqa: BLE001 - not kept this time
        stamp = None
    card = load()
    if card is not None and stamp is not None:
        try:
            cache.add(card_key, (stamp, card.owner_id, card.channel_id, card.lines),
                      CARD_SECONDS)
        except Exception:  # noqa: BLE001
            log.warning("checkout card not kept", exc_info=True)
    return card, fetched


def remember_checkout(token, card: CheckoutCard | None) -> None:
    """Called by a service that changed checkout ``token`` (its lines or its owner), in its
    transaction and under the checkout's row lock, with the checkout as it now is: the new
    card is written now under a new stamp, which becomes the checkout's once the change
    commits (rolled back, the card never matches)."""
    card_key, stamp_key = _card_keys(token)
    stamp = _stamp()
    try:
        if card is None:
            cache.delete(card_key)
        else:
            cache.set(card_key, (stamp, card.owner_id, card.channel_id, card.lines),
                      CARD_SECONDS)
    except Exception:  # noqa: BLE001 - the stamp set after the commit still retires it
        log.warning("checkout card not written", exc_info=True)
    transaction.on_commit(partial(_set_stamp, stamp_key, stamp), robust=True)


def _set_stamp(key: str, stamp: str) -> None:
    cache.set(key, stamp, CARD_SECONDS)


def forget_checkout(token) -> None:
    """The checkout became an order: its card goes once that commits."""
    transaction.on_commit(partial(cache.delete_many, list(_card_keys(token))), robust=True)
