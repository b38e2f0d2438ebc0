"""Trace codes: how one is drawn, how a scanned or typed one is read back, and the public
URL its QR code encodes. Used by the services (issuing, look-up) and by ``labels``."""

from __future__ import annotations

import base64
import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def new_trace_code() -> str:
    """80 random bits as 16 base32 characters (A-Z, 2-7): URL-safe, case-insensitive, in
    QR alphanumeric mode, never sequential."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def normalise_code(text: str) -> str | None:
    code = (text or "").strip().upper()
    if len(code) != 16 or any(ch not in ALPHABET for ch in code):
        return None
    return code


def trace_url(code: str) -> str:
    return f"{settings.PUBLIC_URL}/t/{code}"
