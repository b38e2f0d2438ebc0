"""The admin for pages, menus and every translation record (inline on what it translates
for the content app's own models, and on its own list for the catalogue's)."""

from django.contrib import admin

from . import models


class PageTranslationInline(admin.StackedInline):
    model = models.PageTranslation
    extra = 0


class MenuItemTranslationInline(admin.TabularInline):
    model = models.MenuItemTranslation
    extra = 0


@admin.register(models.PageType)
class PageTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "page_type", "is_published"]
    list_filter = ["page_type", "is_published"]
    search_fields = ["title", "slug"]
    inlines = [PageTranslationInline]


class MenuItemInline(admin.TabularInline):
    model = models.MenuItem
    extra = 0
    fields = ["name", "parent", "sort_order", "url", "category", "collection", "page"]


@admin.register(models.Menu)
class MenuAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    inlines = [MenuItemInline]


@admin.register(models.MenuItem)
class MenuItemAdmin(admin.ModelAdmin):
    list_display = ["name", "menu", "parent", "sort_order"]
    list_filter = ["menu"]
    inlines = [MenuItemTranslationInline]


@admin.register(models.ProductTranslation, models.ProductVariantTranslation,
                models.CategoryTranslation, models.CollectionTranslation,
                models.AttributeTranslation, models.AttributeValueTranslation)
class CatalogueTranslationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "language_code"]
    list_filter = ["language_code"]
    search_fields = ["name"]
