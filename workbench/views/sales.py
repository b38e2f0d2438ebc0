"""The producer's own sales: orders, revenue and units per product and per week, on the
page and as a CSV download (opens in Excel and WPS: UTF-8 with a byte-order mark)."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import selectors
from ..access import member_required
from ..nav import crumbs
from ..roles import PRODUCER
from . import page


@require_GET
@member_required(PRODUCER)
def sales(request):
    return page(request, "workbench/sales.html", {"sales": selectors.sales(request.organization)},
                crumbs=crumbs((_("Sales"), None)))


@require_GET
@member_required(PRODUCER)
def sales_csv(request):
    data = selectors.sales(request.organization)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"sales-{request.organization.slug}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Week starting"), _("Product"), _("Orders"), _("Units"),
                     _("Revenue (CNY)")])
    for row in data["rows"]:
        writer.writerow([row["week"], row["product"], row["orders"], row["units"],
                         f"{row['revenue']:.2f}"])
    return response
