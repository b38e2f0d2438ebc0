"""The trace page cache's generation: every cached page entry's key carries it, and
raising it forgets them all (``trace_cache``). Raised by the signal receivers of
``trace_cache`` and by the services that change shown records with bulk updates.

With Redis (``REDIS_URL``) the generation lives beside the scan buffer
(``scan_buffer.GENERATION``), so that the script recording a scan also checks that the
page entry the view holds is current; without it, in Django's cache."""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.db import transaction

from . import scan_buffer

log = logging.getLogger(__name__)

GENERATION = "trace:generation"


def generation() -> int:
    """The current generation; 0 when the cache does not answer (then nothing is cached)."""
    if scan_buffer.configured():
        return scan_buffer.generation()
    try:
        value = cache.get(GENERATION)
        if value is None:
            # A random start: entries of a forgotten generation never come back.
            cache.add(GENERATION, secrets.randbelow(2 ** 40) + 1, None)
            value = cache.get(GENERATION) or 1
        return value
    except Exception:  # noqa: BLE001 - any cache failure means: no cache
        log.warning("trace cache unavailable", exc_info=True)
        return 0


def _bump() -> None:
    if scan_buffer.configured():
        if not scan_buffer.raise_generation():
            log.warning("trace cache generation not raised: Redis did not answer")
        return
    try:
        try:
            cache.incr(GENERATION)
        except ValueError:  # not there yet
            cache.add(GENERATION, secrets.randbelow(2 ** 40) + 1, None)
    except Exception:  # noqa: BLE001
        log.warning("trace cache generation not raised", exc_info=True)


def changed(**_kwargs) -> None:
    """Something the trace page shows has changed: forget every cached entry, now and
    again when the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)
