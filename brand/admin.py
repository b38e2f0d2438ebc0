"""The Django admin of the brand app (Chinese through the translation catalogue). Decisions
go through ``brand.services`` (GraphQL) so that every one is recorded with who and why; the
admin shows the records and their histories and lets staff keep brands and standards."""

from django.contrib import admin

from . import models


class BrandCategoryInline(admin.TabularInline):
    model = models.BrandCategory
    extra = 0
    autocomplete_fields = ["category"]


@admin.register(models.RegionalBrand)
class RegionalBrandAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "county", "authority", "trademark_number", "is_active"]
    search_fields = ["name", "county", "trademark_number"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BrandCategoryInline]


class ApplicationDocumentInline(admin.TabularInline):
    model = models.ApplicationDocument
    extra = 0


class ApplicationEventInline(admin.TabularInline):
    model = models.ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["type", "date", "user", "message", "parameters"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.LicenceApplication)
class LicenceApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "brand", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "brand"]
    search_fields = ["applicant__name"]
    readonly_fields = ["status", "decided_by", "decided_at", "submitted_at", "created_by"]
    inlines = [ApplicationDocumentInline, ApplicationEventInline]


class LicenceEventInline(admin.TabularInline):
    model = models.LicenceEvent
    extra = 0
    can_delete = False
    readonly_fields = ["type", "date", "user", "message", "parameters"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["number", "licensee", "brand", "status", "valid_from", "valid_until",
                    "annual_label_quota"]
    list_filter = ["status", "brand"]
    search_fields = ["number", "licensee__name"]
    readonly_fields = ["number", "status", "status_reason", "status_changed_at", "granted_by",
                       "granted_at", "application"]
    inlines = [LicenceEventInline]


class ObjectionInline(admin.TabularInline):
    model = models.Objection
    extra = 0
    readonly_fields = ["name", "contact", "reason", "lodged_at", "status", "resolution",
                       "resolved_by", "resolved_at"]


@admin.register(models.PublicNotice)
class PublicNoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "ends_at"]
    list_filter = ["kind", "status", "brand"]
    inlines = [ObjectionInline]


@admin.register(models.Violation)
class ViolationAdmin(admin.ModelAdmin):
    list_display = ["licence", "source", "action", "found_on", "recorded_by"]
    list_filter = ["source", "action"]


@admin.register(models.UsageReport)
class UsageReportAdmin(admin.ModelAdmin):
    list_display = ["licence", "year", "volume_sold_kg", "sales_amount", "codes_used"]


@admin.register(models.LabelUse)
class LabelUseAdmin(admin.ModelAdmin):
    list_display = ["licence", "product", "year", "count", "reference", "created_at"]
    search_fields = ["reference", "licence__number"]
