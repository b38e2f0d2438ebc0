"""GraphQL types of the county statistics: the indicator groups of ``countyStatistics``,
each headline figure with the previous period's value and the relative change. Amounts are
Saleor's ``Money``; the shapes follow ``statistics.services.county_statistics``."""

from __future__ import annotations

import graphene

from api.core.types import money_field


class StatisticsPeriodEnum(graphene.Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class MoneyFigure(graphene.ObjectType):
    value = money_field("value", required=True)
    previous = money_field("previous", required=True)
    change = graphene.Float(description="(value - previous) / previous; null without a "
                                        "previous value.")


class CountFigure(graphene.ObjectType):
    value = graphene.Int(required=True)
    previous = graphene.Int(required=True)
    change = graphene.Float()


class RatioFigure(graphene.ObjectType):
    value = graphene.Float()
    previous = graphene.Float()
    change = graphene.Float()


class NamedSales(graphene.ObjectType):
    name = graphene.String(required=True)
    units = graphene.Int(required=True)
    amount = money_field("amount", required=True)


class SalesSource(graphene.ObjectType):
    source = graphene.String(required=True, description="shop or broadcast")
    units = graphene.Int(required=True)
    amount = money_field("amount", required=True)


class SalesBucket(graphene.ObjectType):
    date = graphene.Date(required=True, description="The day, or the month's first day.")
    orders = graphene.Int(required=True)
    amount = money_field("amount", required=True)

    @staticmethod
    def resolve_date(root, _info):
        return root["bucket"]


class SalesStatistics(graphene.ObjectType):
    """电商交易额."""

    gmv = graphene.Field(MoneyFigure, required=True, description="Online retail sales.")
    orders = graphene.Field(CountFigure, required=True)
    units = graphene.Field(CountFigure, required=True)
    average_order_value = graphene.Field(MoneyFigure, required=True)
    refunded_amount = graphene.Field(MoneyFigure, required=True)
    refunded_orders = graphene.Field(CountFigure, required=True)
    cancelled_orders = graphene.Int(required=True)
    by_category = graphene.List(graphene.NonNull(NamedSales), required=True)
    by_product = graphene.List(graphene.NonNull(NamedSales), required=True)
    by_organization = graphene.List(graphene.NonNull(NamedSales), required=True)
    by_channel = graphene.List(graphene.NonNull(NamedSales), required=True)
    by_source = graphene.List(graphene.NonNull(SalesSource), required=True)
    series = graphene.List(graphene.NonNull(SalesBucket), required=True)


class MarketStatistics(graphene.ObjectType):
    """市场主体."""

    cooperatives = graphene.Int(required=True)
    enterprises = graphene.Int(required=True)
    households = graphene.Int(required=True)
    poverty_households = graphene.Int(required=True)
    new_organizations = graphene.Field(CountFigure, required=True)
    new_households = graphene.Field(CountFigure, required=True)
    active_sellers = graphene.Field(CountFigure, required=True)
    active_households = graphene.Field(CountFigure, required=True)


class LicenceStatusCount(graphene.ObjectType):
    status = graphene.String(required=True)
    label = graphene.String(required=True)
    count = graphene.Int(required=True)


class BrandStatistics(graphene.ObjectType):
    """企业品牌."""

    licences_by_status = graphene.List(graphene.NonNull(LicenceStatusCount), required=True)
    expiring_soon = graphene.Int(required=True, description="In force, ending within 60 days.")
    label_quota = graphene.Int(required=True)
    label_quota_used = graphene.Int(required=True)
    label_quota_share = graphene.Float()
    granted = graphene.Field(CountFigure, required=True)
    suspended = graphene.Field(CountFigure, required=True)
    revoked = graphene.Field(CountFigure, required=True)
    expired = graphene.Field(CountFigure, required=True)
    labels_used = graphene.Field(CountFigure, required=True)
    violations = graphene.Field(CountFigure, required=True)


class GradeSold(graphene.ObjectType):
    grade = graphene.String(required=True)
    units = graphene.Int(required=True)
    issued = graphene.Int(required=True)


class ProvinceScans(graphene.ObjectType):
    province = graphene.String(required=True)
    scans = graphene.Int(required=True)


class ProductStatistics(graphene.ObjectType):
    """特色产品: trace codes and their scans."""

    codes_issued = graphene.Field(CountFigure, required=True)
    codes_shipped = graphene.Field(CountFigure, required=True)
    scans = graphene.Field(CountFigure, required=True)
    first_scans = graphene.Field(CountFigure, required=True)
    flagged_scans = graphene.Field(CountFigure, required=True)
    first_scan_rate = graphene.Float(description="Of the packages shipped, the share scanned.")
    grades_sold = graphene.List(graphene.NonNull(GradeSold), required=True)
    scans_by_province = graphene.List(graphene.NonNull(ProvinceScans), required=True)


class CarrierShipping(graphene.ObjectType):
    carrier = graphene.String(required=True)
    shipped = graphene.Int(required=True)
    in_time_share = graphene.Float()
    delivered = graphene.Int(required=True)


class ProvinceBuyers(graphene.ObjectType):
    province = graphene.String(required=True)
    orders = graphene.Int(required=True)
    amount = money_field("amount", required=True)


class LogisticsStatistics(graphene.ObjectType):
    """物流快递."""

    shipped = graphene.Field(CountFigure, required=True)
    shipped_in_time_share = graphene.Field(RatioFigure, required=True)
    ship_within_hours = graphene.Int(required=True)
    delivered = graphene.Field(CountFigure, required=True)
    average_delivery_hours = graphene.Float()
    by_carrier = graphene.List(graphene.NonNull(CarrierShipping), required=True)
    buyers_by_province = graphene.List(graphene.NonNull(ProvinceBuyers), required=True)


class WeekBroadcasts(graphene.ObjectType):
    week = graphene.String(required=True, description="ISO week, e.g. 2026-W05.")
    broadcasts = graphene.Int(required=True)
    meets_rule = graphene.Boolean(required=True)


class BroadcastSales(graphene.ObjectType):
    id = graphene.Int(required=True, description="The broadcast's database id.")
    title = graphene.String(required=True)
    starts_at = graphene.DateTime(required=True)
    status = graphene.String(required=True)
    host = graphene.String(required=True)
    viewers = graphene.Int()
    orders = graphene.Int(required=True)
    units = graphene.Int(required=True)
    amount = money_field("amount", required=True)
    conversion = graphene.Float(description="Orders per viewer.")


class LivestreamStatistics(graphene.ObjectType):
    """直播."""

    broadcasts = graphene.Int(required=True)
    weeks = graphene.List(graphene.NonNull(WeekBroadcasts), required=True)
    weeks_meeting_rule = graphene.Int(required=True)
    broadcasts_per_week_rule = graphene.Int(required=True)
    active_hosts = graphene.Int(required=True)
    active_hosts_rule = graphene.Int(required=True)
    gmv = money_field("gmv", required=True)
    per_broadcast = graphene.List(graphene.NonNull(BroadcastSales), required=True)


class HouseholdPurchases(graphene.ObjectType):
    household = graphene.String(required=True, description="Family name and asterisks.")
    village = graphene.String(required=True)
    lots = graphene.Int(required=True)
    kg = graphene.Float(required=True)
    amount = money_field("amount", required=True)


class PovertyStatistics(graphene.ObjectType):
    """带贫: what cooperatives paid registered poor households through sourcing lots."""

    paid_to_households = graphene.Field(MoneyFigure, required=True)
    paid_to_poverty_households = graphene.Field(MoneyFigure, required=True)
    poverty_quantity_kg = graphene.Float(required=True)
    poverty_households_paid = graphene.Int(required=True)
    per_household = graphene.List(graphene.NonNull(HouseholdPurchases), required=True)


class StatisticsPeriod(graphene.ObjectType):
    kind = graphene.String(required=True)
    label = graphene.String(required=True)
    start = graphene.Date(required=True)
    end = graphene.Date(required=True, description="The last day, inclusive.")
    previous_start = graphene.Date(required=True)
    previous_end = graphene.Date(required=True)


class CountyStatistics(graphene.ObjectType):
    """A county's (or the whole platform's) indicators over a period."""

    county = graphene.String(description="The pavilion's slug; null for all counties.")
    county_name = graphene.String()
    period = graphene.Field(StatisticsPeriod, required=True)
    sales = graphene.Field(SalesStatistics, required=True)
    market = graphene.Field(MarketStatistics, required=True)
    brand = graphene.Field(BrandStatistics, required=True)
    products = graphene.Field(ProductStatistics, required=True)
    logistics = graphene.Field(LogisticsStatistics, required=True)
    livestream = graphene.Field(LivestreamStatistics, required=True)
    poverty = graphene.Field(PovertyStatistics, required=True)

    @staticmethod
    def resolve_county(root, _info):
        return root["pavilion"].slug if root["pavilion"] else None

    @staticmethod
    def resolve_county_name(root, _info):
        return root["pavilion"].county if root["pavilion"] else None
