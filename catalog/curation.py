"""The pavilion operators' hand on the catalogue (上架审核, 专题): taking a seller's product
off sale with a reason and putting it back, the category tree (create, rename, order) and
collections, the pavilion's 专题 (create, rename, publish per channel, their products and
their order). Each function is one operation in one transaction, raising
``ValidationError`` with the catalogue's error codes, like ``catalog.services``; the
workbench's operator pages call them.

A takedown is kept as a ``ProductModeration`` row: while a product's latest row is a
takedown, ``catalog.services.update_product_channel_listings`` refuses to publish it (the
seller sees the operators' reason there), and the seller's organisation is notified."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import validators
from shop.errors import field_error
from shop.notifications import notify

from . import search
from .error_codes import ProductErrorCode
from .models import (
    Category,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    Product,
    ProductChannelListing,
    ProductModeration,
)
from .services import clean_name, clean_slug, save_unique

E = ProductErrorCode
Action = ProductModeration.Action


def _reason(value, required: bool = True) -> str:
    return validators.clean_text(value, "reason", E.REQUIRED if required else E.INVALID,
                                 max_length=255, required=required)


# Taking products off sale ---------------------------------------------------------------

@transaction.atomic
def unpublish_product(product: Product, reason: str, user=None) -> ProductModeration:
    """Take ``product`` off sale in every channel it is published in, for ``reason``
    (shown to its seller, who cannot publish it again until the operators do)."""
    reason = _reason(reason)
    product = Product.objects.select_for_update().select_related("organization").get(pk=product.pk)
    if ProductModeration.takedown_of(product.pk) is not None:
        raise field_error("product", _("This product is already off sale."), E.INVALID)
    listings = ProductChannelListing.objects.filter(product=product, is_published=True)
    channel_ids = sorted(listings.values_list("channel_id", flat=True))
    listings.update(is_published=False)
    moderation = ProductModeration.objects.create(
        product=product, action=Action.UNPUBLISHED, reason=reason, channel_ids=channel_ids,
        created_by=user if getattr(user, "is_authenticated", False) else None)
    search.product_changed(product)
    name = product.name
    notify(product.organization, "product_unpublished",
           lambda: _("%(product)s was taken off sale by the pavilion's operators")
           % {"product": name},
           lambda: _("Reason: %(reason)s. It stays off sale until the operators put it "
                     "back; reply to them to settle it.") % {"reason": reason},
           reference=product.slug)
    return moderation


@transaction.atomic
def republish_product(product: Product, reason: str = "", user=None) -> ProductModeration:
    """Lift the operators' takedown: the product is on sale again in the channels it was
    taken out of (its seller may publish it elsewhere again)."""
    reason = _reason(reason, required=False) or _("Put back on sale.")
    product = Product.objects.select_for_update().select_related("organization").get(pk=product.pk)
    takedown = ProductModeration.takedown_of(product.pk)
    if takedown is None:
        raise field_error("product", _("The operators have not taken this product off sale."),
                          E.INVALID)
    now = timezone.now()
    for listing in ProductChannelListing.objects.filter(product=product,
                                                        channel_id__in=takedown.channel_ids):
        listing.is_published = True
        listing.published_at = listing.published_at or now
        listing.save(update_fields=["is_published", "published_at"])
    moderation = ProductModeration.objects.create(
        product=product, action=Action.REPUBLISHED, reason=reason,
        channel_ids=takedown.channel_ids,
        created_by=user if getattr(user, "is_authenticated", False) else None)
    search.product_changed(product)
    name = product.name
    notify(product.organization, "product_republished",
           lambda: _("%(product)s is on sale again") % {"product": name},
           lambda: _("The pavilion's operators put it back on sale: %(reason)s")
           % {"reason": reason},
           reference=product.slug)
    return moderation


# Ordering helpers -----------------------------------------------------------------------

def _moved(rows: list, target, step: int) -> list:
    """``rows`` (in their order) with ``target`` moved ``step`` places (-1 up, +1 down),
    their ``sort_order`` renumbered 0, 1, 2 ...; the caller saves them."""
    index = next(i for i, row in enumerate(rows) if row.pk == target.pk)
    new_index = min(max(index + step, 0), len(rows) - 1)
    rows.insert(new_index, rows.pop(index))
    for position, row in enumerate(rows):
        row.sort_order = position
    return rows


def _step(step) -> int:
    if step not in (-1, 1):
        raise field_error("step", _("Move one place up or down."), E.INVALID)
    return step


# Categories -----------------------------------------------------------------------------

def _category_name(value) -> str:
    name = clean_name(value)
    limit = Category._meta.get_field("name").max_length
    if len(name) > limit:
        raise field_error("name", _("Use at most %(n)s characters.") % {"n": limit}, E.INVALID)
    return name


@transaction.atomic
def create_category(name: str, parent: Category | None = None, slug: str = "") -> Category:
    """A category, last among its siblings; the slug comes from the name's pinyin."""
    name = _category_name(name)
    last = Category.objects.filter(parent=parent).aggregate(last=Max("sort_order"))["last"]
    category = Category(name=name, parent=parent,
                        slug=clean_slug(slug, Category, fallback=name),
                        sort_order=0 if last is None else last + 1)
    save_unique(category, "slug", _("This slug is already in use."))
    return category


@transaction.atomic
def rename_category(category: Category, name: str) -> Category:
    category.name = _category_name(name)
    # Saving (not a queryset update) sends post_save: the products' search text follows.
    category.save(update_fields=["name", "updated_at"])
    return category


@transaction.atomic
def move_category(category: Category, step: int) -> Category:
    """Move ``category`` one place up (-1) or down (+1) among its siblings."""
    step = _step(step)
    siblings = list(Category.objects.select_for_update()
                    .filter(parent_id=category.parent_id).order_by("sort_order", "slug"))
    Category.objects.bulk_update(_moved(siblings, category, step), ["sort_order"])
    category.refresh_from_db(fields=["sort_order"])
    return category


# Collections (专题) -----------------------------------------------------------------------

@transaction.atomic
def create_collection(name: str, slug: str = "", description: str = "") -> Collection:
    name = clean_name(name)
    description = validators.clean_text(description, "description", E.INVALID,
                                        max_length=2000)
    collection = Collection(name=name, description=description,
                            slug=clean_slug(slug, Collection, fallback=name))
    save_unique(collection, "slug", _("This slug is already in use."))
    return collection


@transaction.atomic
def rename_collection(collection: Collection, name: str, description: str | None = None
                      ) -> Collection:
    collection.name = clean_name(name)
    fields = ["name"]
    if description is not None:
        collection.description = validators.clean_text(description, "description", E.INVALID,
                                                        max_length=2000)
        fields.append("description")
    collection.save(update_fields=fields)
    return collection


@transaction.atomic
def set_collection_published(collection: Collection, channel, published: bool
                             ) -> CollectionChannelListing:
    """Show (or hide) ``collection`` in ``channel``'s storefront."""
    listing, _created = CollectionChannelListing.objects.select_for_update().get_or_create(
        collection=collection, channel=channel)
    listing.is_published = bool(published)
    if published and listing.published_at is None:
        listing.published_at = timezone.now()
    listing.save()
    return listing


@transaction.atomic
def add_collection_products(collection: Collection, products) -> int:
    """Add ``products`` (those not in it yet) at the end of ``collection``; how many."""
    Collection.objects.select_for_update().get(pk=collection.pk)
    present = set(CollectionProduct.objects.filter(collection=collection)
                  .values_list("product_id", flat=True))
    last = (CollectionProduct.objects.filter(collection=collection)
            .aggregate(last=Max("sort_order"))["last"])
    position = -1 if last is None else last
    added = []
    for product in products:
        if product.pk in present:
            continue
        present.add(product.pk)
        position += 1
        added.append(CollectionProduct(collection=collection, product=product,
                                       sort_order=position))
    CollectionProduct.objects.bulk_create(added)
    return len(added)


@transaction.atomic
def remove_collection_product(collection: Collection, product: Product) -> None:
    deleted, _rows = CollectionProduct.objects.filter(collection=collection,
                                                      product=product).delete()
    if not deleted:
        raise field_error("product", _("This product is not in the collection."), E.NOT_FOUND)


@transaction.atomic
def move_collection_product(collection: Collection, product: Product, step: int) -> None:
    """Move ``product`` one place up (-1) or down (+1) in ``collection``."""
    step = _step(step)
    Collection.objects.select_for_update().get(pk=collection.pk)
    rows = list(CollectionProduct.objects.filter(collection=collection)
                .order_by("sort_order", "pk"))
    if not any(row.product_id == product.pk for row in rows):
        raise field_error("product", _("This product is not in the collection."), E.NOT_FOUND)
    target = next(row for row in rows if row.product_id == product.pk)
    CollectionProduct.objects.bulk_update(_moved(rows, target, step), ["sort_order"])
