"""What the big-data screen draws: the indicators shaped into chart series (names, values,
map regions). Presentation only; the figures come from ``services.county_statistics``."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

# Full names as addresses hold them → the short names of the map's regions.
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


def short_province(name: str) -> str:
    for suffix in PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _num(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _fig(fig: dict) -> dict:
    return {"value": _num(fig["value"]), "previous": _num(fig["previous"]),
            "change": _num(fig["change"])}


def _merge_provinces(rows, key):
    merged: dict[str, float] = {}
    for row in rows:
        name = short_province(row["province"])
        merged[name] = merged.get(name, 0) + _num(row[key])
    return [{"name": name, "value": value} for name, value in
            sorted(merged.items(), key=lambda item: -item[1])]


def screen_payload(stats: dict) -> dict:
    s, m, b, p, lg, lv, pv = (stats["sales"], stats["market"], stats["brand"],
                              stats["products"], stats["logistics"], stats["livestream"],
                              stats["poverty"])
    pavilion = stats["pavilion"]
    period = stats["period"]
    source_names = {"shop": _("Pavilion shop"), "broadcast": _("Live broadcast")}
    return {
        "title": (_("%(county)s e-commerce big-data screen") % {"county": pavilion.county}
                  if pavilion else _("County e-commerce big-data screen")),
        "county": pavilion.slug if pavilion else "",
        "period": {"kind": period["kind"], "label": period["label"],
                   "start": period["start"].isoformat(), "end": period["end"].isoformat()},
        "headline": {
            "gmv": _fig(s["gmv"]), "orders": _fig(s["orders"]), "units": _fig(s["units"]),
            "aov": _fig(s["average_order_value"]), "refunds": _fig(s["refunded_amount"]),
            "scans": _fig(p["scans"]), "shipped": _fig(lg["shipped"]),
            "poverty": _fig(pv["paid_to_poverty_households"]),
        },
        "series": {"labels": [row["bucket"].strftime("%m-%d" if period["bucket"] == "day"
                                                    else "%Y-%m") for row in s["series"]],
                   "amount": [_num(row["amount"]) for row in s["series"]],
                   "orders": [row["orders"] for row in s["series"]]},
        "categories": [{"name": row["name"] or _("Uncategorised"), "value": _num(row["amount"])}
                       for row in s["by_category"]],
        "products": [{"name": row["name"], "value": _num(row["amount"])}
                     for row in s["by_product"]],
        "organizations": [{"name": row["name"], "value": _num(row["amount"])}
                          for row in s["by_organization"]],
        "sources": [{"name": str(source_names[row["source"]]), "value": _num(row["amount"])}
                    for row in s["by_source"]],
        "market": {
            "labels": [_("Cooperatives"), _("Enterprises"), _("Households"),
                       _("Registered poor households")],
            "values": [m["cooperatives"], m["enterprises"], m["households"],
                       m["poverty_households"]],
            "active_sellers": _fig(m["active_sellers"]),
            "new_organizations": _fig(m["new_organizations"]),
        },
        "brand": {
            "states": [{"name": row["label"], "value": row["count"]}
                       for row in b["licences_by_status"]],
            "expiring": b["expiring_soon"], "violations": _fig(b["violations"]),
            "quota": b["label_quota"], "quota_used": b["label_quota_used"],
        },
        "trace": {
            "grades": [{"name": row["grade"], "value": row["units"]}
                       for row in p["grades_sold"]],
            "issued": _fig(p["codes_issued"]), "first_scan_rate": _num(p["first_scan_rate"]),
            "flagged": _fig(p["flagged_scans"]),
        },
        "map": {"scans": _merge_provinces(p["scans_by_province"], "scans"),
                "buyers": _merge_provinces(lg["buyers_by_province"], "orders")},
        "logistics": {
            "carriers": [{"name": row["carrier"] or _("Unknown"), "value": row["shipped"]}
                         for row in lg["by_carrier"]],
            "in_time_share": _num(lg["shipped_in_time_share"]["value"]),
            "ship_within_hours": lg["ship_within_hours"],
            "delivered": _fig(lg["delivered"]),
            "average_delivery_hours": _num(lg["average_delivery_hours"]),
        },
        "livestream": {
            "weeks": [row["week"] for row in lv["weeks"]],
            "per_week": [row["broadcasts"] for row in lv["weeks"]],
            "rule": lv["broadcasts_per_week_rule"],
            "hosts": lv["active_hosts"], "hosts_rule": lv["active_hosts_rule"],
            "broadcasts": [{"name": row["title"], "value": _num(row["amount"]),
                            "conversion": _num(row["conversion"])}
                           for row in lv["per_broadcast"]][-8:],
        },
        "poverty": {"households": [{"name": f"{row['household']}（{row['village']}）",
                                    "value": _num(row["amount"])}
                                   for row in pv["per_household"]],
                    "count": pv["poverty_households_paid"]},
    }
