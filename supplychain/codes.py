"""Trace codes: how one is drawn, how a scanned or typed one is read back, and the public
URL its QR code encodes. Used by the services (issuing, look-up) and by ``labels``."""

from __future__ import annotations

import base64
import secrets

from shop.public_urls import absolute_url

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def new_trace_code() -> str:
    """80 random bits as 16 base32 characters (A-Z, 2-7): URL-safe, case-insensitive, in
    QR alphanumeric mode, never sequential."""
    return new_trace_codes(1)[0]


def new_trace_codes(n: int) -> list[str]:
    """``n`` codes drawn at once. Ten random bytes are exactly sixteen base32 characters
    (80 bits, no padding), so one encoding of ``10 * n`` bytes cut every 16 characters
    gives the same codes as ``n`` separate draws, at a fraction of the cost."""
    text = base64.b32encode(secrets.token_bytes(10 * n)).decode("ascii")
    return [text[i:i + 16] for i in range(0, 16 * n, 16)]


def normalise_code(text: str) -> str | None:
    code = (text or "").strip().upper()
    if len(code) != 16 or any(ch not in ALPHABET for ch in code):
        return None
    return code


def trace_url(code: str) -> str:
    """The public trace page of ``code`` at ``PUBLIC_URL`` (never a request's host): what
    the printed QR codes point at."""
    return absolute_url(f"/t/{code}")
