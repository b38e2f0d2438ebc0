"""Saleor's LanguageCodeEnum and how its names map onto the languages the pavilion stores
translations in (``content.models.LANGUAGES``): ZH_HANS and its regional forms are
Simplified Chinese, EN and EN_* English, BO and BO_* Tibetan."""

import graphene
from django.utils.translation import gettext_lazy as _

from .language_codes import LANGUAGE_CODES

LanguageCodeEnum = graphene.Enum(
    "LanguageCodeEnum", [(name, name) for name in LANGUAGE_CODES],
    description="Language codes (Saleor's list); translations are kept for ZH_HANS, EN, BO.")

LANGUAGE_NAMES = {"zh-hans": _("Simplified Chinese"), "en": _("English"), "bo": _("Tibetan")}


def stored_language(code) -> str:
    """The stored language for an enum name (``"EN_US"`` → ``"en"``); other languages map
    to their primary tag, for which nothing is stored."""
    name = str(getattr(code, "value", code) or "").upper()
    if name.startswith("ZH_HANS") or name in ("ZH", "ZH_CN", "ZH_SG"):
        return "zh-hans"
    return name.split("_", 1)[0].lower()


class LanguageDisplay(graphene.ObjectType):
    code = graphene.Field(LanguageCodeEnum, required=True)
    language = graphene.String(required=True)

    @staticmethod
    def of(language_code: str) -> "LanguageDisplay":
        code = language_code.upper().replace("-", "_")
        return LanguageDisplay(code=code, language=str(LANGUAGE_NAMES.get(language_code,
                                                                          language_code)))
