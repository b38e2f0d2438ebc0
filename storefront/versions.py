"""The counters that say whether a stored shop page is still right (``storefront.cache``).

* The **catalogue version**, raised on every save or delete of what the pages show:
  products, variants, prices and listings, stock counts, collections, media, categories,
  pavilions, attributes, translations, brands and licences, the supply chain's lots,
  inspections, packing runs and recalls, broadcasts, line-ups and hosts; on an order
  cancelled or refunded (its units return); and after an order that left one of its
  variants without a free unit (once per sell-out: a variant found empty is marked, and
  only a new mark raises, so a flash sale does not raise it for every buyer).
* A **stock version per product**, raised after each order of it commits: its page shows
  the units left, which orders take by SQL (no model signal).

A change raises its counters at once *and* again after its transaction commits: a page
rendered in between from data not yet committed is stored under the first raise and
dropped by the second. A missing counter starts at a random value, so pages stored
under a lost counter never come back. A counter that cannot be raised (the cache is
down) is logged, never fails the change.

Nothing signals time passing, so :func:`horizon` gives the moment the pages stop being
right on their own (a scheduled publication, a broadcast's planned start or end)."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from catalog.models import ProductChannelListing
from content.models import Translation
from livestream.models import Broadcast
from shop import hooks
from shop import signals as shop_signals
from shop.models import Order, Stock

from . import services

logger = logging.getLogger(__name__)

CATALOGUE = "storefront:catalogue-version"
HORIZON_KEY = "storefront:horizon"
SOLD_OUT_PREFIX = "storefront:sold-out:"

WATCHED_MODELS = (
    "catalog.Category", "catalog.Attribute", "catalog.AttributeValue", "catalog.ProductType",
    "catalog.Pavilion", "catalog.Product", "catalog.ProductAttributeValue",
    "catalog.ProductChannelListing", "catalog.ProductVariant", "catalog.VariantAttributeValue",
    "catalog.ProductVariantChannelListing", "catalog.Collection", "catalog.CollectionProduct",
    "catalog.CollectionChannelListing", "catalog.ProductMedia",
    "shop.Channel", "shop.Warehouse",
    "brand.RegionalBrand", "brand.Licence",
    "supplychain.SourcingLot", "supplychain.Inspection", "supplychain.GradedLot",
    "supplychain.PackingRun", "supplychain.Recall",
    "livestream.Broadcast", "livestream.LineupItem", "livestream.Host",
)


def page_seconds() -> int:
    """The longest a page is kept, whatever happens."""
    return getattr(settings, "STOREFRONT_PAGE_CACHE_SECONDS", 600)


def stock_key(slug: str) -> str:
    return "storefront:stock:" + hashlib.sha1(slug.encode()).hexdigest()[:24]


def read(found: dict, keys) -> tuple:
    """The counters ``keys`` from ``found`` (a ``get_many`` answer), missing ones started."""
    return tuple(found[key] if found.get(key) is not None else start(key) for key in keys)


def start(key: str) -> int:
    cache.add(key, secrets.randbits(48), None)
    return cache.get(key)


def _raise(keys: tuple) -> None:
    for key in keys:
        try:
            try:
                cache.incr(key)
            except ValueError:  # missing: the next reader starts a fresh random one
                pass
        except Exception:  # noqa: BLE001 - a change must never fail because of the cache
            logger.warning("shop pages not invalidated (%s)", key, exc_info=True)


def changed(*keys: str) -> None:
    """Raise ``keys`` now and once more after the current transaction commits."""
    _raise(keys)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
            isinstance(entry[1], partial) and entry[1].func is _raise and entry[1].args == (keys,)
            for entry in connection.run_on_commit):
        return  # already raised again after this commit
    transaction.on_commit(partial(_raise, keys))


def catalogue_changed() -> None:
    changed(CATALOGUE)


# Receivers ------------------------------------------------------------------------------

def _saved_or_deleted(sender, **kwargs):
    catalogue_changed()


def _m2m_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        catalogue_changed()


def _units_back(variant_ids) -> None:
    try:
        cache.delete_many([f"{SOLD_OUT_PREFIX}{pk}" for pk in variant_ids])
    except Exception:  # noqa: BLE001
        logger.warning("sold-out marks not cleared", exc_info=True)
    catalogue_changed()


def _stock_saved(sender, instance, **kwargs):
    _units_back([instance.product_variant_id])


def _order_variants(order) -> list[int]:
    return list(order.lines.exclude(variant_id=None).values_list("variant_id", flat=True))


def _order_cancelled(sender, order, **kwargs):
    _units_back(_order_variants(order))


def _order_saved(sender, instance, created, update_fields=None, **kwargs):
    # A full refund releases the order's stock without the cancel signal.
    if (not created and instance.status == Order.Status.REFUNDED
            and (update_fields is None or "status" in update_fields)):
        _units_back(_order_variants(instance))


def _order_placed(order, lines):
    """Checkout completion hook (allocates nothing itself): after the commit, the stock
    versions of the products sold, and a sell-out check."""
    variant_ids = [line.variant_id for line in lines if line.variant_id]
    if variant_ids:
        transaction.on_commit(partial(_after_order, variant_ids))
    return ()


def _after_order(variant_ids) -> None:
    try:
        state = services.variant_stock_state(variant_ids)
        _raise(tuple({stock_key(slug) for slug, _empty in state.values()}))
        marks = {pk: f"{SOLD_OUT_PREFIX}{pk}" for pk, (_slug, empty) in state.items() if empty}
        if marks and [pk for pk, key in marks.items()
                      if cache.add(key, 1, page_seconds())]:
            _raise((CATALOGUE,))
    except Exception:  # noqa: BLE001 - after the commit: logged, never raised
        logger.warning("shop pages not invalidated after an order", exc_info=True)


def connect() -> None:
    """Connect the receivers (from ``StorefrontConfig.ready``)."""
    translations = [m for m in apps.get_app_config("content").get_models()
                    if issubclass(m, Translation)]
    for model in [apps.get_model(label) for label in WATCHED_MODELS] + translations:
        uid = f"storefront-pages-{model._meta.label}"
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_m2m_changed, sender=field.remote_field.through,
                                dispatch_uid=f"{uid}-{field.name}")
    post_save.connect(_stock_saved, sender=Stock, dispatch_uid="storefront-pages-stock")
    post_delete.connect(_saved_or_deleted, sender=Stock,
                        dispatch_uid="storefront-pages-stock-delete")
    post_save.connect(_order_saved, sender=Order, dispatch_uid="storefront-pages-order")
    shop_signals.order_cancelled.connect(_order_cancelled,
                                         dispatch_uid="storefront-pages-cancelled")
    hooks.register_complete_hook(_order_placed)


# Time -----------------------------------------------------------------------------------

def horizon(version: int) -> float:
    """When the pages of catalogue ``version`` stop being right on their own: the nearest
    scheduled publication or start of sale, or planned start or end of a broadcast (a
    timestamp), worked out once per version."""
    stored = cache.get(HORIZON_KEY)
    now = time.time()
    if stored is not None and stored[0] == version and stored[1] > now:
        return stored[1]
    moment = timezone.now()
    candidates = list(ProductChannelListing.objects.aggregate(
        a=Min("published_at", filter=Q(published_at__gt=moment)),
        b=Min("available_for_purchase_at", filter=Q(available_for_purchase_at__gt=moment)),
    ).values())
    candidates += list(Broadcast.objects.filter(
        status__in=[Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE]).aggregate(
        a=Min("starts_at", filter=Q(starts_at__gt=moment)),
        b=Min("ends_at", filter=Q(ends_at__gt=moment)),
    ).values())
    until = min([c.timestamp() for c in candidates if c is not None],
                default=now + page_seconds())
    cache.set(HORIZON_KEY, (version, until), page_seconds())
    return until
