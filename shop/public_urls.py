"""Absolute links for pages, e-mails, QR codes, API answers and media, built from the
configured public address (``settings.PUBLIC_URL``).

Never from the request: its ``Host`` header is whatever the client sent, so a link built
from it could send a shopper, or a QR code printed on a package, to someone else's site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path_or_url: str) -> str:
    """``/t/ABC`` → ``https://pavilion.example/t/ABC``. A URL that is already absolute
    (media kept on an object store with its own address) is returned as it is; an empty
    value stays empty."""
    if not path_or_url:
        return path_or_url
    parts = urlsplit(path_or_url)
    if parts.scheme:
        return path_or_url
    if parts.netloc:  # scheme-relative: //media.example/x.jpg
        return f"{urlsplit(settings.PUBLIC_URL).scheme}:{path_or_url}"
    return f"{settings.PUBLIC_URL}/{path_or_url.lstrip('/')}"
