"""The shopper's language as the shop keeps it: Django's codes (``zh-hans``, ``bo``,
``en``, those of ``settings.LANGUAGES``) on accounts and orders, Saleor's
``LanguageCodeEnum`` names (``ZH_HANS``, ``BO``, ``EN``) on checkouts, as Saleor's API
carries them. A language the shop does not speak falls back to ``LANGUAGE_CODE``."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def spoken(code: str | None) -> str:
    """``code`` when the shop speaks it, else the shop's own language."""
    code = (code or "").lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def from_enum_name(name) -> str:
    """The Django code of a ``LanguageCodeEnum`` name: ``BO_CN`` is ``bo``, ``ZH_HANS_CN``
    ``zh-hans``, ``FR`` (not spoken here) the shop's language."""
    name = str(getattr(name, "value", name) or "").upper()
    if name.startswith("ZH_HANS") or name in ("ZH", "ZH_CN", "ZH_SG"):
        return "zh-hans"
    return spoken(name.split("_", 1)[0])


def enum_name(code: str) -> str:
    """The ``LanguageCodeEnum`` name of a language the shop speaks (``zh-hans``: ZH_HANS)."""
    return spoken(code).upper().replace("-", "_")


def active_enum_name() -> str:
    """The request's language (the active one) as a ``LanguageCodeEnum`` name: what a new
    checkout records when the client names none."""
    return enum_name(translation.get_language() or settings.LANGUAGE_CODE)
