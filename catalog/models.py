"""The pavilion catalogue: Saleor's concepts (categories, product types with attributes,
products, variants, per-channel listings, collections, media) with the county's content
(pavilions, organisations that sell)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class Category(models.Model):
    """A node of the category tree (蔬果, 粮油 > 小米 ...)."""

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=128, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
    )
    level = models.PositiveSmallIntegerField(_("level"), default=0, editable=False)
    sort_order = models.IntegerField(_("sort order"), default=0)
    background_image = models.ImageField(
        _("background image"), upload_to="category-backgrounds", blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["level", "sort_order", "slug"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.level = self.parent.level + 1 if self.parent_id else 0
        super().save(*args, **kwargs)


class Attribute(models.Model):
    """A product property shown to shoppers: grade 等级, net weight 净含量, origin 产地 ..."""

    name = models.CharField(_("name"), max_length=64)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["sort_order", "slug"]

    def __str__(self):
        return self.name


class AttributeValue(models.Model):
    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="values", verbose_name=_("attribute")
    )
    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=140, allow_unicode=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        ordering = ["attribute_id", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "slug"], name="unique_attribute_value")
        ]

    def __str__(self):
        return self.name


class ProductType(models.Model):
    """Which attributes a kind of product carries, on the product and on its variants."""

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=128, unique=True, allow_unicode=True)
    has_variants = models.BooleanField(_("has variants"), default=True)
    is_shipping_required = models.BooleanField(_("shipping required"), default=True)
    weight = models.DecimalField(_("default weight (kg)"), max_digits=8, decimal_places=3,
                                 null=True, blank=True)
    product_attributes = models.ManyToManyField(
        Attribute, blank=True, related_name="product_types", verbose_name=_("product attributes")
    )
    variant_attributes = models.ManyToManyField(
        Attribute,
        blank=True,
        related_name="variant_product_types",
        verbose_name=_("variant attributes"),
    )

    class Meta:
        verbose_name = _("product type")
        verbose_name_plural = _("product types")
        ordering = ["slug"]

    def __str__(self):
        return self.name


class Pavilion(models.Model):
    """特色馆: one county's storefront under its regional public brand."""

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    county = models.CharField(_("county"), max_length=64)
    province = models.CharField(_("province"), max_length=64, blank=True)
    city = models.CharField(_("city"), max_length=64, blank=True)
    regional_brand_name = models.CharField(_("regional brand"), max_length=128, blank=True)
    slogan = models.CharField(_("slogan"), max_length=255, blank=True)
    story = models.TextField(_("story"), blank=True)
    banner = models.ImageField(_("banner"), upload_to="pavilion-banners", blank=True)
    featured_collections = models.ManyToManyField(
        "Collection", blank=True, related_name="featured_in", verbose_name=_("featured collections")
    )
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("pavilion")
        verbose_name_plural = _("pavilions")
        ordering = ["sort_order", "slug"]

    def __str__(self):
        return self.name


class Product(models.Model):
    organization = models.ForeignKey(
        "shop.Organization",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("seller"),
    )
    pavilion = models.ForeignKey(
        Pavilion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
        verbose_name=_("pavilion"),
    )
    product_type = models.ForeignKey(
        ProductType, on_delete=models.PROTECT, related_name="products", verbose_name=_("product type")
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
        verbose_name=_("category"),
    )
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight (kg)"), max_digits=8, decimal_places=3, null=True,
                                 blank=True)
    rating = models.FloatField(_("rating"), null=True, blank=True)
    # 每物一码: a traced product's stock comes only from packing runs, one trace code per
    # package, and each unit ships with its code. Brand-labelled products are traced
    # whatever this says (catalog.services.is_traced).
    is_traced = models.BooleanField(
        _("traced (one code per item)"), default=False,
        help_text=_("Stock only from packing runs and one trace code shipped per unit."))
    # Text the database search backend matches against (name, category, county, attributes,
    # pinyin); kept up to date by catalog.services. Its index is ProductSearch.
    search_document = models.TextField(blank=True, default="", editable=False,
                                       verbose_name=_("search text"))
    # Set when the product changes; the search indexing task pushes dirty products to the
    # search backend (Elasticsearch) in batches and clears it (Saleor's search_index_dirty).
    search_index_dirty = models.BooleanField(default=False, editable=False, db_index=True,
                                             verbose_name=_("waiting for re-indexing"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["slug"]
        indexes = [
            models.Index(fields=["organization", "slug"]),
        ]

    def __str__(self):
        return self.name


class ProductSearch(models.Model):
    """The database search backend's index of one product, in a narrow table of its own:
    the weighted lexemes (CJK unigrams and bigrams, words, pinyin) built by
    catalog.search.analysis, GIN-indexed, and the name the ranking boosts (with the slug,
    the next key of the order a search is paged in). A common term matches thousands of
    products; reading their rows here (the vector kept out of line, see migration 0006)
    costs a fraction of reading the products' own wide rows."""

    product = models.OneToOneField(Product, primary_key=True, on_delete=models.CASCADE,
                                   related_name="search_entry", editable=False)
    name = models.CharField(max_length=250, editable=False)
    slug = models.CharField(max_length=255, editable=False, default="")
    vector = SearchVectorField(editable=False)
    # The channels whose listing of the product is published and visible in listings
    # (whatever its publication date), kept by database triggers on every write of a
    # listing however it is made (migration 0010), so that a search's count of what a
    # shopper sees reads this table alone (catalog.search.counting).
    listed = ArrayField(models.BigIntegerField(), default=list, editable=False)

    class Meta:
        indexes = [GinIndex(fields=["vector"], name="product_search_vector_gin")]


class ProductAttributeValue(models.Model):
    """The value a product has for one of its type's product attributes."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="attribute_values"
    )
    value = models.ForeignKey(AttributeValue, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["value__attribute__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "value"], name="unique_product_value")
        ]


class ListingQuerySet(models.QuerySet):
    def next_publication(self, moment):
        """The nearest moment after ``moment`` at which a listing is published or its
        sale opens (``None``: nothing is scheduled): what is visible changes then with
        no save to signal it. Read from the two dates' indexes: only listings scheduled
        after ``moment``."""
        later = {field: models.Q(**{f"{field}__gt": moment})
                 for field in ("published_at", "available_for_purchase_at")}
        found = self.filter(later["published_at"] | later["available_for_purchase_at"]).aggregate(
            **{field: models.Min(field, filter=q) for field, q in later.items()})
        return min((m for m in found.values() if m is not None), default=None)


class ProductChannelListing(models.Model):
    """Whether and how a product is offered in a channel."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="channel_listings",
                                verbose_name=_("product"))
    channel = models.ForeignKey("shop.Channel", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("channel"))
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    visible_in_listings = models.BooleanField(_("visible in listings"), default=True)
    available_for_purchase_at = models.DateTimeField(
        _("available for purchase from"), null=True, blank=True
    )
    # Lowest variant price in this channel: kept by catalog.services so that sorting and
    # filtering by price is one indexed column (Saleor's discounted_price_amount).
    discounted_price_amount = models.DecimalField(**MONEY, null=True, blank=True,
                                                  verbose_name=_("lowest variant price"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("product channel listing")
        verbose_name_plural = _("product channel listings")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "channel"], name="unique_product_channel")
        ]
        indexes = [models.Index(fields=["channel", "is_published", "discounted_price_amount"]),
                   models.Index(fields=["published_at"], name="listing_published_at"),
                   models.Index(fields=["available_for_purchase_at"], name="listing_on_sale_at")]


class ProductVariant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants",
                                verbose_name=_("product"))
    name = models.CharField(_("name"), max_length=255, blank=True)
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    weight = models.DecimalField(_("weight (kg)"), max_digits=8, decimal_places=3, null=True,
                                 blank=True)
    track_inventory = models.BooleanField(_("track inventory"), default=True)
    quantity_limit_per_customer = models.PositiveIntegerField(
        _("limit per customer"), null=True, blank=True
    )
    sort_order = models.IntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["sort_order", "sku"]

    def __str__(self):
        return f"{self.product.name} {self.name}".strip()


class VariantAttributeValue(models.Model):
    """The value a variant has for one of its type's variant attributes (grade, weight)."""

    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, related_name="attribute_values"
    )
    value = models.ForeignKey(AttributeValue, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["value__attribute__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "value"], name="unique_variant_value")
        ]


class ProductVariantChannelListing(models.Model):
    """A variant's price and cost price in one channel."""

    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, related_name="channel_listings"
    )
    channel = models.ForeignKey("shop.Channel", on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3, default="CNY")
    price_amount = models.DecimalField(
        _("price"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    cost_price_amount = models.DecimalField(
        _("cost price"), **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("variant price")
        verbose_name_plural = _("variant prices")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "channel"], name="unique_variant_channel"),
            models.CheckConstraint(condition=models.Q(price_amount__gte=0), name="price_not_negative"),
        ]


class Collection(models.Model):
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    background_image = models.ImageField(
        _("background image"), upload_to="collection-backgrounds", blank=True
    )
    products = models.ManyToManyField(
        Product, through="CollectionProduct", related_name="collections", blank=True,
        verbose_name=_("products"),
    )
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["slug"]

    def __str__(self):
        return self.name


class CollectionProduct(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "product"], name="unique_collection_product")
        ]


class CollectionChannelListing(models.Model):
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="channel_listings"
    )
    channel = models.ForeignKey("shop.Channel", on_delete=models.CASCADE, related_name="+")
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "channel"], name="unique_collection_channel")
        ]


class ProductMedia(models.Model):
    """An image of a product. Thumbnails are made from it with Pillow (see catalog.images)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="media",
                                verbose_name=_("product"))
    image = models.ImageField(_("image"), upload_to="products")
    alt = models.CharField(_("alternative text"), max_length=250, blank=True)
    width = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("width (px)"))
    height = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("height (px)"))
    sort_order = models.IntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["sort_order", "pk"]


class Thumbnail(models.Model):
    """A resized copy of a product image in one size and format, made once and kept."""

    media = models.ForeignKey(ProductMedia, on_delete=models.CASCADE, related_name="thumbnails")
    size = models.PositiveIntegerField()
    format = models.CharField(max_length=8)
    image = models.ImageField(upload_to="thumbnails")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["media", "size", "format"], name="unique_thumbnail")
        ]


class ProductModeration(models.Model):
    """The pavilion operators' takedowns (下架) of a product and their lifting, each with its
    reason: the product stays off sale while its latest entry is a takedown, and the seller
    is told why (``catalog.curation``)."""

    class Action(models.TextChoices):
        UNPUBLISHED = "unpublished", _("Taken off sale by the operators")
        REPUBLISHED = "republished", _("Put back on sale by the operators")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="moderations",
                                verbose_name=_("product"))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=255)
    # The channels the product was on sale in when taken down: lifting puts it back there.
    channel_ids = models.JSONField(default=list, blank=True, verbose_name=_("channels"))
    created_by = models.ForeignKey("shop.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product moderation")
        verbose_name_plural = _("product moderations")
        ordering = ["-created_at", "-pk"]

    @classmethod
    def takedown_of(cls, product_id) -> ProductModeration | None:
        """The takedown the product is under now, or ``None``."""
        latest = cls.objects.filter(product_id=product_id).order_by("-created_at", "-pk").first()
        return latest if latest is not None and latest.action == cls.Action.UNPUBLISHED else None
