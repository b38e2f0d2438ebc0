"""The shop's browsing pages (home, pavilion, category, search, product) served from the
cache, and kept exact by one counter.

**What a page is keyed by.** Its full path (with the query string: filters, sort, page
cursor, search text), the language, the channel and whether the visitor is signed in.
Visitors whose pages differ in content (operators and members of an organisation see
their unpublished products) are never served from the cache, nor is a request with
messages to show or any method but GET: those render as before.

**What is never cached.** The visitor's own parts: the CSRF token of the forms (add to
cart, search, sign out, language), the name and the cart count in the header. A page is
rendered once with placeholders in their place and stored so; on the way out each
request's own values replace the placeholders (:func:`personalise`). The CSRF
placeholder is derived from ``SECRET_KEY``, so no shopper can type it into a page.

**Invalidation.** One *catalogue version* in the cache. A stored page remembers the
version it was rendered at and is used only while the version is still that one. The
version is raised by :func:`catalogue_changed`, which the receivers below call on every
save or delete of what the pages show (products, variants, prices and listings, stock,
collections, media, categories, pavilions, translations, brands and licences, the supply
chain's lots, inspections and recalls, broadcasts and line-ups), and after an order
commits that left one of its variants without free units (stock taken by SQL sends no
signal). It is raised at once *and* again after the commit: a page rendered in between
from data not yet committed is stored under the first raise and dropped by the second.
A missing version starts at a random value, so pages of a lost version never come back.

**Time.** Nothing signals a scheduled publication or a broadcast's planned start or end,
so a page is kept only until the nearest such moment (:func:`horizon`), and at most
``STOREFRONT_PAGE_CACHE_SECONDS``. A product page while one of its broadcasts is on air
(live price, units left, countdown) is not stored at all (:func:`dont_store`).

Production shares the version and the pages through Redis (``CACHES``); with the local
memory cache each process keeps its own, and only changes made in that process reach it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render as django_render
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.html import escape

from catalog.models import ProductChannelListing
from content.models import Translation
from livestream.models import Broadcast
from shop import hooks

from . import services

logger = logging.getLogger(__name__)

VERSION_KEY = "storefront:catalogue-version"
HORIZON_KEY = "storefront:horizon"
PAGE_PREFIX = "storefront:page:"
FACETS_PREFIX = "storefront:facets:"
MAX_PATH = 1000  # longer URLs (made up, not linked) render without the cache
REQUEST_FLAG = "_storefront_page_cache"

# What the pages show: a save or delete of any of these, or of a translation record
# (``content``), raises the catalogue version.
WATCHED_MODELS = (
    "catalog.Category", "catalog.Attribute", "catalog.AttributeValue", "catalog.ProductType",
    "catalog.Pavilion", "catalog.Product", "catalog.ProductAttributeValue",
    "catalog.ProductChannelListing", "catalog.ProductVariant", "catalog.VariantAttributeValue",
    "catalog.ProductVariantChannelListing", "catalog.Collection", "catalog.CollectionProduct",
    "catalog.CollectionChannelListing", "catalog.ProductMedia",
    "shop.Stock", "shop.Channel", "shop.Warehouse",
    "brand.RegionalBrand", "brand.Licence",
    "supplychain.SourcingLot", "supplychain.Inspection", "supplychain.GradedLot",
    "supplychain.PackingRun", "supplychain.Recall",
    "livestream.Broadcast", "livestream.LineupItem", "livestream.Host",
)


def page_seconds() -> int:
    return getattr(settings, "STOREFRONT_PAGE_CACHE_SECONDS", 600)


# The catalogue version ------------------------------------------------------------------

def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    return version if version is not None else _start_version()


def _start_version() -> int:
    cache.add(VERSION_KEY, secrets.randbits(48), None)
    return cache.get(VERSION_KEY)


def _raise_version() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # missing: the next reader starts a fresh random one
            pass
    except Exception:  # noqa: BLE001 - a change must never fail because the cache is down
        logger.warning("storefront pages not invalidated", exc_info=True)


def catalogue_changed() -> None:
    """What the shop's pages show has changed (or will, when the transaction commits)."""
    _raise_version()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
            entry[1] is _raise_version for entry in connection.run_on_commit):
        return  # raised once more after this commit already
    transaction.on_commit(_raise_version)


def _changed(sender, **kwargs):
    catalogue_changed()


def _m2m_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        catalogue_changed()


def _order_taken_last_units(order, lines):
    """Checkout completion hook: once the order commits, a variant it left without free
    units (sold out) changes the product cards and the in-stock filter."""
    variant_ids = [line.variant_id for line in lines if line.variant_id]
    if variant_ids:
        transaction.on_commit(lambda: _sold_out_check(variant_ids))
    return ()


def _sold_out_check(variant_ids) -> None:
    try:
        if services.any_sold_out(variant_ids):
            _raise_version()
    except Exception:  # noqa: BLE001 - after the commit: logged, never raised
        logger.warning("sold-out check of the shop pages failed", exc_info=True)


def connect() -> None:
    """Connect the receivers (from ``StorefrontConfig.ready``)."""
    translations = [m for m in apps.get_app_config("content").get_models()
                    if issubclass(m, Translation)]
    for model in [apps.get_model(label) for label in WATCHED_MODELS] + translations:
        uid = f"storefront-cache-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_m2m_changed, sender=field.remote_field.through,
                                dispatch_uid=f"{uid}-{field.name}")
    hooks.register_complete_hook(_order_taken_last_units)


# Time-driven changes --------------------------------------------------------------------

def horizon(version: int) -> float:
    """When the pages of ``version`` stop being right on their own: the nearest scheduled
    publication or start of sale, or planned start or end of a broadcast (a timestamp),
    worked out once per version."""
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


# Pages ----------------------------------------------------------------------------------



def _placeholder(name: str) -> str:
    return name + salted_hmac("storefront.cache", name).hexdigest()[:32]


_CSRF = _placeholder("csrf")
_NAME = _placeholder("name")
_CART = _placeholder("cart")


def visitor_kind(request) -> str | None:
    """``"guest"`` or ``"shopper"`` (signed in, sees what guests see), ``None`` for a
    visitor who sees more (an operator, a member of an organisation)."""
    kind = getattr(request, "_storefront_visitor", "")
    if kind == "":
        user = request.user
        if not user.is_authenticated:
            kind = "guest"
        elif user.is_superuser or user.memberships.filter(organization__is_active=True).exists():
            kind = None
        else:
            kind = "shopper"
        request._storefront_visitor = kind
    return kind


def _page_key(request, view_name: str) -> str | None:
    path = request.get_full_path()
    kind = visitor_kind(request)
    if kind is None or len(path) > MAX_PATH:
        return None
    raw = "|".join((view_name, path, translation.get_language() or "",
                    settings.DEFAULT_CHANNEL_SLUG, kind))
    return PAGE_PREFIX + hashlib.sha1(raw.encode()).hexdigest()


def cached_page(fingerprint=None):
    """Serve the decorated GET view from the cache (see the module's docstring).

    ``fingerprint(request, *args, **kwargs)`` adds what the catalogue version does not
    follow exactly (a product's stock, which orders take by SQL) to the page's identity:
    a stored page is used only while its fingerprint is unchanged."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "GET" or len(get_messages(request)):
                return view(request, *args, **kwargs)
            key = _page_key(request, view.__name__)
            if key is None:
                return view(request, *args, **kwargs)
            try:
                found = cache.get_many([VERSION_KEY, key])
            except Exception:  # noqa: BLE001 - no cache: the page as before
                logger.warning("page cache unreachable", exc_info=True)
                return view(request, *args, **kwargs)
            version = found.get(VERSION_KEY)
            if version is None:
                version = _start_version()
            extra = fingerprint(request, *args, **kwargs) if fingerprint else None
            entry = found.get(key)
            if entry is not None and entry[0] == version and entry[1] == extra:
                return personalise(request, HttpResponse(entry[2], content_type=entry[3]))
            setattr(request, REQUEST_FLAG, True)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not getattr(response, "_dont_store", False):
                _store(key, version, (version, extra, response.content,
                                      response["Content-Type"]))
            return personalise(request, response)
        return wrapper
    return decorate


def _store(key: str, version: int, entry: tuple) -> None:
    """Keep ``entry`` until the catalogue's next time-driven change (see :func:`horizon`)."""
    try:
        ttl = int(min(horizon(version) - time.time(), page_seconds()))
        if ttl > 0:
            cache.set(key, entry, ttl)
    except Exception:  # noqa: BLE001 - not stored: the next visitor renders it again
        logger.warning("page not stored in the cache", exc_info=True)


def render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    """``django.shortcuts.render`` for the cached views: rendered for the cache, the forms
    carry the CSRF placeholder instead of this visitor's token."""
    if getattr(request, REQUEST_FLAG, False):
        context = {**context, "csrf_token": _CSRF}
    return django_render(request, template, context, status=status)


def dont_store(response: HttpResponse) -> HttpResponse:
    """This rendering is right for this moment only (a broadcast on air): not stored."""
    response._dont_store = True
    return response


def in_cached_render(context) -> bool:
    request = context.get("request")
    return request is not None and getattr(request, REQUEST_FLAG, False)


def name_placeholder() -> str:
    return _NAME


def cart_placeholder() -> str:
    return _CART


def visitor_name(request) -> str:
    user = request.user
    return (user.get_short_name() or "") if user.is_authenticated else ""


def cart_badge(request) -> str:
    """The header's count of units in the visitor's cart (HTML, empty for none)."""
    count = services.cart_quantity(request)
    return f' <span class="count">{count}</span>' if count else ""


def personalise(request, response: HttpResponse) -> HttpResponse:
    """This visitor's CSRF token, name and cart count in place of the placeholders."""
    body = response.content
    replacements = ((_CSRF, lambda: get_token(request)),
                    (_NAME, lambda: escape(visitor_name(request))),
                    (_CART, lambda: cart_badge(request)))
    for placeholder, value in replacements:
        marker = placeholder.encode()
        if marker in body:
            body = body.replace(marker, value().encode())
    response.content = body
    return response


# Facet counts ---------------------------------------------------------------------------

def facets(request, compute, **arguments):
    """The listing's facet counts for ``arguments`` (filter and search: not the sort nor
    the page), computed once per catalogue version for visitors who see what guests see."""
    if visitor_kind(request) is None:
        return compute()
    raw = json.dumps([arguments, translation.get_language(), settings.DEFAULT_CHANNEL_SLUG],
                     sort_keys=True, default=str)
    key = FACETS_PREFIX + hashlib.sha1(raw.encode()).hexdigest()
    try:
        found = cache.get_many([VERSION_KEY, key])
    except Exception:  # noqa: BLE001
        return compute()
    version = found.get(VERSION_KEY)
    if version is None:
        version = _start_version()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    _store(key, version, (version, value))
    return value
