"""The shop's browsing pages (home, pavilion, category, search, product) served from the
cache.

**What a page is keyed by.** Its full path (with the query string: filters, sort, page
cursor, search text), the language, the channel and whether the visitor is signed in.
Visitors whose pages differ in content (operators and members of an organisation see
their unpublished products) are never served from the cache, nor is a request with
messages to show or any method but GET: those render as before.

**What is never stored.** The visitor's own parts: the CSRF token of the forms (add to
cart, search, sign out), the name and the cart count in the header. A page is rendered
with placeholders in their place and stored so; on the way out each request's own values
replace the placeholders (:func:`personalise`), on a stored page and a fresh one alike.
The placeholders are derived from ``SECRET_KEY``, so no shopper can type one into a page.

**When a stored page is used.** While the versions it was rendered at are current
(``shop.versions``, raised by ``storefront.versions``: the catalogue's, and a product
page's stock version), and no longer than the catalogue's next time-driven change
(:func:`versions.horizon`: a publication, a broadcast, a brand licence starting or
lapsing). A product page while one of its broadcasts is on air (live price, units left,
countdown) is not stored at all (:func:`dont_store`).

**One round trip.** A stored page costs one cache round trip and no SQL: the versions,
the page, the visitor's session (read from the cache, ``SESSION_ENGINE``) and the version
of the cart the header counts, in one ``get_many``. The page's key depends on whether the
visitor is signed in and the cart's on the checkout, both in the session: each process
remembers them per session (:data:`_hints`) to ask for the right keys at once, and asks
again when the session says otherwise. A signed-in visitor costs their user row, as on
any page. Production shares the versions and the pages through Redis (``CACHES``); with
the local memory cache each process keeps its own, and only changes made in that process
reach it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from functools import cache as cache_once
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.cached_db import SessionStore as CachedSessionStore
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render as django_render
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.html import escape

from shop import versions as shop_versions

from . import services, versions

logger = logging.getLogger(__name__)

PAGE_PREFIX = "storefront:page:"
FACETS_PREFIX = "storefront:facets:"
MAX_PATH = 1000  # longer URLs (made up, not linked) render without the cache
REQUEST_FLAG = "_storefront_page_cache"
SESSION_VISITOR = "storefront_visitor"

# Per session key, what its last stored-page request here found: (visitor kind, the
# cart's version key), so that the next one asks for its page and cart in one round trip.
HINTS = 10_000
_hints: OrderedDict[str, tuple[str | None, str | None]] = OrderedDict()
_hints_lock = threading.Lock()


@cache_once
def _placeholder(name: str) -> str:
    """The marker stored in a page where the visitor's ``name`` value goes. Made on first
    use, not at import: management commands load this module without a SECRET_KEY."""
    return name + salted_hmac("storefront.cache", name).hexdigest()[:32]


# Who is visiting --------------------------------------------------------------------------

def visitor_kind(request, exact: bool = False) -> str | None:
    """``"guest"`` or ``"shopper"`` (signed in, sees what guests see), ``None`` for a
    visitor who sees more (an operator, a member of an organisation).

    A signed-in shopper's answer is remembered in the session, and taken from there to
    *serve* a stored page (at worst a shopper who has just joined an organisation gets
    the public page once more). Rendering a page *for the cache* asks ``exact``: what is
    stored must never include what only members see."""
    user = request.user
    if not user.is_authenticated:
        return "guest"
    if not exact:
        remembered = request.session.get(SESSION_VISITOR)
        if remembered == [user.pk, "shopper"]:
            return "shopper"
    kind = getattr(request, "_storefront_visitor", "")
    if kind == "":
        member = user.is_superuser or user.memberships.filter(
            organization__is_active=True).exists()
        kind = None if member else "shopper"
        request._storefront_visitor = kind
        if request.session.get(SESSION_VISITOR) != [user.pk, kind]:
            request.session[SESSION_VISITOR] = [user.pk, kind]
    return kind


def _page_key(request, view_name: str, kind: str) -> str:
    raw = "|".join((view_name, request.get_full_path(), translation.get_language() or "",
                    settings.DEFAULT_CHANNEL_SLUG, kind))
    return PAGE_PREFIX + hashlib.sha1(raw.encode()).hexdigest()


def _session_cache_key(request) -> str | None:
    """Where the visitor's session is in the cache, when it is to be read from there."""
    session = request.session
    if not isinstance(session, CachedSessionStore) or not session.session_key \
            or hasattr(session, "_session_cache"):
        return None
    return session.cache_key


def _prime_session(request, data) -> None:
    """The session as its engine would have read it from the cache (``load``), read here
    in the page's round trip instead of one of its own."""
    if data is not None:
        request.session._session_cache = data


def _hint(session_key: str | None) -> tuple[str | None, str | None]:
    if not session_key:
        return "guest", None
    with _hints_lock:
        return _hints.get(session_key, (None, None))


def _remember(session_key: str | None, kind: str | None, cart: str | None) -> None:
    if not session_key:
        return
    with _hints_lock:
        _hints[session_key] = (kind, cart)
        _hints.move_to_end(session_key)
        while len(_hints) > HINTS:
            _hints.popitem(last=False)


# Pages ----------------------------------------------------------------------------------

def cached_page(counters=None):
    """Serve the decorated GET view from the cache (see the module's docstring).

    ``counters(request, *args, **kwargs)`` names versions besides the catalogue's that
    the page depends on (a product page: its stock version)."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "GET" or len(request.get_full_path()) > MAX_PATH:
                return view(request, *args, **kwargs)
            keys = [versions.CATALOGUE.key(),
                    *(counters(request, *args, **kwargs) if counters else ())]
            session_key = request.session.session_key
            kind, cart = _hint(session_key)
            session = _session_cache_key(request)
            asked = [key for key in (_page_key(request, view.__name__, kind) if kind else None,
                                     cart, session) if key]
            try:
                found = cache.get_many([*keys, *asked])
                current = shop_versions.started(found, keys)
            except Exception:  # noqa: BLE001 - no cache: the page as before
                logger.warning("page cache unreachable", exc_info=True)
                return view(request, *args, **kwargs)
            if session:
                _prime_session(request, found.get(session))
            if len(get_messages(request)):
                return view(request, *args, **kwargs)
            real = visitor_kind(request)
            if real is None:
                return view(request, *args, **kwargs)
            key = _page_key(request, view.__name__, real)
            cart = services.cart_key(request)
            missing = [k for k in (key, cart) if k and k not in asked]
            if missing:  # the session said otherwise than this process remembered
                found.update(_get_many(missing))
            _remember(request.session.session_key, real, cart)
            request._storefront_found = found
            entry = found.get(key)
            if entry is not None and entry[0] == current:
                return personalise(request, HttpResponse(entry[1], content_type=entry[2]))
            if visitor_kind(request, exact=True) is None:
                return view(request, *args, **kwargs)
            setattr(request, REQUEST_FLAG, True)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not getattr(response, "_dont_store", False):
                _store(key, current, (current, response.content, response["Content-Type"]))
            return personalise(request, response)
        return wrapper
    return decorate


def _get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001 - read once more by whoever needs it
        return {}


def _store(key: str, current: tuple, entry: tuple) -> None:
    """Keep ``entry`` until the catalogue's next time-driven change."""
    try:
        ttl = int(min(versions.horizon(current[0]) - time.time(), versions.page_seconds()))
        if ttl > 0:
            cache.set(key, entry, ttl)
    except Exception:  # noqa: BLE001 - not stored: the next visitor renders it again
        logger.warning("page not stored in the cache", exc_info=True)


def render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    """``django.shortcuts.render`` for the cached views: rendered for the cache, the forms
    carry the CSRF placeholder instead of this visitor's token."""
    if getattr(request, REQUEST_FLAG, False):
        context = {**context, "csrf_token": _placeholder("csrf")}
    return django_render(request, template, context, status=status)


def dont_store(response: HttpResponse) -> HttpResponse:
    """This rendering is right for this moment only (a broadcast on air): not stored."""
    response._dont_store = True
    return response


# The visitor's own parts ----------------------------------------------------------------

def in_cached_render(context) -> bool:
    request = context.get("request")
    return request is not None and getattr(request, REQUEST_FLAG, False)


def name_placeholder() -> str:
    return _placeholder("name")


def cart_placeholder() -> str:
    return _placeholder("cart")


def visitor_name(request) -> str:
    user = request.user
    return (user.get_short_name() or "") if user.is_authenticated else ""


def cart_badge(request) -> str:
    """The header's count of units in the visitor's cart (HTML, empty for none)."""
    count = services.cart_quantity(request, getattr(request, "_storefront_found", None))
    return f' <span class="count">{count}</span>' if count else ""


def personalise(request, response: HttpResponse) -> HttpResponse:
    """This visitor's CSRF token, name and cart count in place of the placeholders."""
    body = response.content
    replacements = ((_placeholder("csrf"), lambda: get_token(request)),
                    (_placeholder("name"), lambda: escape(visitor_name(request))),
                    (_placeholder("cart"), lambda: cart_badge(request)))
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
    if visitor_kind(request, exact=True) is None:
        return compute()
    raw = json.dumps([arguments, translation.get_language(), settings.DEFAULT_CHANNEL_SLUG],
                     sort_keys=True, default=str)
    key = FACETS_PREFIX + hashlib.sha1(raw.encode()).hexdigest()
    try:
        found = cache.get_many([versions.CATALOGUE.key(), key])
        current = shop_versions.started(found, [versions.CATALOGUE.key()])
    except Exception:  # noqa: BLE001
        return compute()
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    _store(key, current, (current, value))
    return value
