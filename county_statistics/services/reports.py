"""Reports a county files upward: the indicators of a month or a year as an XLSX workbook
(one sheet per indicator group, Chinese headers, totals) and the sales detail lists
(销售明细清单) per enterprise and per broadcast that prove the sales."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from catalog.models import Pavilion
from livestream.models import Broadcast
from shop.models import Order, OrderLine, Organization
from shop.money import money

from ..models import Report
from .indicators import county_statistics
from .periods import Period, add_months, make_period, period_containing
from .rollups import local_midnight

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TOTAL_FONT = Font(bold=True)


def _share(value) -> str:
    return "" if value is None else f"{Decimal(value) * 100:.1f}%"


def _change(fig: dict) -> str:
    return _share(fig["change"])


def _sheet(workbook, title, headers, rows, totals=None, widths=None):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append(list(row))
    if totals is not None:
        sheet.append(list(totals))
        for cell in sheet[sheet.max_row]:
            cell.font = TOTAL_FONT
    for index, header in enumerate(headers, start=1):
        width = (widths or {}).get(index) or max(12, len(str(header)) * 2 + 4)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _figure_rows(pairs):
    return [[label, fig["value"], fig["previous"], _change(fig)] for label, fig in pairs]


def summary_rows(stats: dict) -> dict[str, list]:
    """The report's figures as labelled rows per indicator group (also the printable
    page's tables)."""
    s, m, b, p, lg, lv, pv = (stats["sales"], stats["market"], stats["brand"],
                              stats["products"], stats["logistics"], stats["livestream"],
                              stats["poverty"])
    return {
        "sales": _figure_rows([
            (_("Online retail sales (CNY)"), s["gmv"]), (_("Paid orders"), s["orders"]),
            (_("Units sold"), s["units"]), (_("Average order value (CNY)"),
                                            s["average_order_value"]),
            (_("Refunded (CNY)"), s["refunded_amount"]),
            (_("Refunded orders"), s["refunded_orders"])]),
        "market": _figure_rows([
            (_("New cooperatives and enterprises"), m["new_organizations"]),
            (_("New households"), m["new_households"]),
            (_("Sellers with sales"), m["active_sellers"]),
            (_("Households supplying"), m["active_households"])]),
        "brand": _figure_rows([
            (_("Licences granted"), b["granted"]), (_("Licences suspended"), b["suspended"]),
            (_("Licences revoked"), b["revoked"]), (_("Brand labels used"), b["labels_used"]),
            (_("Violations"), b["violations"])]),
        "products": _figure_rows([
            (_("Codes issued"), p["codes_issued"]), (_("Codes shipped"), p["codes_shipped"]),
            (_("Scans"), p["scans"]), (_("First scans"), p["first_scans"]),
            (_("Suspicious scans"), p["flagged_scans"])]),
        "logistics": _figure_rows([
            (_("Orders shipped"), lg["shipped"]),
            (_("Delivered"), lg["delivered"])]),
        "poverty": _figure_rows([
            (_("Paid to households (CNY)"), pv["paid_to_households"]),
            (_("Paid to registered poor households (CNY)"),
             pv["paid_to_poverty_households"])]),
        "livestream": [[_("Broadcasts held"), lv["broadcasts"], "", ""],
                       [_("Active hosts"), lv["active_hosts"], "", ""]],
    }


def build_report_xlsx(pavilion: Pavilion | None, period: Period) -> bytes:
    with translation.override("zh-hans"):
        stats = county_statistics(pavilion, period)
        rows = summary_rows(stats)
        workbook = Workbook()
        cover = workbook.active
        cover.title = _("Summary")
        cover.append([_("County statistics report")])
        cover["A1"].font = Font(bold=True, size=16)
        cover.append([_("Reporting county"), pavilion.county if pavilion else _("All counties")])
        cover.append([_("Reporting period"), stats["period"]["label"]])
        cover.append([_("From"), stats["period"]["start"].isoformat(),
                      _("To"), stats["period"]["end"].isoformat()])
        cover.append([_("Prepared at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
        cover.column_dimensions["A"].width = 24
        cover.column_dimensions["B"].width = 24
        figure_headers = [_("Indicator"), _("This period"), _("Previous period"),
                          _("Change on the previous period")]
        s = stats["sales"]
        _sheet(workbook, _("E-commerce sales"), figure_headers, rows["sales"],
               widths={1: 28, 2: 16, 3: 16, 4: 12})
        for title, key in ((_("Sales by category"), "by_category"),
                           (_("Sales by organisation"), "by_organization"),
                           (_("Sales by product"), "by_product")):
            items = s[key]
            _sheet(workbook, title, [_("Name"), _("Units"), _("Sales (CNY)")],
                   [[i["name"] or _("Uncategorised"), i["units"], i["amount"]] for i in items],
                   totals=[_("Total"), sum(i["units"] for i in items),
                           money(sum((i["amount"] for i in items), Decimal(0)))],
                   widths={1: 32, 2: 12, 3: 16})
        _sheet(workbook, _("Market entities"), figure_headers, rows["market"] + [
            [_("Cooperatives"), stats["market"]["cooperatives"], "", ""],
            [_("Enterprises"), stats["market"]["enterprises"], "", ""],
            [_("Households"), stats["market"]["households"], "", ""],
            [_("Registered poor households"), stats["market"]["poverty_households"], "", ""]],
            widths={1: 28})
        b = stats["brand"]
        _sheet(workbook, _("Enterprise brands"), figure_headers, rows["brand"] + [
            [i["label"], i["count"], "", ""] for i in b["licences_by_status"]] + [
            [_("Expiring within 60 days"), b["expiring_soon"], "", ""],
            [_("Annual label quota"), b["label_quota"], "", ""],
            [_("Labels used this year"), b["label_quota_used"], "", ""]], widths={1: 28})
        p = stats["products"]
        _sheet(workbook, _("Specialty products"), figure_headers, rows["products"] + [
            [_("First-scan rate"), _share(p["first_scan_rate"]), "", ""]] + [
            [_("Grade %(grade)s sold") % {"grade": g["grade"]}, g["units"], "", ""]
            for g in p["grades_sold"]], widths={1: 28})
        _sheet(workbook, _("Scans by province"), [_("Province"), _("Scans")],
               [[i["province"], i["scans"]] for i in p["scans_by_province"]],
               totals=[_("Total"), sum(i["scans"] for i in p["scans_by_province"])])
        lg = stats["logistics"]
        _sheet(workbook, _("Logistics"), [_("Carrier"), _("Shipped"),
                                          _("Shipped within 48 hours"), _("Delivered")],
               [[i["carrier"], i["shipped"], _share(i["in_time_share"]), i["delivered"]]
                for i in lg["by_carrier"]],
               totals=[_("Total"), lg["shipped"]["value"],
                       _share(lg["shipped_in_time_share"]["value"]),
                       lg["delivered"]["value"]], widths={1: 20, 3: 20})
        _sheet(workbook, _("Buyers by province"), [_("Province"), _("Orders"),
                                                   _("Sales (CNY)")],
               [[i["province"], i["orders"], i["amount"]] for i in lg["buyers_by_province"]],
               totals=[_("Total"), sum(i["orders"] for i in lg["buyers_by_province"]),
                       money(sum((i["amount"] for i in lg["buyers_by_province"]),
                                 Decimal(0)))])
        lv = stats["livestream"]
        _sheet(workbook, _("Live selling"),
               [_("Broadcast"), _("Starts at"), _("Host"), _("Viewers"), _("Orders"),
                _("Units"), _("Sales (CNY)"), _("Conversion")],
               [[i["title"], timezone.localtime(i["starts_at"]).strftime("%Y-%m-%d %H:%M"),
                 i["host"], i["viewers"], i["orders"], i["units"], i["amount"],
                 _share(i["conversion"])] for i in lv["per_broadcast"]],
               totals=[_("Total"), "", "", "", sum(i["orders"] for i in lv["per_broadcast"]),
                       sum(i["units"] for i in lv["per_broadcast"]), lv["gmv"], ""],
               widths={1: 30, 2: 18})
        pv = stats["poverty"]
        _sheet(workbook, _("Poverty alleviation"),
               [_("Household"), _("Village"), _("Sourcing lots"), _("Quantity (kg)"),
                _("Paid (CNY)")],
               [[i["household"], i["village"], i["lots"], i["kg"], i["amount"]]
                for i in pv["per_household"]],
               totals=[_("Total"), "", "", pv["poverty_quantity_kg"],
                       pv["paid_to_poverty_households"]["value"]])
        out = BytesIO()
        workbook.save(out)
        return out.getvalue()


def report_filename(pavilion: Pavilion | None, period: Period) -> str:
    return f"statistics-{pavilion.slug if pavilion else 'all'}-{period.label()}.xlsx"


def prepare_reports(today: date) -> list[Report]:
    """Last month's report (and on 1 January last year's) of each county and of the
    whole platform, stored as files; replaces an earlier version of the same report."""
    last_month = make_period("month", add_months(today.replace(day=1), -1))
    periods = [(Report.Kind.MONTH, last_month)]
    if today.month == 1:
        periods.append((Report.Kind.YEAR, period_containing("year", date(today.year - 1, 1,
                                                                         1))))
    reports = []
    for pavilion in [None, *Pavilion.objects.order_by("sort_order", "slug")]:
        for kind, period in periods:
            content = build_report_xlsx(pavilion, period)
            with transaction.atomic():
                report = Report.objects.select_for_update().filter(
                    pavilion=pavilion, kind=kind, start=period.start).first() or Report(
                    pavilion=pavilion, kind=kind, start=period.start)
                if report.file:
                    report.file.delete(save=False)
                report.file.save(report_filename(pavilion, period), ContentFile(content),
                                 save=True)
            reports.append(report)
    return reports


# Sales detail lists ------------------------------------------------------------------------

def _detail_lines(period: Period):
    return (OrderLine.objects.select_related("order__shipping_address")
            .filter(order__paid_at__gte=local_midnight(period.start),
                    order__paid_at__lt=local_midnight(period.end))
            .exclude(order__status__in=[Order.Status.CANCELLED, Order.Status.REFUNDED])
            .order_by("order__paid_at", "order_id", "pk"))


def organization_detail(organization: Organization, period: Period) -> list[dict]:
    """Every sold line of one enterprise or cooperative in the period."""
    return [_detail_row(line) for line in _detail_lines(period).filter(
        organization=organization)]


def broadcast_detail(broadcast: Broadcast) -> list[dict]:
    """Every line sold at a broadcast's live prices."""
    lines = (OrderLine.objects.select_related("order__shipping_address")
             .filter(source="broadcast", source_ref=str(broadcast.pk),
                     order__paid_at__isnull=False)
             .exclude(order__status__in=[Order.Status.CANCELLED, Order.Status.REFUNDED])
             .order_by("order__paid_at", "order_id", "pk"))
    return [_detail_row(line) for line in lines]


def _detail_row(line: OrderLine) -> dict:
    address = line.order.shipping_address
    return {"order": line.order.number, "paid_at": timezone.localtime(line.order.paid_at),
            "product": line.product_name, "variant": line.variant_name, "sku": line.product_sku,
            "quantity": line.quantity, "unit_price": line.unit_price_amount,
            "amount": line.total_price_amount,
            "province": address.country_area if address else "",
            "status": line.order.get_status_display()}


def detail_totals(rows: list[dict]) -> dict:
    return {"quantity": sum(row["quantity"] for row in rows),
            "amount": money(sum((row["amount"] for row in rows), Decimal(0)))}


def detail_xlsx(title: str, rows: list[dict]) -> bytes:
    with translation.override("zh-hans"):
        workbook = Workbook()
        workbook.remove(workbook.active)
        totals = detail_totals(rows)
        _sheet(workbook, _("Sales detail"),
               [_("Order number"), _("Paid at"), _("Product"), _("Variant"), _("SKU"),
                _("Quantity"), _("Unit price (CNY)"), _("Amount (CNY)"), _("Province"),
                _("Status")],
               [[r["order"], r["paid_at"].strftime("%Y-%m-%d %H:%M"), r["product"],
                 r["variant"], r["sku"], r["quantity"], r["unit_price"], r["amount"],
                 r["province"], r["status"]] for r in rows],
               totals=[_("Total"), "", "", "", "", totals["quantity"], "", totals["amount"],
                       "", ""],
               widths={1: 16, 2: 18, 3: 28, 4: 18, 5: 16})
        sheet = workbook.active
        sheet.insert_rows(1)
        sheet["A1"] = title
        sheet["A1"].font = Font(bold=True, size=14)
        out = BytesIO()
        workbook.save(out)
        return out.getvalue()


def organizations_with_sales(pavilion: Pavilion | None, period: Period):
    queryset = Organization.objects.filter(kind__in=[Organization.Kind.COOPERATIVE,
                                                     Organization.Kind.ENTERPRISE])
    if pavilion:
        queryset = queryset.filter(Q(county=pavilion.county) | Q(products__pavilion=pavilion))
    return queryset.distinct().order_by("name")
