"""Throttles kept in Django's cache (Redis in production, local memory when embedded).

Sign-in: failures are counted per account and per client address. The first few are free;
after that each further failure locks the key for a window that doubles (15 s, 30 s, 60 s …
up to an hour), and while a key is locked no password is even checked, so fifty wrong
passwords in a row cost the guesser hours instead of seconds. A success clears the
account's count. The address gets more free failures than an account, because many
shoppers share one carrier address."""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .error_codes import AccountErrorCode
from .errors import field_error
from .services.accounts import authenticate_user

SIGNIN_FREE_FAILURES_ACCOUNT = 5
SIGNIN_FREE_FAILURES_ADDRESS = 30
SIGNIN_BASE_DELAY = 15  # seconds, doubled with every further failure
SIGNIN_MAX_DELAY = 3600
# Counts are forgotten a day after the last failure.
SIGNIN_MEMORY = 24 * 3600


def now() -> float:
    """The clock the throttles read (tests move it instead of sleeping)."""
    return time.time()


def client_address(request) -> str:
    """The client's address as the web server saw it. Behind a reverse proxy, the proxy
    sets REMOTE_ADDR from a trusted proxy's X-Forwarded-For
    (``shop.middleware.ClientAddressMiddleware``); the header itself is never read here."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def first_in_window(kind: str, subject: str, seconds: int) -> bool:
    """Whether this is the first ``kind`` action for ``subject`` within ``seconds`` (the
    shared cache remembers it). A cache that cannot be reached lets the action through."""
    try:
        return cache.add(f"throttle:{kind}:{_digest(subject)}", 1, seconds)
    except Exception:  # noqa: BLE001 - no cache: no throttle rather than no service
        return True


GENERATION_KEY = "throttle:signin:generation"


def forget_signin_failures() -> None:
    """Start every sign-in count afresh (an operator after an incident; each test), by
    moving to a new generation of keys rather than clearing a cache others share."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _keys(email: str, address: str) -> list[tuple[str, int]]:
    account = (email or "").strip().lower()
    prefix = f"throttle:signin:{cache.get(GENERATION_KEY, 0)}"
    return [(f"{prefix}:account:{_digest(account)}",
             getattr(settings, "SIGNIN_FREE_FAILURES_ACCOUNT", SIGNIN_FREE_FAILURES_ACCOUNT)),
            (f"{prefix}:address:{_digest(address)}",
             getattr(settings, "SIGNIN_FREE_FAILURES_ADDRESS", SIGNIN_FREE_FAILURES_ADDRESS))]


def signin_retry_after(email: str, address: str) -> int:
    """Seconds until ``email`` may be tried again from ``address`` (0: now)."""
    moment = now()
    waits = [cache.get(f"{key}:until", 0) - moment for key, _free in _keys(email, address)]
    return max(0, math.ceil(max(waits)))


def record_signin_failure(email: str, address: str) -> None:
    moment = now()
    for key, free in _keys(email, address):
        cache.add(f"{key}:failures", 0, SIGNIN_MEMORY)
        try:
            failures = cache.incr(f"{key}:failures")
        except ValueError:  # expired between add and incr
            cache.set(f"{key}:failures", 1, SIGNIN_MEMORY)
            failures = 1
        cache.touch(f"{key}:failures", SIGNIN_MEMORY)
        if failures >= free:
            delay = min(SIGNIN_MAX_DELAY, SIGNIN_BASE_DELAY * 2 ** min(failures - free, 20))
            cache.set(f"{key}:until", moment + delay, SIGNIN_MEMORY)


def record_signin_success(email: str) -> None:
    key, _free = _keys(email, "")[0]
    cache.delete_many([f"{key}:failures", f"{key}:until"])


def signin_delayed_error(retry_after: int) -> ValidationError:
    return field_error("email", _("Too many failed sign-in attempts. Try again in %(seconds)d "
                                  "seconds.") % {"seconds": retry_after},
                       AccountErrorCode.LOGIN_ATTEMPT_DELAYED)


def throttled_authenticate(email: str, password: str, address: str):
    """``authenticate_user`` behind the sign-in throttle: while the account or the address
    is locked, the password is not checked and the error says how long to wait (code
    ``login_attempt_delayed``; the error's ``retry_after`` attribute holds the seconds)."""
    retry_after = signin_retry_after(email, address)
    if retry_after:
        error = signin_delayed_error(retry_after)
        error.retry_after = retry_after
        raise error
    try:
        user = authenticate_user(email, password)
    except ValidationError:
        record_signin_failure(email, address)
        raise
    record_signin_success(email)
    return user
