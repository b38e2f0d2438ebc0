"""What raises the versions of the shop's stored pages (``storefront.cache``; the
mechanism is ``shop.versions``). The scopes:

* ``CATALOGUE`` (every shop page), raised on every save or delete of what the pages show:
  products, variants, prices and listings, stock counts, collections, media, categories,
  pavilions, attributes, translations, brands and licences, the supply chain's lots,
  inspections, packing runs and recalls, broadcasts, line-ups and hosts; on an order
  cancelled or refunded (its units return); and after an order that left one of its
  variants without a free unit (once per sell-out: a variant found empty is marked, and
  only a new mark raises, so a flash sale does not raise it for every buyer).
* ``STOCK`` per product, raised after each order of it commits: its page shows the units
  left, which orders take by SQL (no model signal).
* ``CART`` per checkout, raised on every change of it or its lines and when it is
  completed, whoever does it (the shop's pages, the GraphQL API): the header's cart
  count follows it; ``USER_CARTS`` per user, raised when a checkout becomes the user's:
  a signed-in shopper's count of no cart follows it.

Nothing signals time passing, so :func:`horizon` gives the moment the pages stop being
right on their own (a scheduled publication, a broadcast's planned start or end, a brand
licence coming into force or lapsing)."""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import datetime, timedelta
from datetime import time as day_start
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from brand.models import Licence
from catalog.models import ProductChannelListing
from content.models import Translation
from livestream.models import Broadcast
from shop import hooks, soldout, versions
from shop import signals as shop_signals
from shop.models import Checkout, Order, Stock
from shop.versions import CATALOGUE, catalogue_changed

from . import services

logger = logging.getLogger(__name__)

STOCK = versions.Scope("stock")  # one product's page, by its slug
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
    return STOCK.key(hashlib.sha1(slug.encode()).hexdigest()[:24])


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
    versions of the products sold (their slugs read with the lines sold)."""
    keys = {stock_key(line.order_line.variant.product.slug) for line in lines
            if line.variant_id}
    if keys:
        transaction.on_commit(partial(_after_order, keys))
    return ()


def _after_order(keys) -> None:
    try:
        versions.bump(*keys)
    except Exception:  # noqa: BLE001 - after the commit: logged, never raised
        logger.warning("shop pages not invalidated after an order", exc_info=True)


def _sold_out(variant_ids) -> None:
    """Sold-out listener (``shop.soldout.when_sold_out``): the variants an order left (or
    a completion found) without a free unit. The catalogue's version is raised once per
    sell-out: only a variant not marked yet raises it."""
    try:
        if [pk for pk in variant_ids if cache.add(f"{SOLD_OUT_PREFIX}{pk}", 1, page_seconds())]:
            versions.bump(CATALOGUE.key())
    except Exception:  # noqa: BLE001 - after the commit: logged, never raised
        logger.warning("shop pages not invalidated after a sell-out", exc_info=True)


def _cart_saved(sender, instance, created=False, update_fields=None, **kwargs):
    # Every change of a checkout's lines saves the checkout (``shop.services.checkout``).
    keys = [services.CART.key(instance.pk)]
    if instance.user_id and (created or update_fields is None or "user" in update_fields):
        # A checkout made for a user, or a guest's becoming theirs: their count of no cart.
        keys.append(services.USER_CARTS.key(instance.user_id))
    versions.changed(*keys)


def _cart_deleted(sender, instance, **kwargs):
    # A completed checkout goes: raised after the commit only, which is all a count read
    # elsewhere needs, so that a completion spends no round trip before it.
    transaction.on_commit(partial(versions.bump, services.CART.key(instance.pk)))


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
    soldout.when_sold_out(_sold_out)
    post_save.connect(_cart_saved, sender=Checkout, dispatch_uid="storefront-cart")
    post_delete.connect(_cart_deleted, sender=Checkout, dispatch_uid="storefront-cart-delete")


# Time -----------------------------------------------------------------------------------

def _day_starts(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, day_start.min))


def horizon(version: int) -> float:
    """When the pages of catalogue ``version`` stop being right on their own: the nearest
    scheduled publication or start of sale, planned start or end of a broadcast, or day a
    brand licence comes into force or the day after it lapses (a timestamp), worked out
    once per version."""
    stored = cache.get(HORIZON_KEY)
    now = time.time()
    if stored is not None and stored[0] == version and stored[1] > now:
        return stored[1]
    moment = timezone.now()
    today = timezone.localdate()
    candidates = [ProductChannelListing.objects.next_publication(moment)]
    candidates += list(Broadcast.objects.filter(
        status__in=[Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE]).aggregate(
        a=Min("starts_at", filter=Q(starts_at__gt=moment)),
        b=Min("ends_at", filter=Q(ends_at__gt=moment)),
    ).values())
    # A licence in force from its first day to its last (``Licence.is_in_force``).
    licences = Licence.objects.filter(status=Licence.Status.ACTIVE).aggregate(
        starts=Min("valid_from", filter=Q(valid_from__gt=today)),
        lapses=Min("valid_until", filter=Q(valid_until__gte=today)))
    if licences["starts"] is not None:
        candidates.append(_day_starts(licences["starts"]))
    if licences["lapses"] is not None:
        candidates.append(_day_starts(licences["lapses"] + timedelta(days=1)))
    until = min([c.timestamp() for c in candidates if c is not None],
                default=now + page_seconds())
    cache.set(HORIZON_KEY, (version, until), page_seconds())
    return until
