from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Channel, Membership, Organization, Stock, User, Warehouse


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "last_name", "first_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
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
