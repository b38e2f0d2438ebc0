"""The trace page cache's generation: every cached page entry's key carries it, and
raising it forgets them all (``trace_cache``). Raised by the signal receivers of
``trace_cache`` and by the services that change shown records with bulk updates."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

GENERATION = "trace:generation"


def generation() -> int:
    """The current generation; 0 when the cache does not answer (then nothing is cached)."""
    try:
        value = cache.get(GENERATION)
        if value is None:
            cache.add(GENERATION, 1, None)
            value = cache.get(GENERATION) or 1
        return value
    except Exception:  # noqa: BLE001 - any cache failure means: no cache
        log.warning("trace cache unavailable", exc_info=True)
        return 0


def _bump() -> None:
    try:
        try:
            cache.incr(GENERATION)
        except ValueError:  # not there yet
            cache.add(GENERATION, 2, None)
    except Exception:  # noqa: BLE001
        log.warning("trace cache generation not raised", exc_info=True)


def changed(**_kwargs) -> None:
    """Something the trace page shows has changed: forget every cached entry, now and
    again when the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)
