"""Catalogue operations: each function is one business operation in one transaction,
raising ``ValidationError`` (with Saleor error codes) for bad input."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, ProtectedError, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from shop import outbox, validators
from shop.errors import field_error
from shop.models import Stock
from shop.money import money

from . import search
from .error_codes import ProductErrorCode
from .images import EXTENSIONS, validate_image
from .models import (
    AttributeValue,
    Category,
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    ProductMedia,
    ProductModeration,
    ProductVariant,
    ProductVariantChannelListing,
    VariantAttributeValue,
)

E = ProductErrorCode
MAX_PRICE = Decimal("9999999999.99")


# Text helpers ---------------------------------------------------------------------------

def pinyin_slug(text: str) -> str:
    """A URL slug for a Chinese name: 渑池柿饼 -> mian-chi-shi-bing. Punctuation separates
    words rather than vanishing, so 2.5kg and 25kg get different slugs (2-5kg, 25kg)."""
    words = re.sub(r"[^\w]+", " ", text or "")
    return slugify(" ".join(lazy_pinyin(words))) or "item"


def pinyin_forms(text: str) -> tuple[str, str]:
    """Full pinyin without spaces and the initials: 小米 -> ("xiaomi", "xm")."""
    full = "".join(lazy_pinyin(text, errors="ignore")).lower()
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return full, initials


def build_search_document(product: Product) -> str:
    parts = [product.name, product.description, product.seo_title]
    if product.category_id:
        parts.append(product.category.name)
        if product.category.parent_id:
            parts.append(product.category.parent.name)
    if product.pavilion_id:
        parts += [product.pavilion.county, product.pavilion.name,
                  product.pavilion.regional_brand_name]
    parts.append(product.organization.name)
    parts += [pav.value.name for pav in product.attribute_values.select_related("value")]
    for variant in product.variants.all():
        parts += [variant.name, variant.sku]
    text = " ".join(p for p in parts if p)
    full, initials = pinyin_forms(product.name)
    return f"{text} {full} {initials}".lower()


def refresh_product_derived(product: Product) -> None:
    """Recompute what is derived from a product's parts: the search text and the lowest
    price per channel (used for sorting and price filters)."""
    product.search_document = build_search_document(product)
    Product.objects.filter(pk=product.pk).update(search_document=product.search_document)
    search.product_changed(product)
    for listing in ProductChannelListing.objects.filter(product=product):
        prices = ProductVariantChannelListing.objects.filter(
            variant__product=product, channel_id=listing.channel_id
        ).values_list("price_amount", flat=True)
        listing.discounted_price_amount = min(prices, default=None)
        listing.save(update_fields=["discounted_price_amount"])


# Queries ------------------------------------------------------------------------------

def published_listings(channel):
    now = timezone.now()
    return ProductChannelListing.objects.filter(
        channel=channel, is_published=True
    ).filter(Q(published_at__isnull=True) | Q(published_at__lte=now))


def visible_products(channel, organization_ids: set[int] | None,
                     listings_only: bool = True) -> QuerySet:
    """Products a caller may see in ``channel``: published ones (visible in listings when
    ``listings_only``), plus every product of ``organization_ids`` (``None`` = all)."""
    if organization_ids is None:
        return Product.objects.all()
    listings = published_listings(channel).filter(product=OuterRef("pk"))
    if listings_only:
        listings = listings.filter(visible_in_listings=True)
    condition = Q(Exists(listings))
    if organization_ids:
        condition |= Q(organization_id__in=organization_ids)
    return Product.objects.filter(condition)


def category_and_descendant_ids(category_ids) -> set[int]:
    ids = set(category_ids)
    frontier = set(ids)
    while frontier:
        frontier = set(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        ) - ids
        ids |= frontier
    return ids


# Validation helpers -------------------------------------------------------------------

def clean_price(value, field: str, required: bool = True) -> Decimal | None:
    if value is None:
        if required:
            raise field_error(field, _("This field is required."), E.REQUIRED)
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise field_error(field, _("Enter a valid amount."), E.INVALID_PRICE) from None
    if not amount.is_finite() or amount < 0:
        raise field_error(field, _("Price cannot be negative."), E.INVALID_PRICE)
    # Trailing zeros are not precision ("12.500" is 12.50), as in Saleor's price check.
    if amount > MAX_PRICE or amount.normalize().as_tuple().exponent < -2:
        raise field_error(field, _("Enter an amount with at most two decimal places."),
                          E.INVALID_PRICE)
    return money(amount)


def clean_weight(value, field: str = "weight") -> Decimal | None:
    if value is None:
        return None
    return validators.clean_decimal(value, field, E.INVALID, places="0.001", max_digits=12,
                                    maximum=99999)


def clean_name(value, field: str = "name") -> str:
    name = clean_text(value, field, 250)
    if not name:
        raise field_error(field, _("This field is required."), E.REQUIRED)
    if len(name) > 250:
        raise field_error(field, _("Ensure this value has at most 250 characters."), E.INVALID)
    return name


def clean_slug(value, model, instance=None, fallback: str = "") -> str:
    max_length = model._meta.get_field("slug").max_length
    # A generated slug leaves room for a "-n" suffix; pinyin of a long name is long.
    slug = (value or "").strip() or pinyin_slug(fallback)[: max_length - 8].rstrip("-")
    if slugify(slug, allow_unicode=True) != slug:
        raise field_error("slug",
                          _("Enter a valid slug of letters, numbers, underscores or hyphens."),
                          E.INVALID)
    if len(slug) > max_length:
        raise field_error("slug", _("Ensure this value has at most %(n)s characters."), E.INVALID,
                          n=max_length)
    taken = model.objects.filter(slug=slug)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        if value:
            raise field_error("slug", _("This slug is already in use."), E.UNIQUE)
        base, n = slug, 2
        while model.objects.filter(slug=f"{base}-{n}").exists():
            n += 1
        slug = f"{base}-{n}"
    return slug


def clean_text(value, field: str, max_length: int) -> str:
    return validators.clean_text(value, field, E.INVALID, max_length=max_length)


def clean_rating(value) -> float | None:
    """A rating from 0 to 5 (or none)."""
    if value is None:
        return None
    return float(validators.clean_decimal(value, "rating", E.INVALID, places="0.01",
                                          max_digits=3, maximum=5))


def _resolve_attribute_values(allowed: QuerySet, attributes: list[dict] | None) -> list:
    """Turn ``[{"id"|"slug": attr, "values": ["特级"]}]`` into AttributeValue rows,
    creating values for free-text attributes; only attributes in ``allowed`` are accepted."""
    result = []
    seen = set()
    for item in attributes or []:
        attribute = allowed.filter(slug=item.get("slug")).first() if item.get("slug") else None
        if attribute is None and item.get("id"):
            attribute = allowed.filter(pk=item["id"]).first()
        if attribute is None:
            raise field_error("attributes",
                              _("Attribute %(name)s is not part of this product type."),
                              E.INVALID, name=item.get("slug") or item.get("id"))
        if attribute.pk in seen:
            raise field_error("attributes", _("Attribute %(name)s is given twice."),
                              E.DUPLICATED_INPUT_ITEM, name=attribute.slug)
        seen.add(attribute.pk)
        for raw in item.get("values") or []:
            name = str(raw).strip()
            if not name:
                continue
            if len(name) > AttributeValue._meta.get_field("name").max_length:
                raise field_error("attributes", _("The value of %(name)s is too long."), E.INVALID,
                                  name=attribute.slug)
            slug = pinyin_slug(name)[:140]
            value, _created = AttributeValue.objects.get_or_create(
                attribute=attribute, slug=slug, defaults={"name": name}
            )
            result.append(value)
    return result


def save_unique(instance, field: str, message: str) -> None:
    """Save ``instance``; a concurrent insert of the same unique ``field`` (which the
    earlier check could not see) becomes the same UNIQUE field error, not a server error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        if field not in str(exc):
            raise
        raise field_error(field, message, E.UNIQUE) from None


# Products -----------------------------------------------------------------------------

PRODUCT_FIELDS = ("description", "seo_title", "seo_description")
# A description (rich text as JSON or plain text) of a few pages at most.
TEXT_LIMIT = 100_000


def clean_product_text(value, field: str) -> str:
    max_length = Product._meta.get_field(field).max_length
    return clean_text(value, field, max_length or TEXT_LIMIT)


@transaction.atomic
def create_product(organization, product_type, *, name, slug=None, category=None, pavilion=None,
                   weight=None, attributes=None, **extra) -> Product:
    product = Product(organization=organization, product_type=product_type)
    product.name = clean_name(name)
    product.slug = clean_slug(slug, Product, fallback=product.name)
    product.category = category
    product.pavilion = pavilion
    product.weight = clean_weight(weight)
    product.rating = clean_rating(extra.get("rating"))
    for field in PRODUCT_FIELDS:
        setattr(product, field, clean_product_text(extra.get(field), field))
    save_unique(product, "slug", _("This slug is already in use."))
    values = _resolve_attribute_values(product_type.product_attributes.all(), attributes)
    ProductAttributeValue.objects.bulk_create(
        [ProductAttributeValue(product=product, value=v) for v in values]
    )
    refresh_product_derived(product)
    return product


@transaction.atomic
def update_product(product: Product, **changes) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    if "name" in changes:
        product.name = clean_name(changes["name"])
    if changes.get("slug") is not None:
        if not changes["slug"].strip():
            raise field_error("slug", _("Slug value cannot be blank."), E.REQUIRED)
        product.slug = clean_slug(changes["slug"], Product, instance=product)
    for field in ("category", "pavilion"):
        if field in changes:
            setattr(product, field, changes[field])
    if "weight" in changes:
        product.weight = clean_weight(changes["weight"])
    if "rating" in changes:
        product.rating = clean_rating(changes["rating"])
    for field in PRODUCT_FIELDS:
        if field in changes:
            setattr(product, field, clean_product_text(changes[field], field))
    save_unique(product, "slug", _("This slug is already in use."))
    if changes.get("attributes") is not None:
        values = _resolve_attribute_values(
            product.product_type.product_attributes.all(), changes["attributes"]
        )
        attribute_ids = {v.attribute_id for v in values}
        ProductAttributeValue.objects.filter(
            product=product, value__attribute_id__in=attribute_ids
        ).delete()
        ProductAttributeValue.objects.bulk_create(
            [ProductAttributeValue(product=product, value=v) for v in values]
        )
    refresh_product_derived(product)
    return product


@transaction.atomic
def delete_product(product: Product) -> None:
    pk = product.pk
    try:
        with transaction.atomic():
            product.delete()
    except ProtectedError:
        # Sourcing lots and packing runs keep the trace of what was sold: they outlive it.
        raise field_error(None, _("This product has traceability records (sourcing lots, packing "
                                  "runs) and cannot be deleted; withdraw it from sale instead."),
                          E.INVALID) from None
    if settings.ELASTICSEARCH_URL:
        outbox.enqueue("catalog.tasks.remove_products_from_search_index",
                       {"product_ids": [pk]})


# Variants -----------------------------------------------------------------------------

def clean_sku(value, instance=None) -> str:
    sku = (value or "").strip()
    if not sku:
        raise field_error("sku", _("This field is required."), E.REQUIRED)
    if len(sku) > 64:
        raise field_error("sku", _("Ensure this value has at most 64 characters."), E.INVALID)
    taken = ProductVariant.objects.filter(sku=sku)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise field_error("sku", _("Product variant with this SKU already exists."), E.UNIQUE)
    return sku


def clean_gtin(value) -> str:
    gtin = (value or "").strip()
    if not gtin:
        return ""
    if not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        raise field_error("gtin", _("A GTIN has 8, 12, 13 or 14 digits."), E.INVALID)
    digits = [int(d) for d in gtin.zfill(14)]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:-1]))
    if (10 - total % 10) % 10 != digits[-1]:
        raise field_error("gtin", _("The GTIN check digit is wrong."), E.INVALID)
    return gtin


def clean_quantity_limit(value):
    if value is not None and value < 1:
        raise field_error("quantityLimitPerCustomer",
                          _("The limit per customer must be at least 1."), E.INVALID)
    return value


def _set_variant_attributes(variant, attributes):
    values = _resolve_attribute_values(
        variant.product.product_type.variant_attributes.all(), attributes
    )
    attribute_ids = {v.attribute_id for v in values}
    VariantAttributeValue.objects.filter(
        variant=variant, value__attribute_id__in=attribute_ids
    ).delete()
    VariantAttributeValue.objects.bulk_create(
        [VariantAttributeValue(variant=variant, value=v) for v in values]
    )


@transaction.atomic
def create_variant(product: Product, *, sku, name="", attributes=None, weight=None, gtin="",
                   track_inventory=True, quantity_limit_per_customer=None) -> ProductVariant:
    variant = ProductVariant(
        product=product,
        sku=clean_sku(sku),
        name=clean_text(name, "name", 255),
        gtin=clean_gtin(gtin),
        weight=clean_weight(weight),
        track_inventory=track_inventory,
        quantity_limit_per_customer=clean_quantity_limit(quantity_limit_per_customer),
        sort_order=product.variants.count(),
    )
    save_unique(variant, "sku", _("Product variant with this SKU already exists."))
    _set_variant_attributes(variant, attributes)
    refresh_product_derived(product)
    return variant


@transaction.atomic
def update_variant(variant: ProductVariant, **changes) -> ProductVariant:
    variant = ProductVariant.objects.select_for_update().get(pk=variant.pk)
    if changes.get("sku") is not None:
        variant.sku = clean_sku(changes["sku"], instance=variant)
    if changes.get("name") is not None:
        variant.name = clean_text(changes["name"], "name", 255)
    if "gtin" in changes:
        variant.gtin = clean_gtin(changes["gtin"])
    if "weight" in changes:
        variant.weight = clean_weight(changes["weight"])
    if changes.get("track_inventory") is not None:
        variant.track_inventory = changes["track_inventory"]
    if "quantity_limit_per_customer" in changes:
        variant.quantity_limit_per_customer = clean_quantity_limit(
            changes["quantity_limit_per_customer"]
        )
    save_unique(variant, "sku", _("Product variant with this SKU already exists."))
    if changes.get("attributes") is not None:
        _set_variant_attributes(variant, changes["attributes"])
    refresh_product_derived(variant.product)
    return variant


# Channel listings ---------------------------------------------------------------------

@transaction.atomic
def update_product_channel_listings(product: Product, update: list[dict],
                                    remove: list) -> Product:
    """``update``: ``[{"channel", "is_published", "published_at", "visible_in_listings",
    "available_for_purchase_at"}]``; ``remove``: channels to withdraw the product from."""
    channels = [item["channel"] for item in update]
    if len(set(c.pk for c in channels)) != len(channels) or set(channels) & set(remove):
        raise field_error("updateChannels", _("A channel may appear only once."),
                          E.DUPLICATED_INPUT_ITEM)
    takedown = ProductModeration.takedown_of(product.pk)
    if takedown is not None and any(item.get("is_published") for item in update):
        # The pavilion's operators took it off sale; only they put it back (catalog.curation).
        raise field_error("isPublished", _("The pavilion's operators took this product off "
                                           "sale: %(reason)s"), E.INVALID, reason=takedown.reason)
    for item in update:
        listing, created = ProductChannelListing.objects.get_or_create(
            product=product, channel=item["channel"],
            defaults={"currency": item["channel"].currency_code},
        )
        for field in ("is_published", "visible_in_listings"):
            if item.get(field) is not None:
                setattr(listing, field, item[field])
        if "published_at" in item:
            listing.published_at = item["published_at"]
        if listing.is_published and listing.published_at is None:
            listing.published_at = timezone.now()
        if item.get("available_for_purchase_at") is not None:
            listing.available_for_purchase_at = item["available_for_purchase_at"]
        elif item.get("is_available_for_purchase") is False:
            listing.available_for_purchase_at = None
        elif item.get("is_available_for_purchase") or (
            created and listing.is_published and listing.available_for_purchase_at is None
        ):
            listing.available_for_purchase_at = listing.available_for_purchase_at or timezone.now()
        listing.save()
    if remove:
        ProductChannelListing.objects.filter(product=product, channel__in=remove).delete()
        ProductVariantChannelListing.objects.filter(
            variant__product=product, channel__in=remove
        ).delete()
    refresh_product_derived(product)
    return product


@transaction.atomic
def update_variant_channel_listings(variant: ProductVariant, items: list[dict]) -> ProductVariant:
    """``items``: ``[{"channel", "price", "cost_price"}]``; the product must be listed in
    each channel first."""
    seen = set()
    for item in items:
        channel = item["channel"]
        if channel.pk in seen:
            raise field_error("channelId", _("A channel may appear only once."),
                              E.DUPLICATED_INPUT_ITEM)
        seen.add(channel.pk)
        if not ProductChannelListing.objects.filter(product_id=variant.product_id,
                                                    channel=channel).exists():
            raise field_error("channelId",
                              _("Product is not available in channel %(channel)s."),
                              E.PRODUCT_NOT_ASSIGNED_TO_CHANNEL, channel=channel.slug)
        price = clean_price(item.get("price"), "price")
        cost = clean_price(item.get("cost_price"), "costPrice", required=False)
        ProductVariantChannelListing.objects.update_or_create(
            variant=variant, channel=channel,
            defaults={"price_amount": price, "cost_price_amount": cost,
                      "currency": channel.currency_code},
        )
    refresh_product_derived(variant.product)
    return variant


# Media --------------------------------------------------------------------------------

@transaction.atomic
def add_product_media(product: Product, upload, alt: str = "") -> ProductMedia:
    """Store an uploaded image for ``product`` after checking it is a real image within
    limits; thumbnails are made by a Celery task once the transaction commits."""
    width, height, fmt = validate_image(upload)
    media = ProductMedia(
        product=product,
        alt=clean_text(alt, "alt", 250),
        width=width,
        height=height,
        sort_order=product.media.count(),
    )
    # The stored name is the server's: a random stem and the extension of the decoded
    # format, never the sender's name, so that a file is always served back as the image it
    # is (not, say, as text/html) and names cannot be guessed or collide.
    media.image.save(f"{uuid.uuid4().hex}.{EXTENSIONS[fmt]}", upload, save=False)
    media.save()
    outbox.enqueue("catalog.tasks.create_product_thumbnails", {"media_id": media.pk})
    return media


@transaction.atomic
def reorder_product_media(organization, product: Product, media_ids) -> list[ProductMedia]:
    """Put ``product``'s images in the order of ``media_ids``, which must name each of them
    exactly once; the first one is the product's thumbnail. ``organization`` is the
    caller's: another organisation's product is refused as not found."""
    if organization is None or product.organization_id != organization.pk:
        raise field_error("productId", _("Couldn't find the requested object."), E.NOT_FOUND)
    # Locked, so that two reorders (or a reorder and an upload) do not interleave.
    media = {m.pk: m for m in ProductMedia.objects.select_for_update().filter(product=product)}
    wanted = []
    for value in media_ids:
        try:
            wanted.append(int(value))
        except (TypeError, ValueError):
            raise field_error("mediaIds", _("Couldn't resolve to a node: %(id)s") % {
                "id": value}, E.NOT_FOUND) from None
    if len(set(wanted)) != len(wanted):
        raise field_error("mediaIds", _("Each picture is named once."),
                          E.DUPLICATED_INPUT_ITEM)
    foreign = [pk for pk in wanted if pk not in media]
    if foreign:
        raise field_error("mediaIds", _("Picture %(id)s is not one of this product's.") % {
            "id": foreign[0]}, E.NOT_PRODUCTS_IMAGE)
    if len(wanted) != len(media):
        raise field_error("mediaIds", _("Name every picture of the product, in the new order."),
                          E.INVALID)
    ordered = [media[pk] for pk in wanted]
    for position, item in enumerate(ordered):
        if item.sort_order != position:
            item.sort_order = position
            # Saved one by one (a product has a handful of pictures) so that the save
            # signals reach whatever keeps copies of the shop's pages.
            item.save(update_fields=["sort_order"])
    return ordered


# Availability --------------------------------------------------------------------------

def is_available_for_purchase(listing) -> bool:
    """Whether a product's channel listing lets shoppers buy it now."""
    return bool(
        listing is not None
        and listing.is_published
        and listing.available_for_purchase_at is not None
        and listing.available_for_purchase_at <= timezone.now()
    )


def in_stock_condition(channel_slug: str) -> Q:
    """Products with a variant priced in the channel and units available in one of the
    channel's warehouses (or not tracking inventory)."""
    stock = Stock.objects.filter(
        product_variant__product=OuterRef("pk"),
        warehouse__channels__slug=channel_slug,
        quantity__gt=F("quantity_allocated"),
        product_variant__channel_listings__channel__slug=channel_slug,
    )
    untracked = ProductVariant.objects.filter(
        product=OuterRef("pk"), track_inventory=False,
        channel_listings__channel__slug=channel_slug,
    )
    return Q(Exists(stock)) | Q(Exists(untracked))


def purchasable_condition(channel_slug: str) -> Q:
    listings = ProductChannelListing.objects.filter(
        product=OuterRef("pk"), channel__slug=channel_slug, is_published=True,
        available_for_purchase_at__lte=timezone.now(),
    )
    return Q(Exists(listings))


def available_product_ids(product_ids, channel_slug: str) -> set[int]:
    return set(
        Product.objects.filter(pk__in=product_ids)
        .filter(purchasable_condition(channel_slug) & in_stock_condition(channel_slug))
        .values_list("pk", flat=True)
    )
