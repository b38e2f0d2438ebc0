"""GraphQL types of livestream selling: hosts, venues, broadcasts, line-ups, the review."""

from __future__ import annotations

from dataclasses import dataclass

import graphene
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from api.catalog import dataloaders as catalog_dl
from api.core.connection import CountableConnection
from api.core.context import ChannelContext
from api.core.dataloaders import gather, then
from api.core.nodes import ModelObjectType
from api.core.permissions import current_user
from api.core.types import Money, money
from api.shop import dataloaders as shop_dl
from livestream import models, services
from shop.public_urls import absolute_url

from . import dataloaders as dl

LivePlatformEnum = graphene.Enum.from_enum(models.Platform, name="LivePlatformEnum")
LiveVenueKindEnum = graphene.Enum.from_enum(models.VenueKind, name="LiveVenueKindEnum")
BroadcastStatusEnum = graphene.Enum.from_enum(models.Broadcast.Status,
                                              name="BroadcastStatusEnum")


def _operator_or_host(info) -> bool:
    user = current_user(info)
    return user is not None and (user.is_operator or
                                 models.Host.objects.filter(user_id=user.pk,
                                                            is_active=True).exists())


class LiveHost(ModelObjectType):
    display_name = graphene.String(required=True)
    organization_name = graphene.String()
    platforms = graphene.List(graphene.NonNull(LivePlatformEnum), required=True)
    real_name_verified = graphene.Boolean(required=True)
    age = graphene.Int(description="Age in years; only for operators and the host.")
    bio = graphene.String()
    is_active = graphene.Boolean(required=True)

    class Meta:
        model = models.Host

    @classmethod
    def get_queryset(cls, info):
        """The hosts the public list shows (active ones); a retired host only to
        operators and to itself."""
        user = current_user(info)
        if user is not None and user.is_operator:
            return models.Host.objects.all()
        visible = Q(is_active=True)
        if user is not None:
            visible |= Q(user_id=user.pk)
        return models.Host.objects.filter(visible)

    resolve_platforms = staticmethod(lambda root, _info: [models.Platform(p) for p in root.platforms])

    @staticmethod
    def resolve_organization_name(root, info):
        if root.organization_id is None:
            return None
        return then(shop_dl.OrganizationByIdLoader(info.context).load(root.organization_id),
                    lambda organization: organization.name if organization else None)

    @staticmethod
    def resolve_age(root, info):
        user = current_user(info)
        if user is None or not (user.is_operator or user.pk == root.user_id):
            return None
        return services.age_on(root.birth_date, timezone.localdate())


class LiveVenue(ModelObjectType):
    name = graphene.String(required=True)
    kind = graphene.Field(LiveVenueKindEnum, required=True)
    address = graphene.String()

    class Meta:
        model = models.Venue

    @classmethod
    def get_queryset(cls, info):
        """Venues in use (the public list); a closed one to operators and hosts only."""
        if _operator_or_host(info):
            return models.Venue.objects.all()
        return models.Venue.objects.filter(is_active=True)

    resolve_kind = staticmethod(lambda root, _info: models.VenueKind(root.kind))


class FlashSale(graphene.ObjectType):
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime(required=True)
    countdown_seconds = graphene.Int(description="Seconds until it starts; 0 while it runs; "
                                                 "null once over.")


@dataclass(frozen=True)
class LineupNode:
    item: models.LineupItem
    channel_slug: str


class LineupItem(ModelObjectType):
    position = graphene.Int(required=True)
    variant = graphene.Field("api.catalog.types.ProductVariant", required=True)
    product_name = graphene.String(required=True)
    live_price = graphene.Field(Money, required=True)
    regular_price = graphene.Field(Money, required=True)
    live_price_active = graphene.Boolean(required=True,
                                         description="Whether buying now gets the live price.")
    quantity_allocated = graphene.Int(required=True)
    quantity_sold = graphene.Int(required=True)
    quantity_remaining = graphene.Int(required=True)
    per_buyer_limit = graphene.Int()
    is_pinned = graphene.Boolean(required=True)
    flash_sale = graphene.Field(FlashSale)

    class Meta:
        model = models.LineupItem

    @classmethod
    def instance_of(cls, root):
        return root.item if isinstance(root, LineupNode) else None

    @classmethod
    def get_node(cls, info, id):
        """A line-up item as the broadcast's public page shows it; the line-up of a
        cancelled broadcast, and an item whose product is off sale, only to operators and
        its host."""
        item = services.with_on_sale(models.LineupItem.objects.select_related(
            "broadcast__channel", "broadcast__host").filter(pk=id)).first()
        if item is None:
            return None
        if item.broadcast.status == models.Broadcast.Status.CANCELLED or not item.on_sale:
            user = current_user(info)
            if user is None or not (user.is_operator or user.pk == item.broadcast.host.user_id):
                return None
        return LineupNode(item, item.broadcast.channel.slug)

    resolve_position = staticmethod(lambda root, _info: root.item.position)
    resolve_live_price = staticmethod(lambda root, _info: money(root.item.live_price_amount))
    resolve_regular_price = staticmethod(
        lambda root, _info: money(root.item.regular_price_amount))
    resolve_quantity_allocated = staticmethod(lambda root, _info: root.item.quantity_allocated)
    resolve_quantity_sold = staticmethod(lambda root, _info: root.item.quantity_sold)
    resolve_quantity_remaining = staticmethod(lambda root, _info: root.item.quantity_remaining)
    resolve_per_buyer_limit = staticmethod(lambda root, _info: root.item.per_buyer_limit)
    resolve_is_pinned = staticmethod(lambda root, _info: root.item.is_pinned)

    @staticmethod
    def resolve_variant(root, info):
        return then(catalog_dl.VariantByIdLoader(info.context).load(root.item.variant_id),
                    lambda variant: ChannelContext(variant, root.channel_slug))

    @staticmethod
    def resolve_product_name(root, info):
        return then(catalog_dl.VariantByIdLoader(info.context).load(root.item.variant_id),
                    lambda variant: f"{variant.product.name} {variant.name}".strip())

    @staticmethod
    def resolve_live_price_active(root, info):
        return then(dl.BroadcastByIdLoader(info.context).load(root.item.broadcast_id),
                    lambda broadcast: services.live_price_applies(root.item, broadcast))

    @staticmethod
    def resolve_flash_sale(root, _info):
        item = root.item
        if not item.is_flash_sale:
            return None
        return FlashSale(starts_at=item.flash_sale_starts_at, ends_at=item.flash_sale_ends_at,
                         countdown_seconds=services.flash_sale_countdown(item))


class BroadcastEvent(graphene.ObjectType):
    type = graphene.String(required=True)
    date = graphene.DateTime(required=True)
    user_email = graphene.String()
    message = graphene.String()

    @staticmethod
    def resolve_user_email(root, _info):
        return root.user.email if root.user_id else None


class SalesFigures(graphene.ObjectType):
    gmv = graphene.Field(Money, required=True)
    orders = graphene.Int(required=True)
    units = graphene.Int(required=True)
    buyers = graphene.Int(required=True)

    @staticmethod
    def resolve_gmv(root, _info):
        return money(root["gmv"])


class TopProduct(graphene.ObjectType):
    product_name = graphene.String(required=True)
    variant_name = graphene.String()
    units = graphene.Int(required=True)
    amount = graphene.Field(Money, required=True)

    resolve_amount = staticmethod(lambda root, _info: money(root["amount"]))


class SellerSales(graphene.ObjectType):
    name = graphene.String(required=True)
    orders = graphene.Int(required=True)
    units = graphene.Int(required=True)
    amount = graphene.Field(Money, required=True)

    resolve_amount = staticmethod(lambda root, _info: money(root["amount"]))


class PreviousBroadcast(graphene.ObjectType):
    title = graphene.String(required=True)
    starts_at = graphene.DateTime(required=True)
    gmv = graphene.Field(Money, required=True)
    orders = graphene.Int(required=True)
    units = graphene.Int(required=True)

    resolve_title = staticmethod(lambda root, _info: root["broadcast"].title)
    resolve_starts_at = staticmethod(lambda root, _info: root["broadcast"].starts_at)
    resolve_gmv = staticmethod(lambda root, _info: money(root["gmv"]))


class BroadcastReview(graphene.ObjectType):
    """The review (复盘) figures; live sales unless named post-live."""

    gmv = graphene.Field(Money, required=True)
    orders = graphene.Int(required=True)
    units = graphene.Int(required=True)
    buyers = graphene.Int(required=True)
    refunds = graphene.Int(required=True, description="Orders with a refund.")
    refunded_amount = graphene.Field(Money, required=True)
    post_live = graphene.Field(SalesFigures, required=True,
                               description="Attributed orders in the days after the broadcast.")
    viewer_count = graphene.Int()
    conversion_percent = graphene.Float(description="Orders per 100 viewers, when entered.")
    top_products = graphene.List(graphene.NonNull(TopProduct), required=True)
    sales_per_cooperative = graphene.List(graphene.NonNull(SellerSales), required=True)
    previous_broadcasts = graphene.List(graphene.NonNull(PreviousBroadcast), required=True)
    previous_average_gmv = graphene.Field(Money)
    gmv_vs_previous_average = graphene.Float(description="This GMV / the average of the "
                                                         "host's previous broadcasts.")
    sales_csv_url = graphene.String(required=True)
    sales_xlsx_url = graphene.String(required=True)

    resolve_gmv = staticmethod(lambda root, _info: money(root["gmv"]))
    resolve_refunded_amount = staticmethod(lambda root, _info: money(root["refunded_amount"]))
    resolve_previous_average_gmv = staticmethod(
        lambda root, _info: money(root["previous_average_gmv"]))
    resolve_sales_per_cooperative = staticmethod(lambda root, _info: root["per_seller"])
    resolve_previous_broadcasts = staticmethod(lambda root, _info: root["previous"])

    @staticmethod
    def resolve_conversion_percent(root, _info):
        value = root["conversion_percent"]
        return float(value) if value is not None else None

    @staticmethod
    def resolve_gmv_vs_previous_average(root, _info):
        value = root["gmv_vs_previous_average"]
        return float(value) if value is not None else None

    @staticmethod
    def resolve_sales_csv_url(root, info):
        return absolute_url(
            reverse("livestream:sales-csv", args=[root["broadcast"].pk]))

    @staticmethod
    def resolve_sales_xlsx_url(root, info):
        return absolute_url(
            reverse("livestream:sales-xlsx", args=[root["broadcast"].pk]))


class Broadcast(ModelObjectType):
    title = graphene.String(required=True)
    host = graphene.Field(LiveHost, required=True)
    venue = graphene.Field(LiveVenue, required=True)
    platform = graphene.Field(LivePlatformEnum, required=True)
    stream_url = graphene.String()
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime(required=True)
    status = graphene.Field(BroadcastStatusEnum, required=True)
    started_at = graphene.DateTime()
    ended_at = graphene.DateTime()
    viewer_count = graphene.Int()
    lineup = graphene.List(graphene.NonNull(LineupItem), required=True)
    pinned_item = graphene.Field(LineupItem)
    is_subscribed = graphene.Boolean(required=True)
    can_edit = graphene.Boolean(required=True)
    plan_notes = graphene.String(description="Only for the host and operators.")
    execution_notes = graphene.String(description="Only for the host and operators.")
    review_notes = graphene.String(description="Only for the host and operators.")
    events = graphene.List(graphene.NonNull(BroadcastEvent),
                           description="History; only for the host and operators.")
    review = graphene.Field(BroadcastReview, description="Only for the host and operators.")

    class Meta:
        model = models.Broadcast

    @classmethod
    def get_queryset(cls, info):
        # The schedule is public in every status (the live page lists cancelled and ended
        # broadcasts too); the private fields (review, notes, events) check the caller.
        return models.Broadcast.objects.all()

    resolve_platform = staticmethod(lambda root, _info: models.Platform(root.platform))
    resolve_status = staticmethod(lambda root, _info: models.Broadcast.Status(root.status))
    resolve_stream_url = staticmethod(lambda root, _info: root.stream_url or None)

    @staticmethod
    def resolve_host(root, info):
        return dl.HostByIdLoader(info.context).load(root.host_id)

    @staticmethod
    def resolve_venue(root, info):
        return dl.VenueByIdLoader(info.context).load(root.venue_id)

    @staticmethod
    def resolve_lineup(root, info):
        loads = gather([dl.LineupByBroadcastIdLoader(info.context).load(root.pk),
                        shop_dl.ChannelSlugByIdLoader(info.context).load(root.channel_id)])
        # Shoppers are shown only what the shop sells; the host and operators see it all.
        everything = services.can_edit_broadcast(current_user(info), root)
        return then(loads, lambda pair: [LineupNode(item, pair[1]) for item in pair[0]
                                         if everything or item.on_sale])

    @staticmethod
    def resolve_pinned_item(root, info):
        return then(Broadcast.resolve_lineup(root, info),
                    lambda nodes: next((n for n in nodes if n.item.is_pinned), None))

    @staticmethod
    def resolve_is_subscribed(root, info):
        user = current_user(info)
        if user is None:
            return False
        return dl.SubscribedBroadcastIdsByUserLoader(info.context).load((user.pk, root.pk))

    @staticmethod
    def resolve_can_edit(root, info):
        return services.can_edit_broadcast(current_user(info), root)

    @staticmethod
    def _private(root, info, value):
        return value if services.can_edit_broadcast(current_user(info), root) else None

    @staticmethod
    def resolve_plan_notes(root, info):
        return Broadcast._private(root, info, root.plan_notes)

    @staticmethod
    def resolve_execution_notes(root, info):
        return Broadcast._private(root, info, root.execution_notes)

    @staticmethod
    def resolve_review_notes(root, info):
        return Broadcast._private(root, info, root.review_notes)

    @staticmethod
    def resolve_events(root, info):
        if not services.can_edit_broadcast(current_user(info), root):
            return None
        return list(root.events.select_related("user"))

    @staticmethod
    def resolve_review(root, info):
        if not services.can_edit_broadcast(current_user(info), root):
            return None
        if root.status not in (models.Broadcast.Status.ENDED, models.Broadcast.Status.REVIEWED):
            return None
        return services.broadcast_review(root)


class BroadcastCountableConnection(CountableConnection):
    class Meta:
        node = Broadcast


class LiveHostCountableConnection(CountableConnection):
    class Meta:
        node = LiveHost


class WeeklySchedule(ModelObjectType):
    title = graphene.String(required=True)
    host = graphene.Field(LiveHost, required=True)
    venue = graphene.Field(LiveVenue, required=True)
    weekday = graphene.Int(required=True, description="0 is Monday.")
    start_time = graphene.String(
        required=True, description="Local time, ISO 8601 (\"19:30:00\"). A String: Saleor's "
                                   "schema has no Time scalar, so its clients' code generators "
                                   "know none.")
    duration_minutes = graphene.Int(required=True)
    time_zone = graphene.String(required=True)
    platform = graphene.Field(LivePlatformEnum, required=True)
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date()
    is_active = graphene.Boolean(required=True)

    class Meta:
        model = models.WeeklySchedule


    resolve_start_time = staticmethod(lambda root, _info: root.start_time.isoformat())
    resolve_time_zone = staticmethod(lambda root, _info: root.timezone)
    resolve_platform = staticmethod(lambda root, _info: models.Platform(root.platform))
    resolve_host = staticmethod(lambda root, info: dl.HostByIdLoader(info.context).load(root.host_id))
    resolve_venue = staticmethod(
        lambda root, info: dl.VenueByIdLoader(info.context).load(root.venue_id))


class ScheduleConflict(graphene.ObjectType):
    starts_at = graphene.DateTime(required=True)
    message = graphene.String(required=True)


class WeekCoverage(graphene.ObjectType):
    week_start = graphene.Date(required=True, description="Monday, local time.")
    broadcasts = graphene.Int(required=True)
    meets_requirement = graphene.Boolean(required=True,
                                         description="At least one broadcast that week.")

    resolve_meets_requirement = staticmethod(lambda root, _info: root["broadcasts"] >= 1)


class CountyWeek(graphene.ObjectType):
    week_start = graphene.Date(required=True, description="Monday, local time.")
    broadcasts = graphene.Int(required=True)


class CountyLiveRules(graphene.ObjectType):
    """One county against its livestream rules, counted for that county alone."""

    county = graphene.String(required=True)
    hosts = graphene.Int(required=True, description="Active, real-name verified hosts.")
    hosts_rule = graphene.Int(required=True)
    meets_hosts_rule = graphene.Boolean(required=True)
    weeks = graphene.List(graphene.NonNull(CountyWeek), required=True)
    weeks_without_broadcast = graphene.List(graphene.NonNull(graphene.Date), required=True)


class BroadcastReminder(graphene.ObjectType):
    subject = graphene.String(required=True)
    body = graphene.String()
    sent_at = graphene.DateTime(required=True)
    broadcast = graphene.Field(Broadcast, required=True)

    @staticmethod
    def resolve_broadcast(root, info):
        return dl.BroadcastByIdLoader(info.context).load(root.broadcast_id)
