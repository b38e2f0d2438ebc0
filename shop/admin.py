from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_tools import WorkflowAdmin, all_fields
from .models import (
    Channel,
    Fulfillment,
    Membership,
    Notification,
    Order,
    OrderEvent,
    OrderLine,
    Organization,
    Payment,
    PaymentNotice,
    Refund,
    ShippingMethod,
    ShippingRate,
    ShippingZone,
    Stock,
    User,
    Warehouse,
)
from .pickup import PickupNotice, PickupPoint
from .services.payments import configuration_problems
from .services.pickup import save_pickup_point
from .vouchers import Voucher, VoucherCustomer


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "verified_phone", "last_name", "first_name", "is_staff",
                    "is_active", "date_joined"]
    search_fields = ["email", "verified_phone", "first_name", "last_name", "phone"]
    # A number is proved by a texted code only (shop.services.phone_accounts).
    readonly_fields = ["verified_phone"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    fieldsets = (
        (None, {"fields": ("email", "verified_phone", "password")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "phone", "language_code")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups",
                                       "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",),
                             "fields": ("email", "password1", "password2")}),)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "county", "contact_name", "contact_phone", "is_active"]
    list_filter = ["kind", "county", "is_active"]
    search_fields = ["name", "slug", "county"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "currency_code", "is_active"]


class StockInline(admin.TabularInline):
    model = Stock
    extra = 0
    readonly_fields = ["product_variant", "quantity", "quantity_allocated"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "address"]
    list_filter = ["organization"]
    search_fields = ["name", "organization__name"]
    filter_horizontal = ["channels"]
    inlines = [StockInline]


# Checkout, orders and payments -------------------------------------------------------


class ShippingRateInline(admin.TabularInline):
    model = ShippingRate
    extra = 0


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = ["name", "carrier", "channel", "free_shipping_threshold", "is_active"]
    list_filter = ["channel", "is_active"]
    inlines = [ShippingRateInline]


@admin.register(ShippingZone)
class ShippingZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "channel", "is_default"]


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    """自提 points: saved through the service, which keeps their free shipping method."""

    list_display = ["warehouse", "address", "opening_hours", "phone"]
    fields = ["warehouse", "address", "opening_hours", "phone"]

    def get_readonly_fields(self, request, obj=None):
        return ["warehouse"] if obj else []

    def save_model(self, request, obj, form, change):
        point = save_pickup_point(obj.warehouse, address=obj.address,
                                  opening_hours=obj.opening_hours, phone=obj.phone)
        obj.pk, obj.method_id = point.pk, point.method_id


@admin.register(PickupNotice)
class PickupNoticeAdmin(WorkflowAdmin):
    list_display = ["order", "point", "ready_at", "ready_by"]
    workflow_fields = all_fields(PickupNotice)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ["product_name", "variant_name", "product_sku", "organization", "quantity",
              "quantity_fulfilled", "unit_price_amount", "total_price_amount"]
    readonly_fields = fields


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ["date", "type", "user", "message"]
    readonly_fields = fields


class PaymentSetupWarnings:
    """The lists where operators watch payments say what keeps Alipay from taking them
    (shoppers only read that Alipay cannot be used for now)."""

    def changelist_view(self, request, extra_context=None):
        for problem in configuration_problems():
            self.message_user(request, problem, messages.WARNING)
        return super().changelist_view(request, extra_context)


@admin.register(Order)
class OrderAdmin(PaymentSetupWarnings, admin.ModelAdmin):
    """Read-mostly: state changes go through the services (the API), so that stock and
    the history stay right."""

    list_display = ["number", "user_email", "status", "total_amount", "created_at", "paid_at"]
    list_filter = ["status", "channel"]
    search_fields = ["number", "user_email"]
    readonly_fields = [f.name for f in Order._meta.fields]
    inlines = [OrderLineInline, OrderEventInline]

    def has_add_permission(self, request):
        return False


@admin.register(Payment)
class PaymentAdmin(PaymentSetupWarnings, admin.ModelAdmin):
    list_display = ["out_trade_no", "order", "gateway", "status", "amount", "charged_amount",
                    "refunded_amount", "created_at"]
    list_filter = ["gateway", "status"]
    search_fields = ["out_trade_no", "psp_reference"]
    readonly_fields = [f.name for f in Payment._meta.fields]


@admin.register(PaymentNotice)
class PaymentNoticeAdmin(admin.ModelAdmin):
    list_display = ["received_at", "out_trade_no", "outcome", "reason"]
    list_filter = ["outcome", "reason"]
    search_fields = ["out_trade_no", "notify_id"]
    readonly_fields = [f.name for f in PaymentNotice._meta.fields]


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["out_request_no", "order", "amount", "status", "created_by", "created_at"]
    readonly_fields = [f.name for f in Refund._meta.fields]


@admin.register(Fulfillment)
class FulfillmentAdmin(WorkflowAdmin):
    """Shipments are made (and their codes recorded) by the fulfilment service."""

    list_display = ["order", "organization", "carrier", "tracking_number", "status", "created_at"]
    search_fields = ["tracking_number", "order__number"]
    workflow_fields = all_fields(Fulfillment)


# Notifications ---------------------------------------------------------------------------


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "organization", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["subject", "reference", "user__email", "organization__name"]


class VoucherCustomerInline(admin.TabularInline):
    model = VoucherCustomer
    extra = 0
    readonly_fields = ["customer_email", "order", "used_at"]
    can_delete = False


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    """Promo codes announced in broadcasts and festivals; the rules are checked when a
    buyer adds a code and again when the order is placed."""

    list_display = ["code", "name", "discount_type", "discount_value", "min_spent_amount",
                    "start_date", "end_date", "apply_once_per_customer", "used", "is_active"]
    list_filter = ["is_active", "discount_type", "apply_once_per_customer"]
    search_fields = ["code", "name"]
    readonly_fields = ["used"]
    inlines = [VoucherCustomerInline]
