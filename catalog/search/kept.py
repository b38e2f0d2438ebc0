"""What a search keeps per catalogue version: the count of its matches (``totalCount``)
and its head (the best matches by name with their full rank, ``catalog.search.db``).

Counting every match of a common term joins thousands of products to their listings
(50 ms and more at 50,000 products), and choosing the head reads every match's name; a
shop asks for both with every page of results. Each is kept in the cache under its
statement (SQL and parameters) with the catalogue version it was worked out at
(``shop.versions.CATALOGUE``, raised by ``storefront.versions`` on every change of what a
search can show or filter on: products and so their search vectors, listings, prices,
stock running out or coming back); a count is kept until the next scheduled publication
or opening of a sale too, a head needs no such limit (it reads no listing). A new version
works them out again. The version is read before the rows are, so nothing is kept under a
version newer than what it read. Without the cache, everything is worked out every time.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils import timezone

from shop import versions

from ..models import ProductChannelListing

logger = logging.getLogger(__name__)

PREFIX = "catalog:search:"
# The longest anything is kept, whatever happens.
KEPT_SECONDS = 600
# A moment this close to now in a statement is the visibility check's "now" (published
# before now): what it lets through changes only with a version (a change) or at the
# horizon (a scheduled publication), so counts of different moments are the same count.
NOW_SECONDS = 60


def per_version(key: str, work_out, timed: bool = False):
    """``work_out()``, kept under ``key`` for the current catalogue version (and until its
    horizon when ``timed``: the answer depends on what is published by now)."""
    try:
        version, value = _lookup(key)
    except Exception:  # noqa: BLE001 - no cache: worked out every time
        logger.warning("search results not kept", exc_info=True)
        return work_out()
    if value is not None:
        return value
    # Before the rows too: a publication due between the two would be missed.
    until = _publication(version) if timed else time.time() + KEPT_SECONDS
    value = work_out()
    try:
        seconds = int(min(until - time.time(), KEPT_SECONDS))
        if seconds > 0:
            cache.set(key, (version, value, until), seconds)
    except Exception:  # noqa: BLE001 - not kept: the next page works it out again
        logger.warning("search result not kept", exc_info=True)
    return value


def peek(key: str):
    """What is kept under ``key`` for the current catalogue version (``None``: nothing)."""
    try:
        return _lookup(key)[1]
    except Exception:  # noqa: BLE001 - no cache: nothing is kept
        return None


def _lookup(key: str) -> tuple[int, object]:
    """The current catalogue version and what is kept under ``key`` for it (or ``None``)."""
    version_key = versions.CATALOGUE.key()
    found = cache.get_many([version_key, key])
    version = versions.started(found, [version_key])[0]
    entry = found.get(key)
    if entry is not None and entry[0] == version and entry[2] > time.time():
        return version, entry[1]
    return version, None


def _publication(version: int) -> float:
    """When what catalogue ``version`` shows changes on its own: the next scheduled
    publication or opening of a sale (a timestamp), worked out once per version."""
    key = f"{PREFIX}publication"
    stored = cache.get(key)
    if stored is not None and stored[0] == version and stored[1] > time.time():
        return stored[1]
    moment = ProductChannelListing.objects.next_publication(timezone.now())
    until = moment.timestamp() if moment is not None else time.time() + KEPT_SECONDS
    cache.set(key, (version, until), KEPT_SECONDS)
    return until


def statement_key(kind: str, queryset: QuerySet) -> str | None:
    """The cache key of what ``queryset``'s statement gives (``None``: it gives nothing)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql_key(kind, sql, params)


def sql_key(kind: str, sql: str, params) -> str:
    """The cache key of what statement ``sql`` with ``params`` gives."""
    now = timezone.now()
    params = ["<now>" if isinstance(value, datetime)
              and abs((value - now).total_seconds()) < NOW_SECONDS else value
              for value in params]
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    return f"{PREFIX}{kind}:{digest}"


def forget() -> None:
    """Everything kept is worked out again: the search index was written by something
    other than a change of a product (a rebuild, the indexing task)."""
    versions.catalogue_changed()
