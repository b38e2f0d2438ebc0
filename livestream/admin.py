"""The Django admin of the live broadcasts. Bookings (host, venue, times), statuses and
line-ups change only through ``livestream.services`` (overlaps, host eligibility, stock and
history are checked there); a link typed here is checked by the same cleaner as the API's."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shop.admin_tools import ServiceCleanedForm, WorkflowAdmin, run_service
from shop.uploads import clean_url

from . import services
from .error_codes import LivestreamErrorCode
from .models import (
    Broadcast,
    BroadcastEvent,
    Host,
    LineupItem,
    LiveOffer,
    Reminder,
    Venue,
    WeeklySchedule,
)


def _clean_stream_url(value):
    return clean_url(value, "stream_url", LivestreamErrorCode.INVALID)


class StreamLinkForm(ServiceCleanedForm):
    stream_url = forms.URLField(label=_("stream link"), required=False, assume_scheme="https")
    service_cleaners = {"stream_url": _clean_stream_url}


@admin.register(Host)
class HostAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "organization", "real_name_verified", "is_active"]
    list_filter = ["real_name_verified", "is_active"]
    search_fields = ["display_name", "user__email"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "address", "is_active"]
    list_filter = ["kind"]


@admin.register(WeeklySchedule)
class WeeklyScheduleAdmin(WorkflowAdmin):
    form = StreamLinkForm
    list_display = ["title", "host", "venue", "weekday", "start_time", "duration_minutes",
                    "is_active"]
    workflow_fields = ("host", "venue", "weekday", "start_time", "duration_minutes",
                       "timezone", "starts_on", "ends_on", "created_by")


class LineupItemInline(admin.TabularInline):
    model = LineupItem
    extra = 0
    fields = ["position", "variant", "live_price_amount", "regular_price_amount",
              "quantity_allocated", "quantity_sold", "quantity_returned", "per_buyer_limit",
              "is_pinned", "flash_sale_starts_at", "flash_sale_ends_at", "offer"]
    readonly_fields = fields  # changed only through the services (stock moves with them)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class BroadcastEventInline(admin.TabularInline):
    model = BroadcastEvent
    extra = 0
    readonly_fields = ["type", "date", "user", "message"]
    fields = readonly_fields
    can_delete = False


@admin.register(Broadcast)
class BroadcastAdmin(WorkflowAdmin):
    form = StreamLinkForm
    list_display = ["title", "host", "venue", "starts_at", "status", "platform"]
    list_filter = ["status", "platform", "venue__kind"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    workflow_fields = ("status", "started_at", "ended_at", "host", "venue", "schedule",
                       "channel", "starts_at", "ends_at", "viewer_count", "created_by")
    inlines = [LineupItemInline, BroadcastEventInline]
    actions = ["cancel"]

    @admin.action(description=_("Cancel the selected broadcasts"))
    def cancel(self, request, queryset):
        run_service(self, request, queryset,
                    lambda b, user: services.cancel_broadcast(b, actor=user,
                                                              reason=_("Cancelled by staff.")),
                    _("%(count)s broadcasts cancelled."))


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "broadcast", "sent_at", "backend"]


@admin.register(LiveOffer)
class LiveOfferAdmin(WorkflowAdmin):
    """Offers are the cooperatives' own consent: published by them, withdrawn by them or
    here, never rewritten."""

    list_display = ["variant", "organization", "broadcast", "min_live_price_amount",
                    "max_quantity", "valid_until", "is_active"]
    list_filter = ["is_active", "organization"]
    workflow_fields = ("organization", "variant", "broadcast", "min_live_price_amount",
                       "max_quantity", "valid_until", "is_active", "created_by")
    actions = ["withdraw"]

    @admin.action(description=_("Withdraw the selected offers"))
    def withdraw(self, request, queryset):
        run_service(self, request, queryset,
                    lambda offer, user: services.withdraw_offer(offer, actor=user),
                    _("%(count)s offers withdrawn."))
