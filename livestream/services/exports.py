"""The sales detail list (销售明细清单) of a broadcast, as rows, CSV and XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook

from ..models import Broadcast, LivePurchase
from .common import local_zone
from .reviews import attributed_lines, sales_window

SALES_COLUMNS = [
    ("order_number", _lazy("Order number")), ("placed_at", _lazy("Placed at")),
    ("phase", _lazy("Sale")), ("buyer", _lazy("Buyer")), ("product", _lazy("Product")),
    ("variant", _lazy("Variant")), ("sku", _lazy("SKU")), ("seller", _lazy("Seller")),
    ("quantity", _lazy("Quantity")), ("unit_price", _lazy("Unit price")),
    ("list_price", _lazy("List price")), ("total", _lazy("Line total")),
    ("status", _lazy("Order status")),
]


def _mask_email(email: str) -> str:
    name, _at, domain = (email or "").partition("@")
    return f"{name[:2]}***@{domain}" if domain else "***"


def sales_detail_rows(broadcast: Broadcast) -> list[dict]:
    """The sales detail list (销售明细清单): one row per attributed order line."""
    _start, end, _post = sales_window(broadcast)
    live_ids = set(LivePurchase.objects.filter(item__broadcast=broadcast)
                   .values_list("order_line_id", flat=True))
    zone = local_zone()
    rows = []
    for line in attributed_lines(broadcast):
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


def sales_detail_csv(broadcast: Broadcast) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(label) for _key, label in SALES_COLUMNS])
    for row in sales_detail_rows(broadcast):
        writer.writerow([row[key] for key, _label in SALES_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def sales_detail_xlsx(broadcast: Broadcast) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sales detail")
    sheet.append([str(label) for _key, label in SALES_COLUMNS])
    for row in sales_detail_rows(broadcast):
        sheet.append([float(v) if isinstance(v, Decimal) else v
                      for v in (row[key] for key, _label in SALES_COLUMNS)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
