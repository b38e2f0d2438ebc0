"""Promo codes: checking a code against a checkout, what it takes off, and recording its
use when the order is placed.

A code applies when it is active, inside its validity window, under its usage limit, the
subtotal reaches its minimum spend, and — for a once-per-customer code — the buyer's
e-mail has not used it before. The discount is a fixed amount or a percentage of the
subtotal, never more than the subtotal. Completion checks the code again (a code can
expire, or be used up, while the buyer pays attention to something else)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..error_codes import CheckoutErrorCode
from ..errors import field_error
from ..money import money
from ..vouchers import Voucher, VoucherCustomer


def find_voucher(code: str) -> Voucher | None:
    code = (code or "").strip()
    return Voucher.objects.filter(code__iexact=code).first() if code else None


def voucher_problem(voucher: Voucher | None, subtotal: Decimal, email: str) -> str | None:
    """Why ``voucher`` does not apply (a message for the buyer), or ``None`` when it does."""
    now = timezone.now()
    if voucher is None or not voucher.is_active:
        return _("Promo code is invalid")
    if voucher.start_date > now or (voucher.end_date and voucher.end_date <= now):
        return _("Promo code is not valid now.")
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        return _("Promo code has been used up.")
    if voucher.min_spent_amount is not None and subtotal < voucher.min_spent_amount:
        return (_("Promo code needs a subtotal of at least %(amount)s.")
                % {"amount": money(voucher.min_spent_amount)})
    if voucher.apply_once_per_customer and email and VoucherCustomer.objects.filter(
            voucher=voucher, customer_email=email.lower()).exists():
        return _("Promo code can be used once per customer.")
    return None


def discount_for(voucher: Voucher, subtotal: Decimal) -> Decimal:
    if voucher.discount_type == Voucher.DiscountType.PERCENTAGE:
        amount = subtotal * min(voucher.discount_value, Decimal(100)) / Decimal(100)
    else:
        amount = voucher.discount_value
    return money(max(Decimal(0), min(amount, subtotal)))


def checkout_discount(checkout, subtotal: Decimal) -> tuple[Voucher | None, Decimal]:
    """The checkout's code and what it takes off now (0 when it no longer applies)."""
    if not checkout.voucher_code:
        return None, Decimal(0)
    voucher = find_voucher(checkout.voucher_code)
    if voucher_problem(voucher, subtotal, checkout.email) is not None:
        return voucher, Decimal(0)
    return voucher, discount_for(voucher, subtotal)


def add_promo_code(checkout, code: str, subtotal: Decimal):
    voucher = find_voucher(code)
    problem = voucher_problem(voucher, subtotal, checkout.email)
    if problem is not None:
        raise field_error("promo_code", problem, CheckoutErrorCode.VOUCHER_NOT_APPLICABLE.value)
    checkout.voucher_code = voucher.code
    checkout.save(update_fields=["voucher_code", "updated_at"])
    return checkout


def remove_promo_code(checkout, code: str | None = None):
    if code and checkout.voucher_code.lower() != code.strip().lower():
        raise field_error("promo_code", _("Promo code is invalid"),
                          CheckoutErrorCode.INVALID.value)
    checkout.voucher_code = ""
    checkout.save(update_fields=["voucher_code", "updated_at"])
    return checkout


def use_voucher(checkout, subtotal: Decimal, order) -> tuple[Voucher | None, Decimal]:
    """At completion, inside the order's transaction: check the code again (locking it,
    so two orders cannot both take the last use) and record its use."""
    if not checkout.voucher_code:
        return None, Decimal(0)
    voucher = Voucher.objects.select_for_update().filter(
        code__iexact=checkout.voucher_code).first()
    problem = voucher_problem(voucher, subtotal, checkout.email)
    if problem is not None:
        raise field_error("promo_code", problem, CheckoutErrorCode.VOUCHER_NOT_APPLICABLE.value)
    Voucher.objects.filter(pk=voucher.pk).update(used=F("used") + 1)
    if voucher.apply_once_per_customer:
        with transaction.atomic():
            VoucherCustomer.objects.create(voucher=voucher, customer_email=checkout.email.lower(),
                                           order=order)
    return voucher, discount_for(voucher, subtotal)
