"""Label quotas: the brand-labelled trace codes booked against a licence's annual quota
(the supply chain's packing runs call ``consume_label_quota``), and the licensee's annual
usage report (品牌应用销售记录), due by 31 March of the next year: a licence whose report
is overdue issues no brand labels until it is in."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from shop.errors import field_error
from shop.models import Organization

from ..error_codes import BrandErrorCode as E
from ..models import LabelUse, Licence, UsageReport
from .common import LEvent, clean_count, clean_decimal, lic_event, lock_licence, require_member
from .coverage import covering_licence_for_update

# The month and day of the next year by which a year's usage report is due.
REPORT_DUE = (3, 31)


def report_due_on(year: int) -> date:
    return date(year + 1, *REPORT_DUE)


def overdue_years(licence: Licence, reported, today: date | None = None) -> list[int]:
    """The years of ``licence`` whose report is past its due date and not among the
    ``reported`` years."""
    today = today or timezone.localdate()
    return [y for y in range(licence.valid_from.year, today.year)
            if report_due_on(y) < today and y not in reported]


def overdue_reports(licence: Licence, today: date | None = None) -> list[int]:
    """The years of ``licence`` whose usage report is past its due date and not in."""
    return overdue_years(licence, set(UsageReport.objects.filter(licence=licence)
                                      .values_list("year", flat=True)), today)


def labels_issued(licence_id: int, year: int) -> int:
    return LabelUse.objects.filter(licence_id=licence_id, year=year).aggregate(
        n=Sum("count"))["n"] or 0


def label_usage(licence: Licence, year: int | None = None) -> dict:
    year = year or timezone.localdate().year
    used = labels_issued(licence.pk, year)
    return {"year": year, "quota": licence.annual_label_quota, "used": used,
            "remaining": max(licence.annual_label_quota - used, 0)}


@transaction.atomic
def consume_label_quota(organization: Organization, product: Product, count: int, *,
                        reference: str, user=None) -> LabelUse:
    """Book ``count`` brand-labelled codes for ``product`` against ``organization``'s
    licence in force (its row locked), within this year's remaining quota. Idempotent per
    ``reference`` (e.g. ``packing-run:42``): the same reference returns the first booking.
    Call it inside the transaction that issues the codes, so both happen or neither."""
    existing = LabelUse.objects.filter(reference=reference).select_related("licence").first()
    if existing is not None:
        return existing
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        raise field_error("quantity", _("Issue at least one brand label."), E.INVALID)
    if product.organization_id != organization.pk:
        raise field_error("product", _("%(product)s is not your organisation's product.")
                          % {"product": product.name}, E.PRODUCT_NOT_OWNED)
    in_force, locked = covering_licence_for_update(organization, product)
    if not in_force:
        if locked:
            latest = max(locked, key=lambda lic: (lic.valid_until, lic.pk))
            status = (latest.get_status_display() if latest.status != Licence.Status.ACTIVE
                      else _("Expired"))
            raise field_error("brand_labelled", _("Licence %(number)s is %(status)s: brand labels "
                                                   "cannot be issued.")
                              % {"number": latest.number, "status": status}, E.NOT_LICENSED)
        raise field_error("brand_labelled",
                          _("%(org)s holds no brand licence covering %(product)s.")
                          % {"org": organization.name, "product": product.name}, E.NOT_LICENSED)
    today = timezone.localdate()
    reporting = [c for c in in_force if not overdue_reports(c, today)]
    if not reporting:
        late = overdue_reports(in_force[0], today)[0]
        raise field_error("brand_labelled", _("Licence %(number)s has not reported its brand "
                                              "use of %(year)s, due by %(due)s: brand labels "
                                              "are issued again once the report is in.")
                          % {"number": in_force[0].number, "year": late,
                             "due": report_due_on(late).isoformat()}, E.USAGE_REPORT_MISSING)
    year = today.year
    licence = None
    for candidate in reporting:
        if labels_issued(candidate.pk, year) + count <= candidate.annual_label_quota:
            licence = candidate
            break
    if licence is None:
        candidate = reporting[0]
        left = max(candidate.annual_label_quota - labels_issued(candidate.pk, year), 0)
        raise field_error("quantity", _("Licence %(number)s has %(left)s brand labels left for "
                                        "%(year)s; %(count)s were asked for.")
                          % {"number": candidate.number, "left": left, "year": year,
                             "count": count},
                          E.QUOTA_EXCEEDED)
    try:
        with transaction.atomic():
            use = LabelUse.objects.create(licence=licence, product=product, year=year,
                                          count=count, reference=reference, created_by=user)
    except IntegrityError:  # the same reference booked concurrently
        return LabelUse.objects.get(reference=reference)
    lic_event(licence, LEvent.LABELS_ISSUED, user, "", count=count, reference=reference,
              year=year)
    return use


@transaction.atomic
def submit_usage_report(licence: Licence, user, *, year: int, volume_sold_kg,
                        sales_amount, codes_used: int, note: str = "") -> UsageReport:
    """The licensee's annual report: volume sold under the brand, sales, labels used."""
    licence = lock_licence(licence)
    require_member(user, licence.licensee_id)
    today = timezone.localdate()
    if not isinstance(year, int) or not licence.valid_from.year <= year <= today.year:
        raise field_error("year", _("Report a year of the licence, up to this year."), E.INVALID)
    if UsageReport.objects.filter(licence=licence, year=year).exists():
        raise field_error("year", _("The report for %(year)s has already been submitted.")
                          % {"year": year}, E.UNIQUE)
    codes_used = clean_count(codes_used, "codes_used")
    issued = labels_issued(licence.pk, year)
    if codes_used > issued:
        raise field_error("codes_used", _("Only %(issued)s brand labels were issued under this "
                                          "licence in %(year)s.")
                          % {"issued": issued, "year": year}, E.INVALID)
    report = UsageReport.objects.create(
        licence=licence, year=year, volume_sold_kg=clean_decimal(volume_sold_kg,
                                                                 "volume_sold_kg"),
        sales_amount=clean_decimal(sales_amount, "sales_amount", "0.01"),
        codes_used=codes_used, note=(note or "").strip(), submitted_by=user)
    lic_event(licence, LEvent.USAGE_REPORTED, user, "", year=year, report=report.pk)
    return report
