"""Services of the supplychain app: one function per business operation (see ARCHITECTURE.md).

Each operation takes explicit arguments, runs in one transaction and raises Django
``ValidationError`` with codes from ``supplychain.error_codes``. Stock changes go through
``shop.services`` only."""

from __future__ import annotations

import base64
import io
import ipaddress
import secrets
from collections import defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc

from shop import notifications
from shop import services as shop_services
from shop.models import Order, OrderLine, Organization

from .error_codes import SupplyChainErrorCode as E
from .models import (
    Base,
    Certification,
    Disposition,
    GradedLot,
    GradeStandard,
    GradingInput,
    GradingRecord,
    Household,
    Inspection,
    PackingRun,
    ProducerProfile,
    Recall,
    RecallNotice,
    Scan,
    SourcingLot,
    TraceCode,
    TraceEvent,
)

ZERO_KG = Decimal("0.000")
KG_STEP = Decimal("0.001")
CENT = Decimal("0.01")
PRODUCER_KINDS = {Organization.Kind.COOPERATIVE, Organization.Kind.ENTERPRISE}
BizStep = TraceEvent.BizStep


def error(field: str | None, message: str, code: E) -> ValidationError:
    err = ValidationError(message, code=code.value)
    return ValidationError({field: err}) if field else err


def clean_kg(value, field: str, allow_zero: bool = False) -> Decimal:
    try:
        kg = Decimal(str(value)).quantize(KG_STEP, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise error(field, _("Enter a weight in kilograms."), E.INVALID) from None
    if kg < 0 or (kg == 0 and not allow_zero) or not kg.is_finite():
        raise error(field, _("The weight must be more than zero."), E.INVALID)
    return kg


def clean_money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise error(field, _("Enter an amount in yuan."), E.INVALID) from None
    if amount < 0:
        raise error(field, _("The amount cannot be negative."), E.INVALID)
    return amount


def clean_text(value, field: str, required: bool = True, max_length: int = 128) -> str:
    text = (value or "").strip()
    if required and not text:
        raise error(field, _("This field is required."), E.REQUIRED)
    if len(text) > max_length:
        raise error(field, _("Use at most %(n)s characters.") % {"n": max_length}, E.INVALID)
    return text


def _same_org(obj_org_id: int, organization: Organization, field: str):
    if obj_org_id != organization.pk:
        raise error(field, _("This record belongs to another organisation."),
                    E.WRONG_ORGANIZATION)


def _event(organization, biz_step, *, when=None, user=None, **fields) -> TraceEvent:
    return TraceEvent.objects.create(
        organization=organization, biz_step=biz_step, event_time=when or timezone.now(),
        actor=user, **fields,
    )


# Who produces ------------------------------------------------------------------------------

def validate_credit_code(value: str) -> str:
    """A unified social credit code (统一社会信用代码, GB 32100-2015), normalised to upper case;
    the length, the character set (no I, O, S, V, Z) and the check character are verified
    (the check itself is python-stdnum's ``stdnum.cn.uscc``)."""
    code = (value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise error("credit_code", _("A unified social credit code has 18 characters."),
                    E.INVALID_CREDIT_CODE)
    if any(ch not in uscc._alphabet for ch in code):
        raise error("credit_code", _("A unified social credit code uses only digits and the "
                                     "capital letters other than I, O, S, V and Z."),
                    E.INVALID_CREDIT_CODE)
    if not uscc.is_valid(code):
        raise error("credit_code", _("The check character of this unified social credit code "
                                     "is wrong; please check the code on the licence."),
                    E.INVALID_CREDIT_CODE)
    return code


@transaction.atomic
def update_producer_profile(organization: Organization, *, credit_code: str,
                            legal_representative: str = "",
                            production_licence: str = "") -> ProducerProfile:
    if organization.kind not in PRODUCER_KINDS:
        raise error("organization", _("Only cooperatives and enterprises have a producer "
                                      "profile."), E.INVALID)
    code = validate_credit_code(credit_code)
    clash = ProducerProfile.objects.filter(credit_code=code).exclude(organization=organization)
    if clash.exists():
        raise error("credit_code", _("Another organisation is registered with this code."),
                    E.UNIQUE)
    profile, _created = ProducerProfile.objects.update_or_create(
        organization=organization,
        defaults={
            "credit_code": code,
            "legal_representative": clean_text(legal_representative, "legal_representative",
                                               required=False, max_length=64),
            "production_licence": clean_text(production_licence, "production_licence",
                                             required=False, max_length=32),
        },
    )
    return profile


def mask_id_number(value: str) -> tuple[str, str]:
    """Check a resident ID number (GB 11643, check digit included) and return only what is
    kept: the masked form (region code, asterisks, last four) and the last four.

    The full number is not stored, encrypted or otherwise: the platform needs it only to
    tell households apart and to match a household who shows the card at the counter (the
    last four are enough with name and village); a stored number, even encrypted, would be
    one more secret to guard for no use (PIPL's minimum-necessary rule)."""
    number = (value or "").strip().upper()
    if not ric.is_valid(number):
        raise error("id_number", _("This is not a valid resident ID number."),
                    E.INVALID_ID_NUMBER)
    return number[:6] + "*" * 8 + number[-4:], number[-4:]


@transaction.atomic
def create_household(organization: Organization, *, head_name: str, village: str,
                     township: str = "", id_number: str = "", phone: str = "",
                     is_poverty_registered: bool = False) -> Household:
    if organization.kind not in PRODUCER_KINDS:
        raise error("organization", _("Households are recorded by a cooperative or an "
                                      "enterprise."), E.INVALID)
    masked, last4 = mask_id_number(id_number) if id_number else ("", "")
    return Household.objects.create(
        organization=organization,
        head_name=clean_text(head_name, "head_name", max_length=64),
        village=clean_text(village, "village", max_length=64),
        township=clean_text(township, "township", required=False, max_length=64),
        id_number_masked=masked, id_number_last4=last4,
        phone=clean_text(phone, "phone", required=False, max_length=20),
        is_poverty_registered=bool(is_poverty_registered),
    )


@transaction.atomic
def create_base(organization: Organization, *, name: str, location: str, area_mu,
                latitude=None, longitude=None) -> Base:
    if organization.kind not in PRODUCER_KINDS:
        raise error("organization", _("Bases are recorded by a cooperative or an enterprise."),
                    E.INVALID)
    try:
        area = Decimal(str(area_mu)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        area = Decimal("-1")
    if area < 0:
        raise error("area_mu", _("Enter the area in mu."), E.INVALID)
    for field, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if value is not None and not (-bound <= Decimal(str(value)) <= bound):
            raise error(field, _("This coordinate is out of range."), E.INVALID)
    return Base.objects.create(
        organization=organization, name=clean_text(name, "name"),
        location=clean_text(location, "location", max_length=255), area_mu=area,
        latitude=latitude, longitude=longitude,
    )


@transaction.atomic
def add_certification(base: Base, *, kind: str, number: str, valid_until: date,
                      issuer: str = "", valid_from: date | None = None) -> Certification:
    if kind not in Certification.Kind.values:
        raise error("kind", _("Unknown kind of certification."), E.INVALID)
    if valid_from and valid_until < valid_from:
        raise error("valid_until", _("The expiry date is before the start date."), E.INVALID)
    number = clean_text(number, "number", max_length=64)
    if base.certifications.filter(kind=kind, number=number).exists():
        raise error("number", _("This certificate is already recorded."), E.UNIQUE)
    return Certification.objects.create(
        base=base, kind=kind, number=number, valid_until=valid_until, valid_from=valid_from,
        issuer=clean_text(issuer, "issuer", required=False),
    )


# Sourcing and inspection -------------------------------------------------------------------

@transaction.atomic
def create_sourcing_lot(organization: Organization, *, product, harvested_on: date,
                        quantity_kg, unit_price, household: Household | None = None,
                        base: Base | None = None, received_at: datetime | None = None,
                        lot_number: str = "", notes: str = "", user=None) -> SourcingLot:
    _same_org(product.organization_id, organization, "product")
    if household is None and base is None:
        raise error("household", _("Say which household or base the goods came from."),
                    E.REQUIRED)
    if household is not None:
        _same_org(household.organization_id, organization, "household")
    if base is not None:
        _same_org(base.organization_id, organization, "base")
    received_at = received_at or timezone.now()
    if harvested_on > timezone.localtime(received_at).date():
        raise error("harvested_on", _("The harvest date cannot be after the goods were "
                                      "received."), E.INVALID)
    kg = clean_kg(quantity_kg, "quantity_kg")
    price = clean_money(unit_price, "unit_price")
    lot_number = clean_text(lot_number, "lot_number", required=False, max_length=32)
    if lot_number and SourcingLot.objects.filter(organization=organization,
                                                 lot_number=lot_number).exists():
        raise error("lot_number", _("This lot number is already used."), E.UNIQUE)
    lot = SourcingLot.objects.create(
        organization=organization, product=product, household=household, base=base,
        harvested_on=harvested_on, received_at=received_at, quantity_kg=kg, unit_price=price,
        amount=(kg * price).quantize(CENT, rounding=ROUND_HALF_UP),
        lot_number=lot_number or f"tmp-{secrets.token_hex(8)}", notes=notes or "",
        created_by=user,
    )
    if not lot_number:
        lot.lot_number = f"S{timezone.localtime(received_at):%y%m%d}-{lot.pk}"
        lot.save(update_fields=["lot_number"])
    where = household.village if household else base.location
    _event(organization, BizStep.COMMISSIONING, when=received_at, user=user,
           disposition=Disposition.ACTIVE, action=TraceEvent.Action.ADD, sourcing_lot=lot,
           quantity_kg=kg, location=where, reason=_("Bought from the producer"))
    return lot


@transaction.atomic
def record_inspection(sourcing_lot: SourcingLot, *, lab: str, result: str, inspected_on: date,
                      items: list | None = None, report=None, user=None) -> Inspection:
    if result not in Inspection.Result.values:
        raise error("result", _("The result is either passed or failed."), E.INVALID)
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
        inspection.report.save(getattr(report, "name", "report.pdf") or "report.pdf", report,
                               save=False)
    inspection.save()
    _event(sourcing_lot.organization, BizStep.INSPECTING, user=user, sourcing_lot=sourcing_lot,
           location=inspection.lab,
           reason=_("Inspection passed") if result == Inspection.Result.PASSED
           else _("Inspection failed"))
    return inspection


def latest_inspections(lot_ids) -> dict[int, Inspection]:
    latest = {}
    for inspection in Inspection.objects.filter(sourcing_lot_id__in=lot_ids).order_by(
            "sourcing_lot_id", "inspected_on", "pk"):
        latest[inspection.sourcing_lot_id] = inspection
    return latest


# Grading -----------------------------------------------------------------------------------

@transaction.atomic
def create_grade_standard(product, *, name: str, criteria: str, rank: int = 0) -> GradeStandard:
    name = clean_text(name, "name", max_length=32)
    if GradeStandard.objects.filter(product=product, name=name).exists():
        raise error("name", _("This product already has a grade with this name."), E.UNIQUE)
    return GradeStandard.objects.create(product=product, name=name, rank=rank or 0,
                                        criteria=clean_text(criteria, "criteria",
                                                            max_length=4000))


def sourcing_lot_remaining(lot_ids) -> dict[int, Decimal]:
    used = dict(GradingInput.objects.filter(sourcing_lot_id__in=lot_ids)
                .values_list("sourcing_lot_id").annotate(s=Sum("quantity_kg")))
    return {lot.pk: lot.quantity_kg - used.get(lot.pk, ZERO_KG)
            for lot in SourcingLot.objects.filter(pk__in=lot_ids)}


@transaction.atomic
def record_grading(organization: Organization, *, inputs: list[tuple[SourcingLot, object]],
                   outputs: list[tuple[GradeStandard, object]], loss_kg,
                   graded_at: datetime | None = None, notes: str = "",
                   user=None) -> GradingRecord:
    """Turn input lots into graded lots plus loss. Refused when outputs + loss exceed the
    inputs, or an input takes more from a lot than is left of it. The input lots are locked
    (in primary-key order) so that two gradings of the same lot cannot both pass."""
    if not inputs:
        raise error("inputs", _("Add at least one input lot."), E.REQUIRED)
    if not outputs:
        raise error("outputs", _("Add at least one graded output."), E.REQUIRED)
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for lot, kg in inputs:
        _same_org(lot.organization_id, organization, "inputs")
        wanted[lot.pk] += clean_kg(kg, "inputs")
    locked = list(SourcingLot.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    product_ids = {lot.product_id for lot in locked}
    if len(product_ids) != 1:
        raise error("inputs", _("All input lots of one grading must be of the same product."),
                    E.INVALID)
    if Recall.objects.filter(sourcing_lot__in=locked).exists():
        raise error("inputs", _("A recalled lot cannot be graded."), E.RECALLED)
    remaining = sourcing_lot_remaining(list(wanted))
    for lot in locked:
        if wanted[lot.pk] > remaining[lot.pk]:
            raise error("inputs", _("Lot %(lot)s has only %(left)s kg left to grade; "
                                    "%(wanted)s kg were entered.")
                        % {"lot": lot.lot_number, "left": remaining[lot.pk],
                           "wanted": wanted[lot.pk]}, E.INSUFFICIENT_QUANTITY)
    out_kg = []
    for grade, kg in outputs:
        if grade.product_id not in product_ids:
            raise error("outputs", _("The grade %(grade)s is not a grade of this product.")
                        % {"grade": grade.name}, E.INVALID)
        out_kg.append((grade, clean_kg(kg, "outputs")))
    loss = clean_kg(loss_kg, "loss_kg", allow_zero=True)
    total_in = sum(wanted.values(), ZERO_KG)
    total_out = sum((kg for _g, kg in out_kg), ZERO_KG)
    if total_out + loss > total_in:
        raise error(None, _("Mass balance: graded outputs (%(out)s kg) plus loss (%(loss)s kg) "
                            "come to more than the %(inp)s kg that went in.")
                    % {"out": total_out, "loss": loss, "inp": total_in},
                    E.MASS_BALANCE_EXCEEDED)
    graded_at = graded_at or timezone.now()
    record = GradingRecord.objects.create(organization=organization, graded_at=graded_at,
                                          loss_kg=loss, notes=notes or "", created_by=user)
    GradingInput.objects.bulk_create(
        GradingInput(record=record, sourcing_lot_id=pk, quantity_kg=kg)
        for pk, kg in wanted.items())
    day = timezone.localtime(graded_at)
    for index, (grade, kg) in enumerate(out_kg, start=1):
        graded = GradedLot.objects.create(
            organization=organization, record=record, grade=grade, quantity_kg=kg,
            lot_number=f"{day:%y%m%d}-{record.pk}-{index}")
        _event(organization, BizStep.GRADING, when=graded_at, user=user, graded_lot=graded,
               disposition=Disposition.ACTIVE, action=TraceEvent.Action.ADD, quantity_kg=kg,
               reason=_("Graded as %(grade)s") % {"grade": grade.name})
    return record


def graded_lot_remaining(graded_lot: GradedLot) -> Decimal:
    packed = ZERO_KG
    for quantity, net in graded_lot.packing_runs.values_list("quantity", "net_weight_kg"):
        packed += quantity * net
    return graded_lot.quantity_kg - packed


def graded_lot_sources(graded_lot_ids) -> dict[int, list[int]]:
    """Sourcing lot ids behind each graded lot."""
    rows = GradingInput.objects.filter(record__outputs__in=graded_lot_ids).values_list(
        "record__outputs", "sourcing_lot_id")
    result = defaultdict(list)
    for graded_id, lot_id in rows:
        if lot_id not in result[graded_id]:
            result[graded_id].append(lot_id)
    return result


# Packing and trace codes -------------------------------------------------------------------

def new_trace_code() -> str:
    """80 random bits as 16 base32 characters (A-Z, 2-7): URL-safe, case-insensitive, in
    QR alphanumeric mode, never sequential."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def normalise_code(text: str) -> str | None:
    code = (text or "").strip().upper()
    if len(code) != 16 or any(ch not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for ch in code):
        return None
    return code


def _copy_codes(run: PackingRun, codes: list[str], start_serial: int, issued_at) -> None:
    table = TraceCode._meta.db_table
    columns = ("code", "packing_run_id", "serial", "disposition", "issued_at", "scan_count")
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor: COPY is the fast bulk path of PostgreSQL
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for offset, code in enumerate(codes):
                copy.write_row((code, run.pk, start_serial + offset, Disposition.ACTIVE.value,
                                issued_at, 0))


def issue_trace_codes(run: PackingRun) -> int:
    """Issue one code per package of ``run`` (inside the caller's transaction). A clash with
    an existing code (odds about n²/2⁸¹) rolls back to a savepoint and draws again."""
    issued_at = run.packed_at
    for _attempt in range(3):
        codes = list({new_trace_code() for _i in range(run.quantity)})
        while len(codes) < run.quantity:
            codes = list(set(codes) | {new_trace_code()})
        try:
            with transaction.atomic():
                _copy_codes(run, codes, 1, issued_at)
            return len(codes)
        except IntegrityError:
            continue
    raise error(None, _("Could not issue unique trace codes; please try again."), E.INVALID)


@transaction.atomic
def create_packing_run(graded_lot: GradedLot, *, variant, warehouse, quantity: int,
                       net_weight_kg, packed_at: datetime | None = None,
                       user=None, brand_labelled: bool = False) -> PackingRun:
    """Pack ``quantity`` packages of ``variant`` from ``graded_lot``: checks that every lot
    behind it passed inspection and that enough kilograms are left, issues one trace code
    per package and adds the packages to stock through ``shop.services.increase_stock``."""
    organization = graded_lot.organization
    graded_lot = GradedLot.objects.select_for_update().select_related("grade").get(
        pk=graded_lot.pk)
    _same_org(variant.product.organization_id, organization, "variant")
    _same_org(warehouse.organization_id, organization, "warehouse")
    if variant.product_id != graded_lot.grade.product_id:
        raise error("variant", _("The variant must be of the graded lot's product."),
                    E.INVALID)
    if graded_lot.is_recalled:
        raise error("graded_lot", _("This lot has been recalled and cannot be packed."),
                    E.RECALLED)
    if not isinstance(quantity, int) or quantity <= 0:
        raise error("quantity", _("Pack at least one package."), E.INVALID)
    if quantity > settings.TRACE_MAX_CODES_PER_RUN:
        raise error("quantity", _("One packing run issues at most %(n)s codes.")
                    % {"n": settings.TRACE_MAX_CODES_PER_RUN}, E.TOO_MANY_CODES)
    net = clean_kg(net_weight_kg, "net_weight_kg")
    sources = graded_lot_sources([graded_lot.pk])[graded_lot.pk]
    latest = latest_inspections(sources)
    for lot in SourcingLot.objects.filter(pk__in=sources).order_by("pk"):
        inspection = latest.get(lot.pk)
        if inspection is None:
            raise error("graded_lot", _("Lot %(lot)s has not been inspected; it cannot be "
                                        "packed for sale.") % {"lot": lot.lot_number},
                        E.NOT_INSPECTED)
        if inspection.result != Inspection.Result.PASSED:
            raise error("graded_lot", _("Lot %(lot)s failed its inspection; it cannot be "
                                        "packed for sale.") % {"lot": lot.lot_number},
                        E.INSPECTION_FAILED)
    left = graded_lot_remaining(graded_lot)
    if quantity * net > left:
        raise error("quantity", _("%(n)s packages of %(net)s kg need %(need)s kg; only "
                                  "%(left)s kg of this lot are left.")
                    % {"n": quantity, "net": net, "need": quantity * net, "left": left},
                    E.INSUFFICIENT_QUANTITY)
    run = PackingRun.objects.create(
        organization=organization, graded_lot=graded_lot, variant=variant, warehouse=warehouse,
        quantity=quantity, net_weight_kg=net, packed_at=packed_at or timezone.now(),
        packed_by=user)
    if brand_labelled:
        # Brand-labelled codes count against the seller's licence quota (brand issue #5);
        # refused (and all of this rolled back) without a licence in force or quota left.
        from brand import services as brand_services

        brand_services.consume_label_quota(organization, variant.product, quantity,
                                           reference=f"packing-run:{run.pk}", user=user)
    issue_trace_codes(run)
    shop_services.increase_stock(variant, warehouse, quantity)
    _event(organization, BizStep.PACKING, when=run.packed_at, user=user, packing_run=run,
           graded_lot=graded_lot, disposition=Disposition.ACTIVE, action=TraceEvent.Action.ADD,
           package_count=quantity, quantity_kg=quantity * net, location=warehouse.name,
           reason=_("Packed %(n)s × %(net)s kg") % {"n": quantity, "net": net})
    return run


# Labels ------------------------------------------------------------------------------------

def trace_url(code: str) -> str:
    return f"{settings.PUBLIC_URL}/t/{code}"


def _qr(code: str, box_size: int = 8, border: int = 2):
    import qrcode
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size,
                       border=border)
    qr.add_data(trace_url(code))
    qr.make(fit=True)
    return qr


def qr_png(code: str, box_size: int = 8) -> bytes:
    """The QR image of a code's trace URL as PNG (qrcode + Pillow)."""
    buffer = io.BytesIO()
    _qr(code, box_size).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(code: str) -> bytes:
    """The same QR as SVG (qrcode's path factory)."""
    from qrcode.image.svg import SvgPathImage
    buffer = io.BytesIO()
    _qr(code, box_size=10).make_image(image_factory=SvgPathImage).save(buffer)
    return buffer.getvalue()


def render_label_sheet(run: PackingRun, progress=None) -> bytes:
    """A4 sheets of labels, 3 × 8 per page: product, grade, net weight, packing date, code
    text and QR (drawn as vector squares from qrcode's matrix). Chinese text uses the
    Adobe CID font STSong-Light that reportlab ships, so no font file is needed.
    ``progress(done, total)`` is called after each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    run = PackingRun.objects.select_related("variant__product", "graded_lot__grade").get(
        pk=run.pk)
    codes = list(run.trace_codes.order_by("serial").values_list("code", flat=True))
    total = len(codes)
    cols, rows = 3, 8
    width, height = A4
    margin_x, margin_y = 8 * mm, 10 * mm
    cell_w, cell_h = (width - 2 * margin_x) / cols, (height - 2 * margin_y) / rows
    product = run.variant.product.name
    title = f"{product} {run.variant.name}".strip()
    packed = timezone.localtime(run.packed_at).strftime("%Y-%m-%d")
    lines = [
        _("Grade: %(grade)s") % {"grade": run.graded_lot.grade.name},
        _("Net weight: %(kg)s kg") % {"kg": run.net_weight_kg.normalize()},
        _("Packed on: %(date)s") % {"date": packed},
        _("Lot: %(lot)s") % {"lot": run.graded_lot.lot_number},
    ]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    per_page = cols * rows
    for index, code in enumerate(codes):
        slot = index % per_page
        if slot == 0 and index:
            pdf.showPage()
            if progress:
                progress(index, total)
        col, row = slot % cols, slot // cols
        x0 = margin_x + col * cell_w
        y0 = height - margin_y - (row + 1) * cell_h
        pdf.setLineWidth(0.3)
        pdf.rect(x0 + 1, y0 + 1, cell_w - 2, cell_h - 2)
        matrix = _qr(code, box_size=1, border=1).get_matrix()
        side = cell_h - 6 * mm
        module = side / len(matrix)
        qx, qy = x0 + 2 * mm, y0 + 3 * mm
        for r, line in enumerate(matrix):
            for c, dark in enumerate(line):
                if dark:
                    pdf.rect(qx + c * module, qy + side - (r + 1) * module, module, module,
                             stroke=0, fill=1)
        tx = qx + side + 2 * mm
        pdf.setFont("STSong-Light", 8)
        pdf.drawString(tx, y0 + cell_h - 6 * mm, title[:14])
        pdf.setFont("STSong-Light", 6.5)
        for i, text in enumerate(lines):
            pdf.drawString(tx, y0 + cell_h - (10 + 3.2 * i) * mm, text)
        pdf.setFont("Courier", 6.5)
        pdf.drawString(tx, y0 + 4 * mm, code)
    pdf.showPage()
    pdf.save()
    if progress:
        progress(total, total)
    return buffer.getvalue()


@transaction.atomic
def request_label_sheet(run: PackingRun) -> str:
    """Mark the run's label sheet as being made and queue the Celery task (after commit).
    Codes already exist: the task only renders them, so a retry never issues a code."""
    from celery import uuid as celery_uuid

    from .tasks import make_label_sheet

    run = PackingRun.objects.select_for_update().get(pk=run.pk)
    task_id = celery_uuid()
    run.label_status = PackingRun.LabelStatus.PENDING
    run.label_task_id = task_id
    run.save(update_fields=["label_status", "label_task_id"])
    transaction.on_commit(lambda: make_label_sheet.apply_async((run.pk,), task_id=task_id))
    return task_id


@transaction.atomic
def save_label_sheet(run_id: int, pdf: bytes) -> PackingRun:
    run = PackingRun.objects.select_for_update().get(pk=run_id)
    if run.label_sheet:
        run.label_sheet.delete(save=False)
    run.label_sheet.save(f"labels-{run.pk}.pdf", ContentFile(pdf), save=False)
    run.label_status = PackingRun.LabelStatus.READY
    run.save(update_fields=["label_sheet", "label_status"])
    return run


def mark_label_sheet_failed(run_id: int) -> None:
    PackingRun.objects.filter(pk=run_id).update(label_status=PackingRun.LabelStatus.FAILED)


# Scans and the public trace view -----------------------------------------------------------

def find_trace_code(text: str) -> TraceCode | None:
    code = normalise_code(text)
    if code is None:
        return None
    # No ORDER BY: the unique index on ``code`` finds the row; the producer profile comes
    # in the same query for the trace page.
    rows = TraceCode.objects.select_related(
        "packing_run__variant__product__organization__producer_profile",
        "packing_run__graded_lot__grade", "packing_run__warehouse").filter(code=code).order_by()
    return next(iter(rows[:1]), None)


def find_digital_link(gtin: str, lot: str, serial: str) -> TraceCode | None:
    """GS1 Digital Link ``/01/<gtin>/10/<lot>/21/<serial>``: the serial (AI 21) is the trace
    code itself, so the link is as unguessable as ``/t/<code>``; GTIN and lot must match."""
    trace = find_trace_code(serial)
    if trace is None:
        return None
    run = trace.packing_run
    if run.variant.gtin.lstrip("0") != (gtin or "").lstrip("0") or \
            run.graded_lot.lot_number != lot:
        return None
    return trace


def coarse_network(address: str) -> str:
    """The caller's network, not the address: IPv4 /24, IPv6 /48."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def record_scan(trace: TraceCode | None, code_text: str, *, source: str, address: str = "",
                user_agent: str = "") -> Scan:
    """Count a look-up and keep it with its anomaly flags: a code never issued, a package
    scanned before it was shipped, a code scanned more often than one package would be.

    Every scan of the trace page comes through here, so it costs one statement: the
    counter update (``UPDATE … RETURNING``) and the scan's insert are one writable CTE,
    atomic on its own, with the flags computed from the counted row."""
    now = timezone.now()
    scan = Scan(trace_code=trace, code_text=(code_text or "")[:64], scanned_at=now,
                source=source, network=coarse_network(address),
                user_agent=(user_agent or "")[:255], never_issued=trace is None)
    if trace is None:
        scan.is_flagged = True
        scan.save()
        return scan
    with connection.cursor() as cursor:
        cursor.execute(_SCAN_SQL.format(codes=TraceCode._meta.db_table,
                                         scans=Scan._meta.db_table), {
            "id": trace.pk, "now": now, "active": Disposition.ACTIVE.value,
            "threshold": settings.TRACE_SCAN_ALERT_THRESHOLD, "text": scan.code_text,
            "source": scan.source, "network": scan.network, "agent": scan.user_agent})
        scan.pk, count, first, scan.before_shipping, scan.too_many = cursor.fetchone()
    scan.is_flagged = scan.before_shipping or scan.too_many
    scan._state.adding, scan._state.db = False, connection.alias
    trace.scan_count, trace.first_scanned_at, trace.last_scanned_at = count, first, now
    return scan


_SCAN_SQL = """
WITH counted AS (
    UPDATE {codes} SET scan_count = scan_count + 1, last_scanned_at = %(now)s,
                       first_scanned_at = COALESCE(first_scanned_at, %(now)s)
    WHERE id = %(id)s
    RETURNING scan_count, first_scanned_at,
              (shipped_at IS NULL AND disposition = %(active)s) AS before_shipping,
              (scan_count > %(threshold)s) AS too_many
), scan AS (
    INSERT INTO {scans} (trace_code_id, code_text, scanned_at, source, network, user_agent,
                         never_issued, before_shipping, too_many, is_flagged)
    SELECT %(id)s, %(text)s, %(now)s, %(source)s, %(network)s, %(agent)s,
           false, before_shipping, too_many, before_shipping OR too_many FROM counted
    RETURNING id
)
SELECT scan.id, counted.scan_count, counted.first_scanned_at, counted.before_shipping,
       counted.too_many FROM scan, counted"""


def trace_view(trace: TraceCode) -> dict:
    """Everything the public may see about one code, for the page, JSON and GraphQL.
    Households appear only as a masked name and village."""
    run = trace.packing_run
    graded = run.graded_lot
    product = run.variant.product
    producer = product.organization
    # A few queries whatever the history's size: the lots behind the graded lot (with
    # household and base), their inspections, the bases' certifications, the events.
    sources = list(SourcingLot.objects.filter(
        pk__in=GradingInput.objects.filter(record__outputs=graded.pk).values("sourcing_lot_id"))
        .select_related("household", "base").order_by("harvested_on", "pk"))
    latest = latest_inspections([lot.pk for lot in sources])
    try:
        profile = producer.producer_profile  # select_related by find_trace_code
    except ProducerProfile.DoesNotExist:
        profile = None
    certifications = list(Certification.objects.filter(
        base__in=[lot.base_id for lot in sources if lot.base_id]).order_by("kind", "pk"))
    # A recall marks its graded lots recalled (and new runs from them are refused), so an
    # unrecalled lot needs no look-up.
    recall = (Recall.objects.filter(packing_runs=run).order_by("-created_at").first()
              if graded.is_recalled else None)
    events = code_events(trace, sources=[lot.pk for lot in sources])
    today = timezone.localdate()
    return {
        "code": trace.code,
        "url": trace_url(trace.code),
        "product": product.name,
        "variant": run.variant.name,
        "gtin": run.variant.gtin or None,
        "producer": {"name": producer.name, "county": producer.county,
                     "credit_code": profile.credit_code if profile else None},
        "origins": [{
            "lot": lot.lot_number,
            "harvested_on": lot.harvested_on,
            "household": ({"name": lot.household.public_name,
                           "village": lot.household.village} if lot.household else None),
            "base": ({"name": lot.base.name, "location": lot.base.location,
                      "area_mu": lot.base.area_mu} if lot.base else None),
        } for lot in sources],
        "certifications": [{"kind": c.kind, "kind_display": c.get_kind_display(),
                            "number": c.number, "valid_until": c.valid_until,
                            "is_valid": c.valid_until >= today} for c in certifications],
        "inspections": [{
            "lot": lot.lot_number, "lab": latest[lot.pk].lab,
            "result": latest[lot.pk].result,
            "result_display": latest[lot.pk].get_result_display(),
            "inspected_on": latest[lot.pk].inspected_on,
            "report_url": latest[lot.pk].report.url if latest[lot.pk].report else None,
        } for lot in sources if lot.pk in latest],
        "grade": graded.grade.name,
        "grade_criteria": graded.grade.criteria,
        "lot": graded.lot_number,
        "net_weight_kg": run.net_weight_kg,
        "packed_at": run.packed_at,
        "disposition": trace.disposition,
        "disposition_display": trace.get_disposition_display(),
        "scan_count": trace.scan_count,
        "first_scanned_at": trace.first_scanned_at,
        "recall": ({"level": recall.level, "level_display": recall.get_level_display(),
                    "reason": recall.reason, "recalled_at": recall.created_at}
                   if recall else None),
        "journey": [{"step": e.biz_step, "step_display": e.get_biz_step_display(),
                     "time": e.event_time, "where": e.location, "why": e.reason}
                    for e in events],
    }


# The event log (EPCIS 2.0) -----------------------------------------------------------------

def code_events(trace: TraceCode, sources: list[int] | None = None) -> list[TraceEvent]:
    """The journey of one package: its sourcing lots, their inspections and grading, its
    packing run, then events on the code itself. ``sources``: the sourcing lot ids behind
    the run, when the caller has them."""
    run = trace.packing_run
    if sources is None:
        sources = graded_lot_sources([run.graded_lot_id])[run.graded_lot_id]
    return list(TraceEvent.objects.filter(
        Q(trace_code=trace) | Q(packing_run=run) | Q(graded_lot_id=run.graded_lot_id,
                                                     packing_run__isnull=True)
        | Q(sourcing_lot_id__in=sources)).order_by("event_time", "pk"))


def lot_events(*, graded_lot: GradedLot | None = None,
               sourcing_lot: SourcingLot | None = None) -> list[TraceEvent]:
    if graded_lot is not None:
        sources = graded_lot_sources([graded_lot.pk])[graded_lot.pk]
        condition = (Q(graded_lot=graded_lot) | Q(sourcing_lot_id__in=sources)
                     | Q(packing_run__graded_lot=graded_lot))
    else:
        graded_ids = list(GradedLot.objects.filter(
            record__inputs__sourcing_lot=sourcing_lot).values_list("pk", flat=True))
        condition = (Q(sourcing_lot=sourcing_lot) | Q(graded_lot_id__in=graded_ids)
                     | Q(packing_run__graded_lot_id__in=graded_ids))
    return list(TraceEvent.objects.filter(condition).filter(trace_code__isnull=True)
                .select_related("packing_run__variant", "graded_lot", "sourcing_lot")
                .order_by("event_time", "pk"))


def _class_uri(variant, lot_number: str, organization_id: int) -> str:
    if variant is not None and variant.gtin:
        return f"{settings.PUBLIC_URL}/01/{variant.gtin}/10/{lot_number}"
    return f"{settings.PUBLIC_URL}/lots/{organization_id}/{lot_number}"


def epc_uri(trace: TraceCode) -> str:
    """A package's identifier: its GS1 Digital Link when the variant has a GTIN (AI 21 is
    the trace code), else its trace URL."""
    run = trace.packing_run
    if run.variant.gtin:
        return (f"{settings.PUBLIC_URL}/01/{run.variant.gtin}/10/{run.graded_lot.lot_number}"
                f"/21/{trace.code}")
    return trace_url(trace.code)


def epcis_document(events: list[TraceEvent], trace: TraceCode | None = None) -> dict:
    """The events as an EPCIS 2.0 JSON-LD document of ObjectEvents (CBV bizSteps and
    dispositions; quantities of lots in kg, packages of a run as a class quantity)."""
    ns = f"{settings.PUBLIC_URL}/ns/trace#"
    event_list = []
    for e in events:
        item = {
            "type": "ObjectEvent",
            "eventID": f"urn:uuid:{e.event_id}",
            "eventTime": e.event_time.isoformat(),
            "eventTimeZoneOffset": timezone.localtime(e.event_time).strftime("%z")[:3] + ":"
            + timezone.localtime(e.event_time).strftime("%z")[3:],
            "recordTime": e.event_time.isoformat(),
            "action": e.action,
            "bizStep": e.biz_step if e.biz_step != "grading" else "sorting",
        }
        if e.disposition:
            item["disposition"] = e.disposition
        if e.trace_code_id:
            item["epcList"] = [epc_uri(trace) if trace and trace.pk == e.trace_code_id
                               else epc_uri(e.trace_code)]
        elif e.packing_run_id:
            run = e.packing_run
            item["quantityList"] = [{
                "epcClass": _class_uri(run.variant, run.graded_lot.lot_number,
                                       e.organization_id),
                "quantity": e.package_count or run.quantity}]
            if trace is not None and trace.packing_run_id == run.pk:
                item["epcList"] = [epc_uri(trace)]
        elif e.graded_lot_id:
            item["quantityList"] = [{
                "epcClass": _class_uri(None, e.graded_lot.lot_number, e.organization_id),
                "quantity": float(e.quantity_kg or 0), "uom": "KGM"}]
        elif e.sourcing_lot_id:
            item["quantityList"] = [{
                "epcClass": _class_uri(None, e.sourcing_lot.lot_number, e.organization_id),
                "quantity": float(e.quantity_kg or 0) if e.quantity_kg else 0, "uom": "KGM"}]
        if e.location:
            item["bizLocation"] = {"id": f"{ns}location", "pavilion:name": e.location}
        if e.reason:
            item["pavilion:reason"] = e.reason
        item["pavilion:organization"] = f"{settings.PUBLIC_URL}/org/{e.organization_id}"
        event_list.append(item)
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
                     {"pavilion": ns}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {"eventList": event_list},
    }


# Recall ------------------------------------------------------------------------------------

@transaction.atomic
def recall_lot(organization: Organization, *, level: str, reason: str,
               sourcing_lot: SourcingLot | None = None, graded_lot: GradedLot | None = None,
               user=None) -> Recall:
    """Recall a sourcing lot (and everything graded from it) or one graded lot: every code
    from it turns recalled, unsold packages leave stock (through ``shop.services``), new
    packing from it is refused, and the people concerned are told by a Celery task."""
    if (sourcing_lot is None) == (graded_lot is None):
        raise error(None, _("Name exactly one lot to recall."), E.REQUIRED)
    if level not in Recall.Level.values:
        raise error("level", _("Choose a recall level."), E.INVALID)
    reason = clean_text(reason, "reason", max_length=2000)
    lot = sourcing_lot or graded_lot
    _same_org(lot.organization_id, organization, "lot")
    if sourcing_lot is not None:
        graded_ids = sorted(set(GradedLot.objects.filter(
            record__inputs__sourcing_lot=sourcing_lot).values_list("pk", flat=True)))
        if Recall.objects.filter(sourcing_lot=sourcing_lot).exists():
            raise error("lot", _("This lot has already been recalled."), E.ALREADY_RECALLED)
    else:
        graded_ids = [graded_lot.pk]
        if graded_lot.is_recalled:
            raise error("lot", _("This lot has already been recalled."), E.ALREADY_RECALLED)
    graded = list(GradedLot.objects.select_for_update().filter(pk__in=graded_ids).order_by("pk"))
    now = timezone.now()
    recall = Recall.objects.create(organization=organization, sourcing_lot=sourcing_lot,
                                   graded_lot=graded_lot, level=level, reason=reason,
                                   initiated_by=user, created_at=now)
    GradedLot.objects.filter(pk__in=graded_ids).update(is_recalled=True)
    runs = list(PackingRun.objects.filter(graded_lot_id__in=graded_ids)
                .select_related("variant", "warehouse").order_by("pk"))
    recall.packing_runs.set(runs)
    codes = TraceCode.objects.filter(packing_run__in=runs)
    unsold = dict(codes.filter(disposition=Disposition.ACTIVE, shipped_at__isnull=True)
                  .values_list("packing_run_id").annotate(n=Count("pk")))
    recall.affected_codes = codes.exclude(disposition=Disposition.RECALLED).update(
        disposition=Disposition.RECALLED)
    # Unsold packages of the lot stop selling: take them out of stock (never below what is
    # already allocated to orders), through the one stock mechanism, in a stable order.
    per_stock: dict = defaultdict(int)
    for run in runs:
        per_stock[(run.variant, run.warehouse)] += unsold.get(run.pk, 0)
    withdrawn = sum(
        shop_services.withdraw_stock(variant, warehouse, units)
        for (variant, warehouse), units in sorted(per_stock.items(),
                                                  key=lambda i: (i[0][0].pk, i[0][1].pk))
    )
    recall.withdrawn_units = withdrawn
    recall.save(update_fields=["affected_codes", "withdrawn_units"])
    for graded_lot_row in graded:
        _event(organization, BizStep.RECALLING, when=now, user=user, graded_lot=graded_lot_row,
               disposition=Disposition.RECALLED, reason=reason)
    for run in runs:
        _event(organization, BizStep.RECALLING, when=now, user=user, packing_run=run,
               disposition=Disposition.RECALLED, package_count=run.quantity, reason=reason)
    if sourcing_lot is not None:
        _event(organization, BizStep.RECALLING, when=now, user=user, sourcing_lot=sourcing_lot,
               disposition=Disposition.RECALLED, reason=reason)
    from .tasks import notify_recall
    transaction.on_commit(lambda: notify_recall.delay(recall.pk))
    return recall


def recall_affected(recall: Recall) -> dict:
    """What a recall touches: packing runs, codes by disposition, and the orders and buyers
    who received codes from it (when shipped codes are recorded, see ``ship_codes``)."""
    runs = list(recall.packing_runs.order_by("pk"))
    orders = affected_orders(recall)
    return {
        "packing_runs": runs,
        "codes": TraceCode.objects.filter(packing_run__in=runs).count(),
        "orders": orders,
        "buyer_emails": sorted({email for _id, email in orders if email}),
    }


def affected_orders(recall: Recall) -> list[tuple[int, str]]:
    """(order id, buyer e-mail) of orders that shipped codes of the recall's runs. Empty
    until the checkout issue's orders exist and shipped codes are recorded."""
    try:
        from .models import ShippedCode  # noqa: PLC0415 - present once orders exist
    except ImportError:
        return []
    rows = ShippedCode.objects.filter(trace_code__packing_run__recalls=recall).values_list(
        "order_line__order_id", "order_line__order__user_email").distinct()
    return sorted(set(rows))


def notify_recall(recall_id: int) -> int:
    """Tell the buyers of affected orders and the producer's members about a recall, each
    person once (a retry skips those already told, by their ``RecallNotice``), through
    ``shop.notifications``: e-mailed to every address, recorded for those with an account.
    Returns how many were told now."""
    recall = Recall.objects.select_related("organization").get(pk=recall_id)
    recipients = set(recall_affected(recall)["buyer_emails"])
    recipients |= set(recall.organization.members.filter(is_active=True)
                      .values_list("email", flat=True))
    already = set(recall.notices.values_list("email", flat=True))
    accounts = {user.email: user for user in get_user_model().objects.filter(
        email__in=recipients - already, is_active=True)}
    subject = _("Product recall: %(org)s") % {"org": recall.organization.name}
    body = _("A lot has been recalled (%(level)s). Reason: %(reason)s. Scan the code on your "
             "package to see whether it is concerned.") % {
        "level": recall.get_level_display(), "reason": recall.reason}
    told = 0
    for email in sorted(recipients - already):
        with transaction.atomic():
            notice, created = RecallNotice.objects.get_or_create(
                recall=recall, email=email, defaults={"sent_at": timezone.now()})
            if created:
                notifications.notify(accounts.get(email, email), "recall", subject, body,
                                     reference=f"recall:{recall.pk}", email=email)
                told += 1
    Recall.objects.filter(pk=recall.pk).update(notified_at=timezone.now())
    return told


# Flow to the buyer -------------------------------------------------------------------------
#
# Codes travel with the order in two steps: ``ship_codes`` records the packages that went
# out on a shipped line (codes turn in_transit; ``fulfill_with_codes`` ships lines and
# records their codes in one transaction), and when shop marks the order delivered its
# ``order_delivered`` signal (connected in ``apps.py``) turns them retail_sold.

@transaction.atomic
def ship_codes(order_line, codes: list[str], *, user=None):
    """Record the packages (by their scanned or assigned codes) that went out on an order
    line: each code must be an unshipped, unrecalled package of the line's variant, and a
    line gets no more codes than it has shipped units. Codes turn ``in_transit`` (or
    ``retail_sold`` straight away when the order was already delivered).

    Locks the order, then the line, then the codes (primary-key order), as shop's
    fulfilment and delivery do, so concurrent calls cannot give a line too many codes."""
    from .models import ShippedCode

    order = Order.objects.select_for_update().get(pk=order_line.order_id)
    order_line = OrderLine.objects.select_for_update().get(pk=order_line.pk)
    wanted = []
    for text in codes:
        code = normalise_code(text)
        if code is None:
            raise error("codes", _("%(code)s is not a trace code.") % {"code": text}, E.INVALID)
        if code not in wanted:
            wanted.append(code)
    if not wanted:
        raise error("codes", _("Give at least one trace code."), E.REQUIRED)
    if not order_line.quantity_fulfilled:
        raise error("codes", _("Ship this line first; codes are recorded for shipped items."),
                    E.INVALID)
    rows = {t.code: t for t in TraceCode.objects.select_for_update(of=("self",))
            .filter(code__in=wanted).select_related("packing_run").order_by("pk")}
    for code in wanted:
        trace = rows.get(code)
        if trace is None:
            raise error("codes", _("%(code)s was never issued.") % {"code": code}, E.NOT_FOUND)
        if trace.packing_run.variant_id != order_line.variant_id:
            raise error("codes", _("%(code)s is not a package of this line's product.")
                        % {"code": code}, E.INVALID)
        if trace.disposition != Disposition.ACTIVE or trace.shipped_at is not None:
            raise error("codes", _("%(code)s has already been shipped or recalled.")
                        % {"code": code}, E.INVALID)
    already = ShippedCode.objects.filter(order_line=order_line).count()
    if already + len(wanted) > order_line.quantity_fulfilled:
        raise error("codes", _("%(n)s items of this line have shipped; %(m)s codes would be "
                               "too many.")
                    % {"n": order_line.quantity_fulfilled, "m": already + len(wanted)},
                    E.INSUFFICIENT_QUANTITY)
    now = timezone.now()
    traces = [rows[c] for c in wanted]
    ShippedCode.objects.bulk_create(
        ShippedCode(trace_code=t, order_line=order_line, shipped_at=now, shipped_by=user)
        for t in traces)
    TraceCode.objects.filter(pk__in=[t.pk for t in traces]).update(
        disposition=Disposition.IN_TRANSIT, shipped_at=now)
    reason = _("Shipped on order %(n)s") % {"n": order.number}
    TraceEvent.objects.bulk_create(
        TraceEvent(organization_id=t.packing_run.organization_id, biz_step=BizStep.SHIPPING,
                   event_time=now, actor=user, trace_code=t, disposition=Disposition.IN_TRANSIT,
                   action=TraceEvent.Action.OBSERVE, reason=reason)
        for t in traces)
    if order.status == Order.Status.DELIVERED:
        mark_codes_sold(order, user=user)
    return list(ShippedCode.objects.filter(order_line=order_line).select_related("trace_code"))


@transaction.atomic
def fulfill_with_codes(order, organization: Organization, lines: list[dict], *,
                       carrier: str, tracking_number: str, user=None):
    """Ship a seller's lines and record the packages that went out, in one transaction:
    ``lines`` is ``[{"order_line_id", "codes": [...], "quantity"}]`` where ``quantity``
    defaults to the number of codes. A wrong code, or more codes than units shipped now,
    refuses the whole shipment (no fulfilment, no stock moved, no code changed).
    Returns ``(fulfillment, shipped_codes)``."""
    items = []
    for line in lines:
        codes = list(line.get("codes") or [])
        quantity = line.get("quantity")
        if quantity is None:
            if not codes:
                raise error("quantity", _("Say how many items of the line are shipped, or "
                                          "give their trace codes."), E.REQUIRED)
            quantity = len({(c or "").strip().upper() for c in codes})
        distinct = len({(c or "").strip().upper() for c in codes})
        if distinct > quantity:
            raise error("codes", _("%(n)s items of this line are shipped now; %(m)s codes "
                                   "would be too many.")
                        % {"n": quantity, "m": distinct}, E.INSUFFICIENT_QUANTITY)
        items.append((line["order_line_id"], quantity, codes))
    fulfillment = shop_services.fulfill_order_lines(
        order, organization, [{"order_line_id": pk, "quantity": q} for pk, q, _c in items],
        carrier=carrier, tracking_number=tracking_number, user=user)
    shipped = []
    lines_by_pk = {line.pk: line for line in OrderLine.objects.filter(
        pk__in=[pk for pk, _q, codes in items if codes])}
    for pk, _quantity, codes in items:
        if codes:
            shipped.extend(ship_codes(lines_by_pk[pk], codes, user=user))
    return fulfillment, shipped


def mark_codes_sold(order, *, user=None) -> int:
    """A delivered order's packages are sold: its shipped codes still in transit turn
    ``retail_sold``, each with a retail_selling event (recalled codes stay recalled).
    Runs inside the caller's transaction; returns how many codes turned sold."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    rows = list(TraceCode.objects.select_for_update(of=("self",))
                .filter(shipment__order_line__order=order, disposition=Disposition.IN_TRANSIT)
                .order_by("pk").values_list("pk", "packing_run__organization_id"))
    if not rows:
        return 0
    now = timezone.now()
    TraceCode.objects.filter(pk__in=[pk for pk, _org in rows]).update(
        disposition=Disposition.RETAIL_SOLD)
    reason = _("Delivered to the buyer")
    TraceEvent.objects.bulk_create(
        TraceEvent(organization_id=org_id, biz_step=BizStep.RETAIL_SELLING, event_time=now,
                   actor=user, trace_code_id=pk, disposition=Disposition.RETAIL_SOLD,
                   action=TraceEvent.Action.OBSERVE, reason=reason)
        for pk, org_id in rows)
    return len(rows)


def codes_sold_on_delivery(sender, order, user=None, **kwargs) -> None:
    """Receiver of ``shop.signals.order_delivered`` (connected in ``apps.py``)."""
    mark_codes_sold(order, user=user)
