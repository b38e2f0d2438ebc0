"""The Django admin of the brand app (Chinese through the translation catalogue). Decisions
go through ``brand.services`` (GraphQL, the workbench, or an action here calling the same
service with the same checks) so that every one is recorded with who and why: applications,
notices, licences and their records are read-only here; staff keep brands and standards."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shop.admin_tools import ReadOnlyInline, WorkflowAdmin, all_fields, run_service

from . import models, services


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


class ApplicationDocumentInline(ReadOnlyInline):
    """Uploaded through the service, which checks the file's type; downloaded through the
    document view."""

    model = models.ApplicationDocument
    fields = ["kind", "title", "number", "issued_on", "valid_until", "uploaded_by",
              "uploaded_at"]


class ApplicationQuestionInline(ReadOnlyInline):
    """Asked, answered or withdrawn through the services (the workbench or the API)."""

    model = models.ApplicationQuestion
    fields = ["question", "asked_by", "asked_at", "answer", "answered_by", "answered_at",
              "document", "withdrawn_at", "withdrawn_by", "withdrawal_reason"]


class ApplicationEventInline(admin.TabularInline):
    model = models.ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["type", "date", "user", "message", "parameters"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.LicenceApplication)
class LicenceApplicationAdmin(WorkflowAdmin):
    list_display = ["applicant", "brand", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "brand"]
    search_fields = ["applicant__name"]
    workflow_fields = all_fields(models.LicenceApplication)
    inlines = [ApplicationDocumentInline, ApplicationQuestionInline, ApplicationEventInline]
    actions = ["grant"]

    @admin.action(description=_("Grant the licence (public notice ended, no open objection)"))
    def grant(self, request, queryset):
        run_service(self, request, queryset,
                    lambda application, user: services.grant_licence(application, user),
                    _("%(count)s licences granted."))


class LicenceEventInline(admin.TabularInline):
    model = models.LicenceEvent
    extra = 0
    can_delete = False
    readonly_fields = ["type", "date", "user", "message", "parameters"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Licence)
class LicenceAdmin(WorkflowAdmin):
    list_display = ["number", "licensee", "brand", "status", "valid_from", "valid_until",
                    "annual_label_quota"]
    list_filter = ["status", "brand"]
    search_fields = ["number", "licensee__name"]
    workflow_fields = all_fields(models.Licence)
    inlines = [LicenceEventInline]


class ObjectionInline(ReadOnlyInline):
    model = models.Objection
    fields = ["name", "contact", "reason", "lodged_at", "status", "resolution",
              "resolved_by", "resolved_at"]


@admin.register(models.PublicNotice)
class PublicNoticeAdmin(WorkflowAdmin):
    """A notice's period is the rule itself (at least the brand's notice days): it is set
    by the approval and closed by the grant, never edited."""

    list_display = ["title", "kind", "status", "starts_at", "ends_at"]
    list_filter = ["kind", "status", "brand"]
    workflow_fields = all_fields(models.PublicNotice)
    inlines = [ObjectionInline]


@admin.register(models.Violation)
class ViolationAdmin(WorkflowAdmin):
    list_display = ["licence", "source", "action", "found_on", "recorded_by"]
    list_filter = ["source", "action"]
    workflow_fields = all_fields(models.Violation)


@admin.register(models.UsageReport)
class UsageReportAdmin(WorkflowAdmin):
    list_display = ["licence", "year", "volume_sold_kg", "sales_amount", "codes_used"]
    workflow_fields = all_fields(models.UsageReport)


@admin.register(models.LabelUse)
class LabelUseAdmin(WorkflowAdmin):
    list_display = ["licence", "product", "year", "count", "reference", "created_at"]
    search_fields = ["reference", "licence__number"]
    workflow_fields = all_fields(models.LabelUse)
