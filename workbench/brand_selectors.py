"""Read-only queries of the brand pages (the licensee's and the authority's), each one a
fixed number of SQL queries whatever the length of its list: relations are joined or
prefetched, label use is summed in the database."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brand import services as brand_services
from brand.models import (
    ApplicationEvent,
    ApplicationQuestion,
    LabelUse,
    Licence,
    LicenceApplication,
    LicenceEvent,
    Objection,
    PublicNotice,
    RegionalBrand,
    UsageReport,
)
from catalog.models import Product
from shop.models import Notification
from supplychain.models import Inspection

Status = LicenceApplication.Status
# What the authority still has to act on, in the order of the review.
OPEN_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.ONSITE_CHECK,
                 Status.PUBLIC_NOTICE)
# The home page warns of a licence that has used this share of its year's labels, and of a
# public notice ending within this time.
QUOTA_ALMOST_USED = 0.9
NOTICE_ENDING = timedelta(days=2)


def _labels_used(year: int):
    """This year's brand labels booked against the licence, as a subquery."""
    used = (LabelUse.objects.filter(licence=OuterRef("pk"), year=year).order_by()
            .values("licence").annotate(n=Sum("count")).values("n"))
    return Coalesce(Subquery(used, output_field=IntegerField()), Value(0))


def _scope_prefetch():
    return ("categories", Prefetch("products", queryset=Product.objects.only("pk", "name")))


def brands_open_for_applications():
    return list(RegionalBrand.objects.filter(is_active=True).select_related("authority")
                .prefetch_related("category_standards__category").order_by("name", "pk"))


def applications_of(organization):
    return list(LicenceApplication.objects.filter(applicant=organization)
                .select_related("brand").order_by("-created_at", "-pk"))


def licences_of(organization, year: int | None = None):
    year = year or timezone.localdate().year
    licences = list(Licence.objects.filter(licensee=organization).select_related("brand")
                    .prefetch_related(*_scope_prefetch())
                    .annotate(labels_used=_labels_used(year))
                    .order_by("-valid_until", "-pk"))
    return _with_usage(licences, year)


def _with_usage(licences, year):
    today = timezone.localdate()
    for licence in licences:
        licence.year = year
        licence.labels_left = max(licence.annual_label_quota - licence.labels_used, 0)
        licence.used_percent = (min(100, round(100 * licence.labels_used
                                               / licence.annual_label_quota))
                                if licence.annual_label_quota else 0)
        licence.in_force = licence.is_in_force(today)
        licence.days_left = (licence.valid_until - today).days
        licence.scope = "、".join([c.name for c in licence.categories.all()]
                                 + [p.name for p in licence.products.all()])
    return licences


def _application_query():
    return (LicenceApplication.objects.select_related("brand", "brand__authority", "applicant")
            .prefetch_related(
                *_scope_prefetch(),
                Prefetch("documents"),
                Prefetch("events", queryset=ApplicationEvent.objects.select_related("user")),
                Prefetch("questions", queryset=ApplicationQuestion.objects.select_related(
                    "asked_by", "answered_by", "withdrawn_by", "document")),
                Prefetch("notices", queryset=PublicNotice.objects.annotate(
                    objection_count=Count("objections"),
                    open_objections=Count("objections",
                                          filter=Q(objections__status=Objection.Status.OPEN)))
                         .order_by("-starts_at")),
            ))


def _decorate_application(application):
    application.scope = "、".join([c.name for c in application.categories.all()]
                                 + [p.name for p in application.products.all()])
    notices = list(application.notices.all())
    application.notice = notices[0] if notices else None
    if application.notice is not None:
        application.notice.is_open = application.notice.is_open_for_objections()
    authority_ids = {application.brand.authority_id}
    # The authority's words to the applicant: what it asked, planned or decided, with why.
    application.requests = [e for e in application.events.all()
                            if e.message and e.type in (
                                ApplicationEvent.Type.REVIEW_STARTED,
                                ApplicationEvent.Type.ONSITE_CHECK,
                                ApplicationEvent.Type.APPROVED,
                                ApplicationEvent.Type.REJECTED,
                                ApplicationEvent.Type.OBJECTION_RESOLVED)]
    application.authority_ids = authority_ids
    application.thread = list(application.questions.all())
    application.open_questions = [q for q in application.thread if q.is_open]
    return application


def application_of(organization, pk):
    """The organisation's own application, or ``None`` (another's is not found)."""
    application = _application_query().filter(applicant=organization, pk=pk).first()
    return _decorate_application(application) if application else None


def application_for_review(authority, pk):
    """An application sent to a brand of ``authority``, or ``None`` (a draft is its
    applicant's alone, as in the API)."""
    application = (_application_query().filter(brand__authority=authority, pk=pk)
                   .exclude(status=Status.DRAFT).first())
    return _decorate_application(application) if application else None


def review_queue(authority, status: str = ""):
    """Applications to the authority's brands still to be acted on (or of ``status``)."""
    applications = (LicenceApplication.objects.filter(brand__authority=authority)
                    .exclude(status=Status.DRAFT).select_related("brand", "applicant")
                    .annotate(document_count=Count("documents", distinct=True),
                              open_questions=Count("questions", distinct=True,
                                                   filter=Q(questions__answered_at__isnull=True,
                                                            questions__withdrawn_at__isnull=True)))
                    .order_by("submitted_at", "pk"))
    if status in Status.values:
        applications = applications.filter(status=status)
    else:
        applications = applications.filter(status__in=OPEN_STATUSES)
    return list(applications)


def queue_counts(authority) -> dict[str, int]:
    rows = (LicenceApplication.objects.filter(brand__authority=authority,
                                              status__in=OPEN_STATUSES)
            .values("status").annotate(n=Count("pk")).order_by())
    return {row["status"]: row["n"] for row in rows}


def objections_of(application):
    """Objections lodged against the application's public notices, oldest first."""
    return list(Objection.objects.filter(notice__application=application)
                .select_related("notice").order_by("lodged_at", "pk"))


def inspection_history(application, limit: int = 20):
    """The applicant's latest inspections of the products (or categories) applied for."""
    product_ids = [p.pk for p in application.products.all()]
    category_ids = [c.pk for c in application.categories.all()]
    scope = Q(sourcing_lot__product_id__in=product_ids)
    if category_ids:
        scope |= Q(sourcing_lot__product__category_id__in=category_ids) | Q(
            sourcing_lot__product__category__parent_id__in=category_ids)
    return list(Inspection.objects.filter(scope, sourcing_lot__organization=application.applicant)
                .select_related("sourcing_lot", "sourcing_lot__product")
                .order_by("-inspected_on", "-pk")[:limit])


def register_of(authority, status: str = "", year: int | None = None):
    """The authority's register of licensees: every licence of its brands, soonest
    expiring first, with this year's label use and whether renewal was asked for."""
    year = year or timezone.localdate().year
    licences = (Licence.objects.filter(brand__authority=authority)
                .select_related("brand", "licensee")
                .prefetch_related(*_scope_prefetch())
                .annotate(labels_used=_labels_used(year),
                          violation_count=Count("violations", distinct=True))
                .order_by("valid_until", "pk"))
    if status in Licence.Status.values:
        licences = licences.filter(status=status)
    licences = _with_usage(list(licences), year)
    asked = renewal_requests(authority)
    for licence in licences:
        licence.renewal_requested = licence.number in asked
    return licences


def renewal_requests(authority) -> set[str]:
    """Numbers of licences whose holders asked the authority for a renewal (unread)."""
    references = (Notification.objects.filter(organization=authority,
                                              kind=brand_services.RENEWAL_REQUESTED,
                                              read_at__isnull=True)
                  .values_list("reference", flat=True))
    return {ref.removeprefix("licence:") for ref in references}


def licence_of(organization, pk):
    """The organisation's own licence with its usage, reports, label use and history."""
    return _licence(Licence.objects.filter(licensee=organization, pk=pk))


def licence_for_authority(authority, pk):
    return _licence(Licence.objects.filter(brand__authority=authority, pk=pk))


def _licence(queryset):
    year = timezone.localdate().year
    licence = (queryset.select_related("brand", "brand__authority", "licensee", "application")
               .prefetch_related(
                   *_scope_prefetch(), "usage_reports",
                   Prefetch("label_uses", queryset=LabelUse.objects.select_related("product")),
                   Prefetch("events", queryset=LicenceEvent.objects.select_related("user")
                            .order_by("-date", "-pk")),
                   Prefetch("violations"))
               .annotate(labels_used=_labels_used(year)).first())
    if licence is None:
        return None
    # The usage reports past their due date and not in: the reason brand labels stopped.
    reported = {r.year for r in licence.usage_reports.all()}
    licence.overdue_reports = [{"year": y, "due": brand_services.report_due_on(y)}
                               for y in brand_services.overdue_years(licence, reported)]
    return _with_usage([licence], year)[0]


# What to do next, on the workbench home ------------------------------------------------

def licensee_todo(organization, today=None) -> list[dict]:
    """The licensee's next jobs, each a sentence and the page where it is done: questions
    of the authority awaiting an answer, licences ending soon, last year's usage report
    due, this year's labels almost used up. Two queries whatever the number of records."""
    today = today or timezone.localdate()
    todo = []
    waiting = list(ApplicationQuestion.objects.filter(
        application__applicant=organization, answered_at__isnull=True, withdrawn_at__isnull=True,
        application__status__in=brand_services.QUESTION_STATUSES)
        .values_list("application_id", flat=True).order_by("application_id"))
    if waiting:
        url = (reverse("workbench:brand-application", args=[waiting[0]]) + "#questions"
               if len(set(waiting)) == 1 else reverse("workbench:brand"))
        todo.append({"level": "warn", "url": url, "text": ngettext(
            "The brand authority asked a question about your application: answer it.",
            "The brand authority asked %(n)s questions about your applications: answer them.",
            len(waiting)) % {"n": len(waiting)}})
    last_year = today.year - 1
    reported = UsageReport.objects.filter(licence=OuterRef("pk"), year=last_year)
    licences = (Licence.objects.filter(licensee=organization)
                .exclude(status=Licence.Status.REVOKED)
                .annotate(labels_used=_labels_used(today.year),
                          reported_last_year=Exists(reported))
                .order_by("valid_until", "pk"))
    for licence in licences:
        url = reverse("workbench:brand-licence", args=[licence.pk])
        days_left = (licence.valid_until - today).days
        if licence.status == Licence.Status.EXPIRED or days_left < 0:
            todo.append({"level": "bad", "url": url + "#renewal", "text": _(
                "Licence %(number)s has expired: ask the authority to renew it.")
                % {"number": licence.number}})
        elif days_left <= brand_services.RENEWAL_WINDOW_DAYS:
            todo.append({"level": "warn", "url": url + "#renewal", "text": _(
                "Licence %(number)s ends on %(date)s: ask for a renewal.")
                % {"number": licence.number, "date": licence.valid_until.isoformat()}})
        if (licence.valid_from.year <= last_year <= licence.valid_until.year
                and not licence.reported_last_year):
            todo.append({"url": f"{url}?year={last_year}#usage-report", "text": _(
                "Submit the %(year)s usage report of licence %(number)s.")
                % {"year": last_year, "number": licence.number}})
        quota = licence.annual_label_quota
        if (licence.status == Licence.Status.ACTIVE and quota
                and licence.labels_used >= quota * QUOTA_ALMOST_USED):
            todo.append({"level": "warn", "url": url, "text": _(
                "Licence %(number)s has used %(used)s of its %(quota)s labels this year.")
                % {"number": licence.number, "used": licence.labels_used, "quota": quota}})
    return todo


def authority_todo(authority, now=None) -> list[dict]:
    """The authority's next jobs: applications to review, public notices ending (or ended,
    to be granted) and objections to answer, each linking to the page where it is done.
    Three queries whatever the number of records."""
    now = now or timezone.now()
    todo = []
    counts = queue_counts(authority)
    to_review = sum(counts.get(s, 0) for s in (Status.SUBMITTED, Status.UNDER_REVIEW,
                                                Status.ONSITE_CHECK))
    if to_review:
        todo.append({"level": "warn", "url": reverse("workbench:brand-review"), "text": ngettext(
            "%(n)s application to review.", "%(n)s applications to review.", to_review)
            % {"n": to_review}})
    ending = list(PublicNotice.objects.filter(
        brand__authority=authority, kind=PublicNotice.Kind.GRANT,
        status=PublicNotice.Status.OPEN, ends_at__lte=now + NOTICE_ENDING,
        application__status=Status.PUBLIC_NOTICE)
        .values_list("application_id", "ends_at").order_by("ends_at", "pk"))
    ended = [app for app, ends_at in ending if ends_at <= now]
    if ended:
        todo.append({"level": "warn", "url": _review_url(ended), "text": ngettext(
            "%(n)s public notice has ended: grant the licence.",
            "%(n)s public notices have ended: grant the licences.", len(ended))
            % {"n": len(ended)}})
    soon = [app for app, ends_at in ending if ends_at > now]
    if soon:
        todo.append({"url": _review_url(soon), "text": ngettext(
            "%(n)s public notice ends within two days.",
            "%(n)s public notices end within two days.", len(soon)) % {"n": len(soon)}})
    objections = list(Objection.objects.filter(
        notice__brand__authority=authority, status=Objection.Status.OPEN,
        notice__application__isnull=False)
        .values_list("notice__application_id", flat=True).order_by("lodged_at", "pk"))
    if objections:
        todo.append({"level": "bad", "url": _review_url(objections), "text": ngettext(
            "%(n)s objection to answer.", "%(n)s objections to answer.", len(objections))
            % {"n": len(objections)}})
    return todo


def _review_url(application_ids) -> str:
    """The application's review page when there is one, else the notices' tab of the queue."""
    if len(set(application_ids)) == 1:
        return reverse("workbench:brand-review-detail", args=[application_ids[0]])
    return f"{reverse('workbench:brand-review')}?status={Status.PUBLIC_NOTICE}"
