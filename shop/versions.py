"""Versions: the counters that say whether a stored copy of a public page is still right.

Every stored copy (a shop page in ``storefront.cache``, a trace page in
``supplychain.trace_cache``) is kept with the *stamp* it was built at: the values of the
counters of the scopes it shows. It is used while its stamp is current; a change raises
the counters of the scopes it touches, and the copies built before it are never used
again. A scope is named once (:class:`Scope`) and has one counter, or one per thing
(``STOCK.key(slug)``, ``LOT.key(lot_id)``):

* ``storefront.versions`` raises the shop's scopes: the catalogue (every shop page), a
  product's stock (its page) and a checkout (the header's cart count);
* ``supplychain.services.invalidation`` raises the trace's: every trace page, or one
  graded lot's (a recall of one lot leaves the other lots' pages in place).

**The rules every counter follows.** A change raises its counters at once *and* again
after its transaction commits: a copy built in between from rows not yet committed is
stored under the first raise and dropped by the second (:func:`changed`). A reader reads
the counters *before* the rows, so a copy is never stored under a stamp newer than its
rows. A missing counter starts at a random value, so copies stored under a lost counter
never come back. A counter that cannot be raised (the cache is down) is logged, never
fails the change; a counter that cannot be read means: nothing is stored.

**Where the counters live.** Beside what they guard, so that checking a copy costs no
round trip of its own: the shop's in Django's cache, read in the same ``get_many`` as the
stored page; the trace's in the scan buffer's Redis, checked by the script that records
the scan (its :class:`Store` is registered by ``supplychain``; Django's cache without
``REDIS_URL``)."""

from __future__ import annotations

import logging
import secrets
from functools import partial

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

PREFIX = "version:"
# A missing counter starts below this (above 0: 0 means "not read").
FIRST_VALUE = 2 ** 40


def random_start() -> int:
    return secrets.randbelow(FIRST_VALUE) + 1


class Store:
    """Where counters live: Django's cache. ``read`` answers ``None`` when it cannot."""

    def read(self, keys: list[str]) -> tuple[int, ...] | None:
        try:
            return started(cache.get_many(keys), keys)
        except Exception:  # noqa: BLE001 - no cache: nothing is stored
            logger.warning("versions not read (%s)", keys, exc_info=True)
            return None

    def bump(self, keys: tuple[str, ...]) -> None:
        for key in keys:
            try:
                try:
                    cache.incr(key)
                except ValueError:  # missing: the next reader starts a fresh random one
                    pass
            except Exception:  # noqa: BLE001 - a change must never fail because of the cache
                logger.warning("version not raised (%s)", key, exc_info=True)


CACHE = Store()


def started(found: dict, keys) -> tuple[int, ...]:
    """The counters ``keys`` from ``found`` (a cache ``get_many`` answer that may hold other
    keys too), the missing ones started at a random value."""
    return tuple(found[key] if found.get(key) is not None else _start(key) for key in keys)


def _start(key: str) -> int:
    cache.add(key, random_start(), None)
    return cache.get(key)


class Scope:
    """A kind of change: ``Scope("catalogue")`` has one counter, ``key(thing)`` one per
    thing. ``store`` is where its counters live (Django's cache unless given)."""

    def __init__(self, name: str, store: Store | None = None):
        self.name = name
        self.store = store or CACHE
        _scopes[name] = self

    def key(self, thing: object = None) -> str:
        return PREFIX + self.name + ("" if thing is None else f":{thing}")

    def __repr__(self):
        return f"Scope({self.name!r})"


_scopes: dict[str, Scope] = {}


def scope_of(key: str) -> Scope:
    return _scopes[key[len(PREFIX):].split(":", 1)[0]]


def read(keys: list[str]) -> tuple[int, ...] | None:
    """The current stamp of ``keys`` (of one store), ``None`` when it cannot be read."""
    if not keys:
        return ()
    return scope_of(keys[0]).store.read(list(keys))


def bump(*keys: str) -> None:
    """Raise ``keys`` now only: after a commit (in an ``on_commit`` callback)."""
    _raise(tuple(dict.fromkeys(keys)))


def _raise(keys: tuple[str, ...]) -> None:
    by_store: dict[int, tuple[Store, list[str]]] = {}
    for key in keys:
        store = scope_of(key).store
        by_store.setdefault(id(store), (store, []))[1].append(key)
    for store, some in by_store.values():
        store.bump(tuple(some))


def changed(*keys: str) -> None:
    """Raise ``keys`` now and once more after the current transaction commits (once per
    transaction for the same keys, however many rows changed)."""
    keys = tuple(dict.fromkeys(keys))
    if not keys:
        return
    _raise(keys)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
            isinstance(entry[1], partial) and entry[1].func is _raise and entry[1].args == (keys,)
            for entry in connection.run_on_commit):
        return  # already raised again after this commit
    transaction.on_commit(partial(_raise, keys))


# Everything the public pages and searches show (products, prices, stock counts, lots,
# licences, broadcasts ...): raised by ``storefront.versions``' receivers, read by the
# stored shop pages and by what the search keeps.
CATALOGUE = Scope("catalogue")


def catalogue_changed() -> None:
    changed(CATALOGUE.key())
