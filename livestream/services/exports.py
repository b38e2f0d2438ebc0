"""The sales detail list (销售明细清单) of a broadcast, as rows, CSV and XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from ..models import Broadcast, LineupItem, LivePurchase
from .common import local_zone
from .reviews import attributed_lines, sales_window

# gettext_lazy by its own name: makemessages finds the msgids of these calls only.
SALES_COLUMNS = [
    ("order_number", gettext_lazy("Order number")),
    ("placed_at", gettext_lazy("Placed at")),
    ("phase", gettext_lazy("Sale")),
    ("buyer", gettext_lazy("Buyer")),
    ("product", gettext_lazy("Product")),
    ("variant", gettext_lazy("Variant")),
    ("sku", gettext_lazy("SKU")),
    ("seller", gettext_lazy("Seller")),
    ("quantity", gettext_lazy("Quantity")),
    ("unit_price", gettext_lazy("Unit price")),
    ("list_price", gettext_lazy("List price")),
    ("total", gettext_lazy("Line total")),
    ("status", gettext_lazy("Order status")),
]


def _mask_email(email: str) -> str:
    name, _at, domain = (email or "").partition("@")
    return f"{name[:2]}***@{domain}" if domain else "***"


def co_seller_ids(broadcast: Broadcast, user) -> set[int]:
    """The organisations of ``user`` whose goods the broadcast's line-up sells (its
    co-selling cooperatives): each may read the sales detail of its own lines."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    mine = set(user.memberships.values_list("organization_id", flat=True))
    sellers = set(LineupItem.objects.filter(broadcast=broadcast).values_list(
        "variant__product__organization_id", flat=True))
    return mine & sellers


def sales_detail_rows(broadcast: Broadcast, organization_ids: set[int] | None = None
                      ) -> list[dict]:
    """The sales detail list (销售明细清单): one row per attributed order line; with
    ``organization_ids``, only the lines those organisations sold."""
    _start, end, _post = sales_window(broadcast)
    live_ids = set(LivePurchase.objects.filter(item__broadcast=broadcast)
                   .values_list("order_line_id", flat=True))
    zone = local_zone()
    rows = []
    lines = attributed_lines(broadcast)
    if organization_ids is not None:
        lines = lines.filter(organization_id__in=organization_ids)
    for line in lines:
        live = line.pk in live_ids or line.order.created_at <= end
        rows.append({
            "order_number": line.order.number,
            "placed_at": line.order.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            "phase": _("Live") if live else _("Post-live"),
            "buyer": _mask_email(line.order.user_email),
            "product": line.product_name, "variant": line.variant_name, "sku": line.product_sku,
            "seller": line.organization.name, "quantity": line.quantity,
            "unit_price": line.unit_price_amount,
            "list_price": line.undiscounted_unit_price_amount,
            "total": line.total_price_amount, "status": line.order.get_status_display(),
        })
    return rows


def sales_detail_csv(broadcast: Broadcast, organization_ids: set[int] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(label) for _key, label in SALES_COLUMNS])
    for row in sales_detail_rows(broadcast, organization_ids):
        writer.writerow([row[key] for key, _label in SALES_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def sales_detail_xlsx(broadcast: Broadcast, organization_ids: set[int] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sales detail")
    sheet.append([str(label) for _key, label in SALES_COLUMNS])
    for row in sales_detail_rows(broadcast, organization_ids):
        sheet.append([float(v) if isinstance(v, Decimal) else v
                      for v in (row[key] for key, _label in SALES_COLUMNS)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
