"""How many products a search matches (``totalCount``), counted once per catalogue version.

Counting every match of a common term joins thousands of products to their listings
(50 ms and more at 50,000 products), and a shop asks for the count with every page of
results. The count of one statement (its SQL and parameters) is kept in the cache with
the catalogue version it was counted at (``storefront.versions``: raised by every change
of what a search can show or filter on: products, listings, prices, stock running out or
coming back) until that version's horizon (the next scheduled publication); a new
version counts again. The version is read before the rows are, so a count is never kept
under a version newer than what it counted. Without the cache, every count is exact and
fresh.
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
from storefront import versions as shop_pages

from .db import count_matches

logger = logging.getLogger(__name__)

PREFIX = "catalog:search-count:"
# The longest a count is kept, whatever happens.
COUNT_SECONDS = 600
# A moment this close to now in a statement is the visibility check's "now" (published
# before now): what it lets through changes only with a version (a change) or at the
# horizon (a scheduled publication), so counts of different moments are the same count.
NOW_SECONDS = 60


def gin_count(queryset: QuerySet) -> int:
    """``queryset.count()`` planned for the GIN index, kept per catalogue version."""
    key = count_key(queryset)
    if key is None:
        return 0
    version_key = shop_pages.CATALOGUE.key()
    try:
        found = cache.get_many([version_key, key])
        version = versions.started(found, [version_key])[0]
    except Exception:  # noqa: BLE001 - no cache: counted every time
        logger.warning("search counts not cached", exc_info=True)
        return count_matches(queryset)
    entry = found.get(key)
    if entry is not None and entry[0] == version and entry[2] > time.time():
        return entry[1]
    # Before the rows too: a publication due between the two would be missed.
    until = shop_pages.horizon(version)
    count = count_matches(queryset)
    try:
        seconds = int(min(until - time.time(), COUNT_SECONDS))
        if seconds > 0:
            cache.set(key, (version, count, until), seconds)
    except Exception:  # noqa: BLE001 - not kept: the next page counts again
        logger.warning("search count not kept", exc_info=True)
    return count


def count_key(queryset: QuerySet) -> str | None:
    """The cache key of ``queryset``'s count (``None``: it matches nothing)."""
    try:
        sql, params = queryset.order_by().values_list("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    now = timezone.now()
    params = ["<now>" if isinstance(value, datetime)
              and abs((value - now).total_seconds()) < NOW_SECONDS else value
              for value in params]
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    return PREFIX + digest
