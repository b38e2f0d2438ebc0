"""The statistics app's operations: rollups kept from the raw records, the indicators, who
may see them, the reports and the sellers' own figures."""

from .access import (
    appoint_official,
    can_view_statistics,
    is_operator,
    official_pavilion,
    resolve_scope,
    visible_pavilions,
)
from .indicators import cached_county_statistics, county_statistics
from .organizations import organization_sales
from .periods import KINDS, Period, make_period, period_containing
from .reports import (
    broadcast_detail,
    build_report_xlsx,
    detail_totals,
    detail_xlsx,
    organization_detail,
    organizations_with_sales,
    prepare_reports,
    report_filename,
    summary_rows,
)
from .rollups import FAMILIES, rebuild, rebuild_days_total, refresh_days, refresh_range

__all__ = [
    "FAMILIES", "KINDS", "Period", "appoint_official", "broadcast_detail",
    "build_report_xlsx", "cached_county_statistics", "can_view_statistics",
    "county_statistics", "detail_totals",
    "detail_xlsx", "is_operator", "make_period", "official_pavilion", "organization_detail",
    "organization_sales", "organizations_with_sales", "period_containing", "prepare_reports",
    "rebuild", "rebuild_days_total", "refresh_days", "refresh_range", "report_filename",
    "resolve_scope", "summary_rows", "visible_pavilions",
]
