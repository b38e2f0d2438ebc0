from django.contrib import admin

from .models import Broadcast, BroadcastEvent, Host, LineupItem, Reminder, Venue, WeeklySchedule


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
class WeeklyScheduleAdmin(admin.ModelAdmin):
    list_display = ["title", "host", "venue", "weekday", "start_time", "duration_minutes",
                    "is_active"]


class LineupItemInline(admin.TabularInline):
    model = LineupItem
    extra = 0
    fields = ["position", "variant", "live_price_amount", "regular_price_amount",
              "quantity_allocated", "quantity_sold", "quantity_returned", "per_buyer_limit",
              "is_pinned", "flash_sale_starts_at", "flash_sale_ends_at"]
    readonly_fields = fields  # changed only through the services (stock moves with them)
    can_delete = False


class BroadcastEventInline(admin.TabularInline):
    model = BroadcastEvent
    extra = 0
    readonly_fields = ["type", "date", "user", "message"]
    fields = readonly_fields
    can_delete = False


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["title", "host", "venue", "starts_at", "status", "platform"]
    list_filter = ["status", "platform", "venue__kind"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "started_at", "ended_at"]
    inlines = [LineupItemInline, BroadcastEventInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "broadcast", "sent_at", "backend"]
