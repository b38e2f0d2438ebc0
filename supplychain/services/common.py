"""What every supply-chain service shares: input cleaning (weights, amounts, text), the
same-organisation check and the trace event each operation records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from shop import validators
from shop.errors import field_error
from shop.models import Organization
from shop.money import money

from ..error_codes import SupplyChainErrorCode as E
from ..models import TraceEvent

ZERO_KG = Decimal("0.000")
KG_STEP = Decimal("0.001")
BizStep = TraceEvent.BizStep


def clean_kg(value, field: str, allow_zero: bool = False) -> Decimal:
    kg = validators.clean_decimal(value, field, E.INVALID, places="0.001", max_digits=12)
    if kg == 0 and not allow_zero:
        raise field_error(field, _("The weight must be more than zero."), E.INVALID)
    return kg


def clean_money(value, field: str) -> Decimal:
    return money(validators.clean_decimal(value, field, E.INVALID, places="0.01",
                                          max_digits=12))


def clean_text(value, field: str, required: bool = True, max_length: int = 128) -> str:
    text = validators.clean_text(value, field, E.INVALID, max_length=max_length)
    if required and not text:
        raise field_error(field, _("This field is required."), E.REQUIRED)
    return text


def clean_date(value, field: str, latest=None) -> date:
    """A date from 2000 to (by default) the end of 2100."""
    return validators.clean_date(value, field, E.INVALID, latest=latest)


def same_org(obj_org_id: int, organization: Organization, field: str):
    if obj_org_id != organization.pk:
        raise field_error(field, _("This record belongs to another organisation."),
                          E.WRONG_ORGANIZATION)


def trace_event(organization, biz_step, *, when=None, user=None, **fields) -> TraceEvent:
    return TraceEvent.objects.create(
        organization=organization, biz_step=biz_step, event_time=when or timezone.now(),
        actor=user, **fields,
    )
