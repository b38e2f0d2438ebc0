"""The county's pages: the big-data screen (and the JSON it refreshes from), the printable
report and its XLSX, prepared reports, and the sales detail lists. Every page checks who
is asking through ``services.resolve_scope`` (officials: their county; operators: any)."""

from __future__ import annotations

import json
from datetime import date
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from livestream.models import Broadcast
from shop.models import Organization

from . import services
from .models import Report
from .screen import screen_payload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_kinds():
    return [("day", _("Day")), ("week", _("Week")), ("month", _("Month")), ("year", _("Year"))]


def signed_in(view):
    """Anonymous visitors go to the shared sign-in page and come back."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()}, safe="/")
            return redirect(f"{reverse('storefront:sign-in')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("Dates are written YYYY-MM-DD."), code="invalid") from exc


def _request_period(request) -> services.Period:
    kind = request.GET.get("period") or "month"
    if kind not in services.KINDS:
        raise ValidationError(_("Unknown period: %(kind)s") % {"kind": kind}, code="invalid")
    return services.make_period(kind, _date(request.GET.get("date")),
                                _date(request.GET.get("from")), _date(request.GET.get("to")))


def _scope(request):
    """(county or None for all, period) for the request."""
    pavilion = services.resolve_scope(request.user, request.GET.get("county"))
    return pavilion, _request_period(request)


def _bad_request(request, exc: ValidationError):
    """A period or date the page cannot read: said in words, with the way back to this
    month's report (a phone's date field or a hand-edited link can send one)."""
    return render(request, "statistics/bad_request.html", {"message": " ".join(exc.messages)},
                  status=400)


def scoped(view):
    """A signed-in page of one county's (or, for operators, all counties') figures over the
    period the query names: the view is called with (request, pavilion, period); a bad
    period or county is a 400 naming the mistake."""

    @signed_in
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            pavilion, period = _scope(request)
        except ValidationError as exc:
            return _bad_request(request, exc)
        return view(request, pavilion, period, *args, **kwargs)

    return wrapped


@never_cache
@scoped
def screen(request, pavilion, period):
    query = request.GET.copy()
    return render(request, "statistics/screen.html", {
        "pavilion": pavilion, "period": period,
        "pavilions": services.visible_pavilions(request.user),
        "can_switch": services.is_operator(request.user),
        "data_url": f"{reverse('statistics:screen-data')}?{query.urlencode()}",
        "query": query.urlencode(),
        "refresh_seconds": settings.STATISTICS_SCREEN_REFRESH_SECONDS,
        "labels": {"vsPrevious": _("vs previous period"), "sales": _("Sales (CNY)"),
                   "orders": _("Orders"), "buyers": _("Buyers"), "scans": _("Scans"),
                   "more": _("More"), "less": _("Less"),
                   "weeklyRule": _("One a week"),
                   "unavailable": _("Data temporarily unavailable")},
        "kinds": [("day", _("Today")), ("week", _("This week")), ("month", _("This month")),
                  ("year", _("This year"))],
    })


@never_cache
def screen_data(request):
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in first.")}, status=401)
    try:
        pavilion, period = _scope(request)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    key, stats = services.cached_county_statistics(pavilion, period)
    body = cache.get(f"{key}:screen")
    if body is None:
        body = json.dumps(screen_payload(stats), cls=DjangoJSONEncoder, ensure_ascii=False)
        cache.set(f"{key}:screen", body, settings.STATISTICS_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json")


@scoped
def report(request, pavilion, period):
    _key, stats = services.cached_county_statistics(pavilion, period)
    prepared = Report.objects.filter(pavilion=pavilion).order_by("-start", "kind")[:24]
    rows = services.summary_rows(stats)
    titles = {"sales": _("E-commerce sales"), "market": _("Market entities"),
              "brand": _("Enterprise brands"), "products": _("Specialty products"),
              "logistics": _("Logistics"), "livestream": _("Live selling"),
              "poverty": _("Poverty alleviation")}
    return render(request, "statistics/report.html", {
        "stats": stats, "sections": [(titles[key], rows[key]) for key in titles],
        "period_kinds": period_kinds(), "pavilion": pavilion,
        "period": period, "prepared": prepared,
        "pavilions": services.visible_pavilions(request.user),
        "can_switch": services.is_operator(request.user),
        "xlsx_url": f"{reverse('statistics:report-xlsx')}?{request.GET.urlencode()}",
        "screen_url": f"{reverse('statistics:screen')}?{request.GET.urlencode()}",
        "organizations": services.organizations_with_sales(pavilion, period),
    })


@scoped
def report_xlsx(request, pavilion, period):
    return _xlsx(services.build_report_xlsx(pavilion, period),
                 services.report_filename(pavilion, period))


@signed_in
def prepared_report(request, pk):
    report = get_object_or_404(Report, pk=pk)
    own = services.resolve_scope(request.user, report.pavilion.slug if report.pavilion
                                 else None)
    if own != report.pavilion:
        raise PermissionDenied(_("You may only see the figures of your own county."))
    return FileResponse(report.file.open("rb"), as_attachment=True,
                        filename=report.file.name.rsplit("/", 1)[-1], content_type=XLSX)


def _may_see_organization(user, organization: Organization) -> bool:
    if services.is_operator(user):
        return True
    if organization.pk in user.organization_ids():
        return True
    county = services.official_pavilion(user)
    return county is not None and county.county == organization.county


@signed_in
def organization_sales_detail(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    if not _may_see_organization(request.user, organization):
        raise PermissionDenied(_("You may not see this organisation's sales."))
    try:
        period = _request_period(request)
    except ValidationError as exc:
        return _bad_request(request, exc)
    rows = services.organization_detail(organization, period)
    title = _("Sales detail of %(name)s, %(period)s") % {"name": organization.name,
                                                         "period": period.label()}
    return _detail(request, title, rows, f"sales-{organization.slug}-{period.label()}.xlsx")


@signed_in
def broadcast_sales_detail(request, pk):
    broadcast = get_object_or_404(Broadcast.objects.select_related("host"), pk=pk)
    allowed = services.is_operator(request.user)
    if not allowed:
        county = services.official_pavilion(request.user)
        allowed = county is not None and county.pk in set(
            broadcast.lineup.values_list("variant__product__pavilion", flat=True))
    if not allowed:
        raise PermissionDenied(_("You may not see this broadcast's sales."))
    rows = services.broadcast_detail(broadcast)
    title = _("Sales detail of the broadcast %(title)s") % {"title": broadcast.title}
    return _detail(request, title, rows, f"sales-broadcast-{broadcast.pk}.xlsx")


def _detail(request, title: str, rows, filename: str) -> HttpResponse:
    """A sales detail list as a page, or with ``?format=xlsx`` as the spreadsheet."""
    if request.GET.get("format") == "xlsx":
        return _xlsx(services.detail_xlsx(title, rows), filename)
    back = request.GET.copy()
    back.pop("format", None)
    return render(request, "statistics/detail.html", {
        "title": title, "rows": rows, "totals": services.detail_totals(rows),
        "xlsx_url": f"?{_with(request, format='xlsx')}",
        # Back to the report of the same period (a detail list is opened from it).
        "report_url": f"{reverse('statistics:report')}?{back.urlencode()}"})


def _with(request, **params) -> str:
    query = request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
