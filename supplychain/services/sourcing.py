"""Sourcing: lots bought from households or bases, and their laboratory inspections."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import field_error
from shop.models import Organization
from shop.money import money
from shop.uploads import check_document, save_upload

from ..error_codes import SupplyChainErrorCode as E
from ..models import Base, Disposition, Household, Inspection, SourcingLot, TraceEvent
from ..trace_texts import reason
from .common import (
    BizStep,
    clean_date,
    clean_kg,
    clean_money,
    clean_text,
    same_org,
    trace_event,
)

# The amount paid column holds at most 12 digits (two of them fen).
MAX_AMOUNT = Decimal("10000000000")
MAX_REPORT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def create_sourcing_lot(organization: Organization, *, product, harvested_on: date,
                        quantity_kg, unit_price, household: Household | None = None,
                        base: Base | None = None, received_at: datetime | None = None,
                        lot_number: str = "", notes: str = "", user=None) -> SourcingLot:
    same_org(product.organization_id, organization, "product")
    if household is None and base is None:
        raise field_error("household", _("Say which household or base the goods came from."),
                          E.REQUIRED)
    if household is not None:
        same_org(household.organization_id, organization, "household")
    if base is not None:
        same_org(base.organization_id, organization, "base")
    received_at = received_at or timezone.now()
    clean_date(harvested_on, "harvested_on")
    if harvested_on > timezone.localtime(received_at).date():
        raise field_error("harvested_on", _("The harvest date cannot be after the goods were "
                                            "received."), E.INVALID)
    kg = clean_kg(quantity_kg, "quantity_kg")
    price = clean_money(unit_price, "unit_price")
    amount = money(kg * price)
    if amount >= MAX_AMOUNT:
        raise field_error("unit_price", _("The amount paid is too large."), E.INVALID)
    notes = clean_text(notes, "notes", required=False, max_length=2000)
    lot_number = clean_text(lot_number, "lot_number", required=False, max_length=32)
    if lot_number and SourcingLot.objects.filter(organization=organization,
                                                 lot_number=lot_number).exists():
        raise field_error("lot_number", _("This lot number is already used."), E.UNIQUE)
    lot = SourcingLot.objects.create(
        organization=organization, product=product, household=household, base=base,
        harvested_on=harvested_on, received_at=received_at, quantity_kg=kg, unit_price=price,
        amount=amount,
        lot_number=lot_number or f"tmp-{secrets.token_hex(8)}", notes=notes,
        created_by=user,
    )
    if not lot_number:
        lot.lot_number = f"S{timezone.localtime(received_at):%y%m%d}-{lot.pk}"
        lot.save(update_fields=["lot_number"])
    where = household.village if household else base.location
    trace_event(organization, BizStep.COMMISSIONING, when=received_at, user=user,
                disposition=Disposition.ACTIVE, action=TraceEvent.Action.ADD, sourcing_lot=lot,
                quantity_kg=kg, location=where, **reason("bought"))
    return lot


@transaction.atomic
def record_inspection(sourcing_lot: SourcingLot, *, lab: str, result: str, inspected_on: date,
                      items: list | None = None, report=None, user=None) -> Inspection:
    clean_date(inspected_on, "inspected_on", latest=timezone.localdate())
    if result not in Inspection.Result.values:
        raise field_error("result", _("The result is either passed or failed."), E.INVALID)
    cleaned_items = []
    for item in items or []:
        name = clean_text(item.get("name"), "items", max_length=64)
        cleaned_items.append({"name": name, "value": str(item.get("value") or ""),
                              "limit": str(item.get("limit") or ""),
                              "passed": bool(item.get("passed", True))})
    inspection = Inspection(sourcing_lot=sourcing_lot, lab=clean_text(lab, "lab"),
                            result=result, inspected_on=inspected_on, items=cleaned_items,
                            created_by=user)
    if report is not None:
        kind = check_document(report, "report", E.INVALID, max_bytes=MAX_REPORT_BYTES)
        save_upload(inspection.report, report, kind)
    inspection.save()
    trace_event(sourcing_lot.organization, BizStep.INSPECTING, user=user, sourcing_lot=sourcing_lot,
                location=inspection.lab,
                **reason("inspection_passed" if result == Inspection.Result.PASSED
                         else "inspection_failed"))
    return inspection


def latest_inspections(lot_ids) -> dict[int, Inspection]:
    latest = {}
    for inspection in Inspection.objects.filter(sourcing_lot_id__in=lot_ids).order_by(
            "sourcing_lot_id", "inspected_on", "pk"):
        latest[inspection.sourcing_lot_id] = inspection
    return latest
