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

The cache is ``django.core.cache`` (Redis in production, shared by every process)."""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

_observed: contextvars.ContextVar[set | None] = contextvars.ContextVar("soldout_observed",
                                                                      default=None)


@dataclass(frozen=True)
class Gate:
    """One gate: ``subject`` names what runs out (its epoch), ``scope`` where it is sold."""

    subject: str
    scope: str

    @property
    def key(self) -> str:
        return f"soldout:{self.subject}:{self.scope}"

    @property
    def epoch_key(self) -> str:
        return f"stockepoch:{self.subject}"


def variant_gate(variant_id: int, channel_id: int) -> Gate:
    """The variant's units free in the channel's warehouses."""
    return Gate(f"v{variant_id}", f"c{channel_id}")


def source_gate(source: str, source_ref: str, variant_id: int) -> Gate:
    """A sale source's own allocation of the variant (a broadcast's live allocation)."""
    return Gate(f"{source}{source_ref}.v{variant_id}", "all")


def observed(gate: Gate) -> None:
    """Called under the subject's row lock when it has no unit left (none to take, or the
    last one just taken): the completion closes this gate when it fails, or once it
    commits."""
    found = _observed.get()
    if found is not None:
        found.add(gate)


def read(gates: list[Gate]) -> tuple[Gate | None, dict[Gate, int]]:
    """The first closed gate of ``gates`` (else ``None``) and the epochs read with it, for
    :func:`guard`: one cache round trip."""
    if not gates:
        return None, {}
    keys = [g.key for g in gates] + [g.epoch_key for g in gates]
    try:
        values = cache.get_many(keys)
    except Exception:  # noqa: BLE001 - no cache: no gate
        return None, {}
    epochs = {g: values[g.epoch_key] for g in gates if values.get(g.epoch_key) is not None}
    for gate in gates:
        closed_at = values.get(gate.key)
        if closed_at is not None and closed_at == epochs.get(gate):
            return gate, epochs
    return None, epochs


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
    """Close ``gates`` at the ``epochs`` read before their rows were locked."""
    closing = {g.key: epochs[g] for g in gates if g in epochs}
    if closing:
        try:
            cache.set_many(closing, getattr(settings, "SOLD_OUT_GATE_SECONDS", 300))
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
        _close(_observed.get() or (), epochs)
        raise
    else:
        emptied = set(_observed.get() or ())
        if emptied:
            transaction.on_commit(partial(_close, emptied, epochs), robust=True)
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
