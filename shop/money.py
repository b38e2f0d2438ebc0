"""Money amounts: ``Decimal`` with two places (fen), rounded half up, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """``value`` (a Decimal, int or numeric string) as an amount with two decimal places."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
