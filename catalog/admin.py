from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shop.admin_tools import ReadOnlyInline, run_service

from . import models
from .traced import set_traced


class ProductVariantInline(admin.TabularInline):
    model = models.ProductVariant
    extra = 0
    fields = ["sku", "name", "gtin", "weight", "track_inventory", "quantity_limit_per_customer"]


class ProductChannelListingInline(admin.TabularInline):
    model = models.ProductChannelListing
    extra = 0
    readonly_fields = ["discounted_price_amount"]


class ProductMediaInline(ReadOnlyInline):
    """Images are uploaded through the API, which checks each one (type, size, pixels)."""

    model = models.ProductMedia
    fields = ["image", "alt", "sort_order", "width", "height"]


@admin.register(models.Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "pavilion", "category", "product_type", "updated_at"]
    list_filter = ["pavilion", "category", "product_type", "organization"]
    search_fields = ["name", "slug", "variants__sku"]
    autocomplete_fields = ["category", "organization"]
    inlines = [ProductVariantInline, ProductChannelListingInline, ProductMediaInline]
    # Tracing is switched by the actions below, through the service that keeps
    # brand-labelled products traced, never by ticking the box.
    readonly_fields = ["is_traced"]
    actions = ["trace", "untrace"]

    @admin.action(description=_("Trace the selected products (one code per item)"))
    def trace(self, request, queryset):
        run_service(self, request, queryset, lambda product, _user: set_traced(product, True),
                    _("%(count)s products are now traced."))

    @admin.action(description=_("Stop tracing the selected products"))
    def untrace(self, request, queryset):
        run_service(self, request, queryset, lambda product, _user: set_traced(product, False),
                    _("%(count)s products are no longer traced."))


@admin.register(models.ProductVariant)
class ProductVariantAdmin(admin.ModelAdmin):
    list_display = ["sku", "product", "name", "weight"]
    search_fields = ["sku", "name", "product__name"]


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "level", "sort_order"]
    search_fields = ["name", "slug"]
    list_filter = ["level"]


class AttributeValueInline(admin.TabularInline):
    model = models.AttributeValue
    extra = 0


@admin.register(models.Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "unit", "sort_order"]
    inlines = [AttributeValueInline]


@admin.register(models.ProductType)
class ProductTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "has_variants"]
    filter_horizontal = ["product_attributes", "variant_attributes"]


@admin.register(models.Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(models.Pavilion)
class PavilionAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "province", "regional_brand_name", "is_published"]
    filter_horizontal = ["featured_collections"]
