"""Input cleaners every app's services share, so a value the database cannot hold (or that
makes no sense) is a typed field error in the user's language instead of a crash or a silent
change: text over its column is refused (never cut), NUL bytes and lone surrogates are
refused, numbers are finite and within the column and a sensible range (rounded half up, as
``shop.money`` does), dates within a sensible range."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from stdnum.cn import uscc

from .errors import field_error

# Whole numbers a person types (label quotas, allocations, counts): far above any real need,
# far below PostgreSQL's integer limit.
MAX_COUNT = 10_000_000
# Dates of harvests, inspections and documents: the platform's records begin in 2000.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_YEAR = 2100
INVALID_CREDIT_CODE = "invalid_credit_code"


def has_bad_characters(text: str) -> bool:
    """NUL (which PostgreSQL text cannot store) or a lone UTF-16 surrogate (which no encoder
    accepts)."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def has_nul(*values) -> bool:
    """True when a value taken from a URL holds a NUL byte, which PostgreSQL cannot compare:
    pages answer 404 for it instead of failing."""
    return any("\x00" in str(v) for v in values if v is not None)


def clean_text(value, field: str, code, *, max_length: int, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if has_bad_characters(text):
        raise field_error(field, _("The text contains characters that cannot be stored."),
                          code)
    if required and not text:
        raise field_error(field, _("This field is required."), code)
    if len(text) > max_length:
        raise field_error(field, _("Use at most %(n)s characters.") % {"n": max_length}, code)
    return text


def clean_decimal(value, field: str, code, *, places: str = "0.01", max_digits: int = 12,
                  minimum: Decimal | int = 0, maximum: Decimal | int | None = None) -> Decimal:
    """A finite number rounded half up to ``places`` that fits ``max_digits`` and lies in
    [minimum, maximum]."""
    step = Decimal(places)
    try:
        if isinstance(value, bool) or value is None or str(value).strip() == "":
            raise InvalidOperation
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise InvalidOperation
        number = number.quantize(step, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise field_error(field, _("Enter a number."), code) from None
    decimals = -step.as_tuple().exponent
    ceiling = Decimal(10) ** (max_digits - decimals) - step
    high = ceiling if maximum is None else min(Decimal(maximum), ceiling)
    if number < Decimal(minimum):
        if minimum == 0:
            raise field_error(field, _("The value cannot be negative."), code)
        raise field_error(field, _("Enter a number of at least %(low)s.") % {"low": minimum},
                          code)
    if number > high:
        raise field_error(field, _("Enter a number of at most %(high)s.") % {"high": high},
                          code)
    return number


def clean_int(value, field: str, code, *, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise field_error(field, _("Enter a whole number."), code)
    if value < minimum or value > maximum:
        raise field_error(field, _("Enter a whole number from %(low)s to %(high)s.")
                          % {"low": minimum, "high": maximum}, code)
    return value


def clean_date(value, field: str, code, *, earliest: date = EARLIEST_DATE,
               latest: date | None = None) -> date:
    """A date between ``earliest`` and ``latest`` (by default the end of 2100)."""
    latest = latest or date(LATEST_YEAR, 12, 31)
    if not isinstance(value, date):
        raise field_error(field, _("Enter a date."), code)
    if value < earliest or value > latest:
        raise field_error(field, _("Enter a date between %(low)s and %(high)s.")
                          % {"low": earliest.isoformat(), "high": latest.isoformat()}, code)
    return value


def validate_credit_code(value: str, field: str = "credit_code") -> str:
    """A unified social credit code (统一社会信用代码, GB 32100-2015), normalised to upper case;
    the length, the character set (no I, O, S, V, Z) and the check character are verified
    (the check itself is python-stdnum's ``stdnum.cn.uscc``). Refusals carry the code
    ``invalid_credit_code``, which the shop's and the supply chain's error enums share."""
    code = (value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise field_error(field, _("A unified social credit code has 18 characters."),
                          INVALID_CREDIT_CODE)
    if any(ch not in uscc._alphabet for ch in code):
        raise field_error(field, _("A unified social credit code uses only digits and the "
                                   "capital letters other than I, O, S, V and Z."),
                          INVALID_CREDIT_CODE)
    if not uscc.is_valid(code):
        raise field_error(field, _("The check character of this unified social credit code "
                                   "is wrong; please check the code on the licence."),
                          INVALID_CREDIT_CODE)
    return code
