"""What every supply-chain service shares: input cleaning (weights, amounts, text), the
same-organisation check and the trace event each operation records."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import field_error
from shop.models import Organization
from shop.money import money

from ..error_codes import SupplyChainErrorCode as E
from ..models import TraceEvent

ZERO_KG = Decimal("0.000")
KG_STEP = Decimal("0.001")
PRODUCER_KINDS = {Organization.Kind.COOPERATIVE, Organization.Kind.ENTERPRISE}
BizStep = TraceEvent.BizStep


def clean_kg(value, field: str, allow_zero: bool = False) -> Decimal:
    try:
        kg = Decimal(str(value)).quantize(KG_STEP, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise field_error(field, _("Enter a weight in kilograms."), E.INVALID) from None
    if kg < 0 or (kg == 0 and not allow_zero) or not kg.is_finite():
        raise field_error(field, _("The weight must be more than zero."), E.INVALID)
    return kg


def clean_money(value, field: str) -> Decimal:
    try:
        amount = money(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise field_error(field, _("Enter an amount in yuan."), E.INVALID) from None
    if amount < 0:
        raise field_error(field, _("The amount cannot be negative."), E.INVALID)
    return amount


def clean_text(value, field: str, required: bool = True, max_length: int = 128) -> str:
    text = (value or "").strip()
    if required and not text:
        raise field_error(field, _("This field is required."), E.REQUIRED)
    if len(text) > max_length:
        raise field_error(field, _("Use at most %(n)s characters.") % {"n": max_length},
                          E.INVALID)
    return text


def same_org(obj_org_id: int, organization: Organization, field: str):
    if obj_org_id != organization.pk:
        raise field_error(field, _("This record belongs to another organisation."),
                          E.WRONG_ORGANIZATION)


def trace_event(organization, biz_step, *, when=None, user=None, **fields) -> TraceEvent:
    return TraceEvent.objects.create(
        organization=organization, biz_step=biz_step, event_time=when or timezone.now(),
        actor=user, **fields,
    )
