"""Livestream selling: hosts, venues, weekly schedules, broadcasts, line-ups with live
prices and live stock allocations, purchases made live, reminders and the review notes.

Double booking of a host or a venue is refused twice: by ``livestream.services`` (rows
locked, a clear error) and by PostgreSQL exclusion constraints over
``tstzrange(starts_at, ends_at)``. The embedded server has no ``btree_gist``, so the
host/venue equality is written as overlap of the one-point range ``int8range(id, id, '[]')``
which plain GiST supports."""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class Platform(models.TextChoices):
    DOUYIN = "douyin", _("Douyin")
    WECHAT_CHANNELS = "wechat_channels", _("WeChat Channels")
    TAOBAO_LIVE = "taobao_live", _("Taobao Live")
    PAVILION = "pavilion", _("Pavilion live page")


class VenueKind(models.TextChoices):
    STUDIO = "studio", _("Studio")
    ORIGIN = "origin", _("Origin")
    SHOWROOM = "showroom", _("Showroom")


def _point_range(field: str):
    return Func(F(field), F(field), Value("[]"), function="int8range")


def _time_range():
    return Func(F("starts_at"), F("ends_at"), function="tstzrange")


class Host(models.Model):
    """A livestream host (主播): a user, usually of a cooperative or the operator."""

    user = models.OneToOneField("shop.User", on_delete=models.CASCADE,
                                related_name="livestream_host", verbose_name=_("user"))
    organization = models.ForeignKey("shop.Organization", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="livestream_hosts",
                                     verbose_name=_("organisation"))
    display_name = models.CharField(_("stage name"), max_length=64)
    birth_date = models.DateField(_("date of birth"))
    real_name_verified = models.BooleanField(_("real-name verified"), default=False)
    real_name_verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    platforms = ArrayField(models.CharField(max_length=32, choices=Platform.choices),
                           default=list, blank=True, verbose_name=_("platforms"))
    bio = models.TextField(_("introduction"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        ordering = ["display_name", "pk"]

    def __str__(self):
        return self.display_name


class Venue(models.Model):
    """Where broadcasts happen: a studio room, an origin (a farm, a base) or the showroom."""

    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("venue type"), max_length=16, choices=VenueKind.choices)
    address = models.CharField(_("place"), max_length=255, blank=True)
    organization = models.ForeignKey("shop.Organization", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="livestream_venues",
                                     verbose_name=_("organisation"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class WeeklySchedule(models.Model):
    """A recurrence in local time (e.g. every Friday 19:30-21:00 Asia/Shanghai) that
    generates broadcasts weeks ahead."""

    title = models.CharField(_("title"), max_length=128)
    host = models.ForeignKey(Host, on_delete=models.CASCADE, related_name="schedules",
                             verbose_name=_("host"))
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="schedules",
                              verbose_name=_("venue"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), help_text=_("0 is Monday."))
    start_time = models.TimeField(_("local start time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    stream_url = models.URLField(_("stream link"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey("shop.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("weekly schedule")
        verbose_name_plural = _("weekly schedules")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="schedule_weekday_0_6"),
            models.CheckConstraint(condition=Q(duration_minutes__gt=0),
                                   name="schedule_positive_duration"),
        ]

    def __str__(self):
        return self.title


class Broadcast(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")
        REVIEWED = "reviewed", _("Reviewed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=128)
    host = models.ForeignKey(Host, on_delete=models.PROTECT, related_name="broadcasts",
                             verbose_name=_("host"))
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="broadcasts",
                              verbose_name=_("venue"))
    schedule = models.ForeignKey(WeeklySchedule, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="broadcasts",
                                 verbose_name=_("weekly schedule"))
    channel = models.ForeignKey("shop.Channel", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("channel"))
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    stream_url = models.URLField(_("stream link"), blank=True)
    starts_at = models.DateTimeField(_("planned start"), db_index=True)
    ends_at = models.DateTimeField(_("planned end"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.SCHEDULED, db_index=True)
    started_at = models.DateTimeField(_("went live at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    viewer_count = models.PositiveIntegerField(_("viewers"), null=True, blank=True)
    plan_notes = models.TextField(_("plan"), blank=True)
    execution_notes = models.TextField(_("execution notes"), blank=True)
    review_notes = models.TextField(_("review notes"), blank=True)
    created_by = models.ForeignKey("shop.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="broadcast_ends_after_start"),
            models.UniqueConstraint(fields=["schedule", "starts_at"],
                                    name="unique_schedule_occurrence"),
            ExclusionConstraint(
                name="broadcast_no_host_double_booking",
                expressions=[(_point_range("host_id"), RangeOperators.OVERLAPS),
                             (_time_range(), RangeOperators.OVERLAPS)],
                condition=~Q(status="cancelled"),
            ),
            ExclusionConstraint(
                name="broadcast_no_venue_double_booking",
                expressions=[(_point_range("venue_id"), RangeOperators.OVERLAPS),
                             (_time_range(), RangeOperators.OVERLAPS)],
                condition=~Q(status="cancelled"),
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, now=None) -> bool:
        """Inside the broadcast window: live, and not past the planned end."""
        now = now or timezone.now()
        return self.status == self.Status.LIVE and now < self.ends_at


class BroadcastEvent(models.Model):
    """A broadcast's history: who did what, when and why."""

    class Type(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        STARTED = "started", _("Went live")
        ENDED = "ended", _("Ended")
        REVIEWED = "reviewed", _("Reviewed")
        CANCELLED = "cancelled", _("Cancelled")
        LINEUP_CHANGED = "lineup_changed", _("Line-up changed")
        PINNED = "pinned", _("Product pinned")
        STOCK_RETURNED = "stock_returned", _("Live stock returned")
        NOTES = "notes", _("Notes updated")

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="events",
                                  verbose_name=_("broadcast"))
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    date = models.DateTimeField(_("date"), default=timezone.now)
    user = models.ForeignKey("shop.User", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("by"))
    message = models.CharField(_("reason"), max_length=255, blank=True)
    parameters = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("broadcast event")
        verbose_name_plural = _("broadcast events")
        ordering = ["date", "pk"]


class LiveOffer(models.Model):
    """A cooperative's consent to have one of its variants sold live (供货意向): at no less
    than its minimum live price, at most so many units, in one broadcast or in any until a
    date. A host lines up another organisation's stock only under such an offer (operators
    decide for the pavilion)."""

    organization = models.ForeignKey("shop.Organization", on_delete=models.CASCADE,
                                     related_name="live_offers",
                                     verbose_name=_("organisation"))
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE,
                                related_name="+", verbose_name=_("variant"))
    broadcast = models.ForeignKey(Broadcast, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="offers", verbose_name=_("broadcast"),
                                  help_text=_("Empty: any broadcast."))
    min_live_price_amount = models.DecimalField(_("lowest live price"), **MONEY)
    max_quantity = models.PositiveIntegerField(_("most units"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey("shop.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("live selling offer")
        verbose_name_plural = _("live selling offers")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(min_live_price_amount__gte=0),
                                   name="live_offer_price_not_negative"),
            models.CheckConstraint(condition=Q(max_quantity__gte=1),
                                   name="live_offer_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.variant} ≥ {self.min_live_price_amount} × {self.max_quantity}"


class LineupItem(models.Model):
    """A variant a broadcast sells: its order, live price, live allocation (units taken
    from stock when set, returned when the broadcast ends), per-buyer limit and an
    optional flash sale (秒杀) window inside the broadcast."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="lineup",
                                  verbose_name=_("broadcast"))
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("variant"))
    position = models.PositiveIntegerField(_("position"), default=0)
    live_price_amount = models.DecimalField(_("live price"), **MONEY)
    regular_price_amount = models.DecimalField(_("regular price"), **MONEY)
    quantity_allocated = models.PositiveIntegerField(_("live allocation"), default=0)
    quantity_sold = models.PositiveIntegerField(_("sold live"), default=0)
    quantity_returned = models.PositiveIntegerField(_("returned to stock"), default=0)
    per_buyer_limit = models.PositiveIntegerField(_("limit per buyer"), null=True, blank=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    flash_sale_starts_at = models.DateTimeField(_("flash sale starts"), null=True, blank=True)
    flash_sale_ends_at = models.DateTimeField(_("flash sale ends"), null=True, blank=True)
    # The cooperative's consent this item is sold under (none for the host's own stock or
    # when an operator lined it up).
    offer = models.ForeignKey(LiveOffer, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="items", verbose_name=_("offer"))

    class Meta:
        verbose_name = _("line-up item")
        verbose_name_plural = _("line-up items")
        ordering = ["broadcast", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "variant"], name="unique_lineup_variant"),
            models.UniqueConstraint(fields=["broadcast"], condition=Q(is_pinned=True),
                                    name="one_pinned_item_per_broadcast"),
            models.CheckConstraint(
                condition=Q(quantity_sold__lte=F("quantity_allocated")),
                name="lineup_sold_within_allocation"),
            models.CheckConstraint(
                condition=Q(live_price_amount__gte=0)
                & Q(live_price_amount__lte=F("regular_price_amount")),
                name="lineup_live_price_not_above_regular"),
            models.CheckConstraint(
                condition=Q(flash_sale_starts_at__isnull=True)
                | Q(flash_sale_ends_at__gt=F("flash_sale_starts_at")),
                name="lineup_flash_sale_ends_after_start"),
        ]

    @property
    def quantity_remaining(self) -> int:
        return max(self.quantity_allocated - self.quantity_sold - self.quantity_returned, 0)

    @property
    def is_flash_sale(self) -> bool:
        return self.flash_sale_starts_at is not None


class LiveStockReservation(models.Model):
    """Units of one stock row held for a line-up item (they count in the row's
    ``quantity_allocated``); ``quantity`` is what is still held and unsold."""

    item = models.ForeignKey(LineupItem, on_delete=models.CASCADE, related_name="reservations")
    stock = models.ForeignKey("shop.Stock", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["stock_id"]
        constraints = [models.UniqueConstraint(fields=["item", "stock"],
                                               name="unique_live_reservation")]


class LivePurchase(models.Model):
    """Units bought at the live price from the live allocation (one per order line)."""

    item = models.ForeignKey(LineupItem, on_delete=models.PROTECT, related_name="purchases")
    order_line = models.OneToOneField("shop.OrderLine", on_delete=models.CASCADE,
                                      related_name="live_purchase")
    buyer = models.CharField(max_length=254, db_index=True)
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["item", "buyer"])]


class Subscription(models.Model):
    """A shopper asked to be reminded before a broadcast starts."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE,
                                  related_name="subscriptions")
    user = models.ForeignKey("shop.User", on_delete=models.CASCADE,
                             related_name="broadcast_subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["broadcast", "user"],
                                               name="unique_broadcast_subscription")]


class Reminder(models.Model):
    """The one reminder sent for a subscription (the unique key makes sending idempotent),
    listed by ``myBroadcastReminders``; delivered through ``shop.notifications`` (``backend``
    names the backends it went through)."""

    subscription = models.OneToOneField(Subscription, on_delete=models.CASCADE,
                                        related_name="reminder", verbose_name=_("subscription"))
    user = models.ForeignKey("shop.User", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="reminders",
                                  verbose_name=_("broadcast"))
    subject = models.CharField(max_length=255, verbose_name=_("subject"))
    body = models.TextField(blank=True, verbose_name=_("message body"))
    backend = models.CharField(max_length=128, blank=True, verbose_name=_("sent through"))
    sent_at = models.DateTimeField(default=timezone.now, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("broadcast reminder")
        verbose_name_plural = _("broadcast reminders")
        ordering = ["-sent_at", "-pk"]


class CoverageAlert(models.Model):
    """A coming week (Monday, local time) without any broadcast in a county; one per
    county and week (``county`` empty: the platform as a whole, when no county is set up)."""

    week_start = models.DateField()
    county = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["week_start", "county"]
        constraints = [models.UniqueConstraint(fields=["week_start", "county"],
                                               name="coverage_alert_week_county")]
