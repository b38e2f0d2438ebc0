"""Django admin of the supply chain (labels in Chinese through the translation catalogue).
Codes, events and scans are read-only here: they change only through the services."""

from django.contrib import admin

from shop.admin_tools import ReadOnlyInline

from . import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.ProducerProfile)
class ProducerProfileAdmin(admin.ModelAdmin):
    list_display = ["organization", "credit_code", "legal_representative", "production_licence"]
    search_fields = ["organization__name", "credit_code"]


@admin.register(models.Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["head_name", "village", "township", "id_number_masked",
                    "is_poverty_registered", "organization"]
    list_filter = ["is_poverty_registered", "organization"]
    search_fields = ["head_name", "village", "id_number_last4"]
    readonly_fields = ["id_number_masked", "id_number_last4"]


class CertificationInline(admin.TabularInline):
    model = models.Certification
    extra = 0


@admin.register(models.Base)
class BaseAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "area_mu", "organization"]
    inlines = [CertificationInline]


class InspectionInline(ReadOnlyInline):
    """Recorded (with the report's type checked) by the sourcing service."""

    model = models.Inspection
    fields = ["lab", "result", "inspected_on", "created_by"]


@admin.register(models.SourcingLot)
class SourcingLotAdmin(ReadOnlyAdmin):
    list_display = ["lot_number", "product", "household", "base", "harvested_on",
                    "quantity_kg", "unit_price", "amount", "organization"]
    list_filter = ["organization", "harvested_on"]
    search_fields = ["lot_number", "household__head_name"]
    inlines = [InspectionInline]


@admin.register(models.GradeStandard)
class GradeStandardAdmin(admin.ModelAdmin):
    list_display = ["product", "name", "rank"]


@admin.register(models.GradedLot)
class GradedLotAdmin(ReadOnlyAdmin):
    list_display = ["lot_number", "grade", "quantity_kg", "is_recalled", "organization"]
    list_filter = ["is_recalled", "organization"]


@admin.register(models.PackingRun)
class PackingRunAdmin(ReadOnlyAdmin):
    list_display = ["graded_lot", "variant", "warehouse", "quantity", "net_weight_kg",
                    "packed_at", "label_status"]
    list_filter = ["label_status", "organization"]


@admin.register(models.TraceCode)
class TraceCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "packing_run", "serial", "disposition", "scan_count",
                    "first_scanned_at"]
    list_filter = ["disposition"]
    search_fields = ["code"]


@admin.register(models.TraceEvent)
class TraceEventAdmin(ReadOnlyAdmin):
    list_display = ["event_time", "biz_step", "disposition", "location", "reason", "actor",
                    "organization"]
    list_filter = ["biz_step", "disposition"]


@admin.register(models.Scan)
class ScanAdmin(ReadOnlyAdmin):
    list_display = ["scanned_at", "code_text", "source", "network", "never_issued",
                    "before_shipping", "too_many"]
    list_filter = ["is_flagged", "never_issued", "before_shipping", "too_many", "source"]
    search_fields = ["code_text"]


@admin.register(models.InboundSms)
class InboundSmsAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "__str__", "status", "trace_code", "reply"]
    list_filter = ["status"]
    search_fields = ["content", "phone"]


@admin.register(models.Recall)
class RecallAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "level", "reason", "affected_codes", "withdrawn_units",
                    "initiated_by", "organization"]
    list_filter = ["level"]


# The farm-to-package records are made through supplychain.services.chain (the withdrawal
# check, the logger CSV's parsing and flagged spans): read-only here.

@admin.register(models.FarmInput)
class FarmInputAdmin(ReadOnlyAdmin):
    list_display = ["applied_on", "kind", "name", "batch_number", "withdrawal_days",
                    "sourcing_lot"]
    list_filter = ["kind"]
    search_fields = ["name", "batch_number", "sourcing_lot__lot_number"]


@admin.register(models.ProcessingStep)
class ProcessingStepAdmin(ReadOnlyAdmin):
    list_display = ["performed_at", "kind", "location", "certificate", "sourcing_lot"]
    list_filter = ["kind"]


@admin.register(models.ColdChainLog)
class ColdChainLogAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "ended_at", "device", "reading_count", "lowest", "highest",
                    "min_celsius", "max_celsius", "sourcing_lot", "packing_run"]
    search_fields = ["device"]
