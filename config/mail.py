"""Mail settings from one URL (``EMAIL_URL``), so that an operator sets one variable:

- ``smtp://user:password@host:587/?tls=1``   SMTP with STARTTLS
- ``smtps://user:password@host:465``          SMTP over TLS from the first byte
- ``smtp://127.0.0.1:1025``                   a local relay without authentication
- ``console://``                              printed to standard output (development)
- ``locmem://``                               kept in memory (tests)

User and password are URL-encoded (``%40`` for ``@``). Query options: ``tls``, ``ssl``
(``1``/``0``), ``timeout`` (seconds, default 10) and ``from`` (the sender address).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
_TRUE = {"1", "true", "yes", "on"}


def email_settings(url: str) -> dict:
    """Django's ``EMAIL_*`` settings for ``url``; an unknown scheme is a configuration
    error, never a silent fall-back to printing the mail."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unknown scheme {scheme!r} (use one of {', '.join(BACKENDS)})")
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    result = {"EMAIL_BACKEND": BACKENDS[scheme]}
    if scheme in ("smtp", "smtps"):
        if not parts.hostname:
            raise ImproperlyConfigured("EMAIL_URL: an SMTP URL needs a host")
        use_ssl = scheme == "smtps" or options.get("ssl", "").lower() in _TRUE
        result.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=parts.port or (465 if use_ssl else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=use_ssl,
            EMAIL_USE_TLS=not use_ssl and options.get("tls", "").lower() in _TRUE,
            EMAIL_TIMEOUT=int(options.get("timeout", 10)),
        )
    if options.get("from"):
        result["DEFAULT_FROM_EMAIL"] = options["from"]
        result["SERVER_EMAIL"] = options["from"]
    return result
