from django.contrib import admin

from . import models


@admin.register(models.CountyOfficial)
class CountyOfficialAdmin(admin.ModelAdmin):
    list_display = ["user", "pavilion", "title", "is_active", "created_at"]
    list_filter = ["pavilion", "is_active"]
    search_fields = ["user__email", "user__last_name", "title"]
    raw_id_fields = ["user"]


@admin.register(models.Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["start", "kind", "pavilion", "prepared_at"]
    list_filter = ["kind", "pavilion"]
    date_hierarchy = "start"


class RollupAdmin(admin.ModelAdmin):
    """Rollups are derived from the raw records: read-only here."""

    date_hierarchy = "day"
    list_filter = ["pavilion"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.SalesDaily)
class SalesDailyAdmin(RollupAdmin):
    list_display = ["day", "pavilion", "source", "organization", "product", "orders", "units",
                    "amount"]
    list_filter = ["pavilion", "source"]


@admin.register(models.OrderDaily)
class OrderDailyAdmin(RollupAdmin):
    list_display = ["day", "pavilion", "province", "orders", "amount", "refunded_amount",
                    "cancelled_orders"]


@admin.register(models.TraceDaily)
class TraceDailyAdmin(RollupAdmin):
    list_display = ["day", "pavilion", "product", "grade", "codes_issued", "codes_shipped",
                    "scans", "first_scans", "flagged_scans"]


@admin.register(models.HouseholdDaily)
class HouseholdDailyAdmin(RollupAdmin):
    list_display = ["day", "pavilion", "household", "is_poverty_registered", "lots",
                    "quantity_kg", "amount"]
