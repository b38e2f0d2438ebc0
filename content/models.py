"""The pavilion's own content and every per-language translation (Saleor's model).

``Page`` holds the story pages (the brand story, a 产地 story), ``Menu``/``MenuItem`` the
navigation (an item points at a category, a collection, a page or a plain URL, and may hold
items of its own). Every translatable thing — these and the catalogue's products, variants,
categories, collections, attributes and attribute values — has one translation record per
language, as in Saleor: the original text stays on the object (in Chinese), a record for
``en`` or ``bo`` overrides name, slug, description and SEO where it says something."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Saleor's language codes for the languages the pavilion translates into; the API's
# LanguageCodeEnum names them in upper case with "-" as "_" (ZH_HANS, EN, BO).
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
    ("bo", _("Tibetan")),
]


class PageType(models.Model):
    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=128, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("page type")
        verbose_name_plural = _("page types")
        ordering = ["slug"]

    def __str__(self):
        return self.name


class Page(models.Model):
    page_type = models.ForeignKey(PageType, on_delete=models.PROTECT, related_name="pages",
                                  verbose_name=_("page type"))
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    content = models.TextField(_("content"), blank=True,
                               help_text=_("Plain text; blank lines separate paragraphs."))
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["slug"]

    def __str__(self):
        return self.title


class Menu(models.Model):
    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        ordering = ["slug"]

    def __str__(self):
        return self.name


class MenuItem(models.Model):
    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="items",
                             verbose_name=_("menu"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children", verbose_name=_("parent item"))
    name = models.CharField(_("name"), max_length=128)
    sort_order = models.IntegerField(_("order"), default=0)
    url = models.URLField(_("link"), max_length=256, blank=True)
    category = models.ForeignKey("catalog.Category", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("category"))
    collection = models.ForeignKey("catalog.Collection", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("collection"))
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("page"))

    class Meta:
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class Translation(models.Model):
    """The fields every translation record has; each concrete one names what it translates."""

    language_code = models.CharField(_("language"), max_length=35, choices=LANGUAGES)
    name = models.CharField(_("name"), max_length=250, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.language_code}: {self.name}"


class SeoTranslation(Translation):
    slug = models.SlugField(_("slug"), max_length=255, blank=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)

    class Meta:
        abstract = True


def _translation_meta(target, verbose):
    """Meta options shared by the records: one per object and language, found by either."""
    return type("Meta", (), {
        "verbose_name": verbose,
        "verbose_name_plural": verbose,
        "ordering": ["language_code"],
        "constraints": [models.UniqueConstraint(
            fields=[target, "language_code"], name=f"unique_{target}_translation")],
    })


class ProductTranslation(SeoTranslation):
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE,
                                related_name="translations", verbose_name=_("product"))
    Meta = _translation_meta("product", _("product translation"))


class ProductVariantTranslation(Translation):
    product_variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE,
                                        related_name="translations", verbose_name=_("variant"))
    Meta = _translation_meta("product_variant", _("variant translation"))


class CategoryTranslation(SeoTranslation):
    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE,
                                 related_name="translations", verbose_name=_("category"))
    Meta = _translation_meta("category", _("category translation"))


class CollectionTranslation(SeoTranslation):
    collection = models.ForeignKey("catalog.Collection", on_delete=models.CASCADE,
                                   related_name="translations", verbose_name=_("collection"))
    Meta = _translation_meta("collection", _("collection translation"))


class AttributeTranslation(Translation):
    attribute = models.ForeignKey("catalog.Attribute", on_delete=models.CASCADE,
                                  related_name="translations", verbose_name=_("attribute"))
    Meta = _translation_meta("attribute", _("attribute translation"))


class AttributeValueTranslation(Translation):
    attribute_value = models.ForeignKey("catalog.AttributeValue", on_delete=models.CASCADE,
                                        related_name="translations",
                                        verbose_name=_("attribute value"))
    rich_text = models.TextField(_("text"), blank=True)
    Meta = _translation_meta("attribute_value", _("attribute value translation"))


class PageTranslation(Translation):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="translations",
                             verbose_name=_("page"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, blank=True, allow_unicode=True)
    content = models.TextField(_("content"), blank=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)
    Meta = _translation_meta("page", _("page translation"))


class MenuItemTranslation(Translation):
    menu_item = models.ForeignKey(MenuItem, on_delete=models.CASCADE,
                                  related_name="translations", verbose_name=_("menu item"))
    Meta = _translation_meta("menu_item", _("menu item translation"))


class PavilionTranslation(Translation):
    """A pavilion's name, slogan and story in another language (泽库's in Tibetan)."""

    pavilion = models.ForeignKey("catalog.Pavilion", on_delete=models.CASCADE,
                                 related_name="translations")
    slogan = models.CharField(_("slogan"), max_length=255, blank=True)
    story = models.TextField(_("story"), blank=True)
    Meta = _translation_meta("pavilion", _("pavilion translation"))


class BaseTranslation(Translation):
    """A production base's name and place in another language, for the trace page."""

    base = models.ForeignKey("supplychain.Base", on_delete=models.CASCADE,
                             related_name="translations")
    location = models.CharField(_("location"), max_length=255, blank=True)
    Meta = _translation_meta("base", _("base translation"))


TRANSLATABLE = {
    "catalog.Product": ProductTranslation,
    "catalog.ProductVariant": ProductVariantTranslation,
    "catalog.Category": CategoryTranslation,
    "catalog.Collection": CollectionTranslation,
    "catalog.Attribute": AttributeTranslation,
    "catalog.AttributeValue": AttributeValueTranslation,
    "content.Page": PageTranslation,
    "content.MenuItem": MenuItemTranslation,
    "catalog.Pavilion": PavilionTranslation,
    "supplychain.Base": BaseTranslation,
}
