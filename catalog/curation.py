"""The pavilion operators' hand on the catalogue (上架审核, 专题): taking a seller's product
off sale with a reason and putting it back, the category tree (create, rename, order) and
collections, the pavilion's 专题 (create, change, delete, publish per channel, their
products and their order). Each function is one operation in one transaction, raising
``ValidationError`` with the catalogue's error codes, like ``catalog.services``; the
workbench's operator pages and the operators' GraphQL mutations both call them.

What the shop shows changes on the next request: saves and deletes raise the catalogue's
version through ``storefront.versions``' receivers, and the bulk statements here, which
send no model signals, raise it themselves (``catalogue_changed``).

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
from shop.versions import catalogue_changed

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
    ProductVariant,
)
from .services import category_and_descendant_ids, clean_name, clean_slug, save_unique

E = ProductErrorCode
Action = ProductModeration.Action
# A keyword argument left out: the value stays as it is (``None`` is a value: no parent).
KEEP = object()


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
    catalogue_changed()  # the update above sends no signal
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
    """``rows`` (in their order) with ``target`` moved ``step`` places (negative: towards
    the top, positive: towards the end, stopping at either), their ``sort_order``
    renumbered 0, 1, 2 ...; the caller saves them."""
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


def _slug(value, model, instance, fallback: str) -> str:
    """A new record's slug (from ``fallback``'s pinyin when none is given), or a changed
    one, which may not be blank."""
    if instance.pk is not None and not str(value or "").strip():
        raise field_error("slug", _("Slug value cannot be blank."), E.REQUIRED)
    return clean_slug(value, model, instance=instance if instance.pk else None,
                      fallback=fallback)


def _seo(record, seo_title, seo_description, fields: list) -> None:
    for name, value in (("seo_title", seo_title), ("seo_description", seo_description)):
        if value is not None:
            limit = type(record)._meta.get_field(name).max_length
            setattr(record, name, validators.clean_text(value, name, E.INVALID,
                                                        max_length=limit))
            fields.append(name)


def _change_details(record, fields: list, clean, *, name=None, slug=None,
                    description=None, seo_title=None, seo_description=None) -> None:
    """Set on ``record`` (a category or a collection, new or saved) what is given of its
    name (cleaned by ``clean``), slug, description and SEO texts (``None``: unchanged),
    naming each changed field in ``fields``."""
    if name is not None:
        record.name = clean(name)
        fields.append("name")
    if slug is not None:
        record.slug = _slug(slug, type(record), record, record.name)
        fields.append("slug")
    if description is not None:
        record.description = _description(description)
        fields.append("description")
    _seo(record, seo_title, seo_description, fields)


def _save_details(record, fields: list) -> None:
    """Save ``fields`` of ``record``; a new slug is checked against the others'. Saving
    (not a queryset update) sends post_save: the products' search text and the shop's
    pages follow."""
    if "slug" in fields:
        save_unique(record, "slug", _("This slug is already in use."))
    elif fields:
        record.save(update_fields=fields)


def _description(value) -> str:
    return validators.clean_text(value, "description", E.INVALID, max_length=2000)


# Categories -----------------------------------------------------------------------------

def _category_name(value) -> str:
    name = clean_name(value)
    limit = Category._meta.get_field("name").max_length
    if len(name) > limit:
        raise field_error("name", _("Use at most %(n)s characters.") % {"n": limit}, E.INVALID)
    return name


@transaction.atomic
def create_category(name: str, parent: Category | None = None, slug: str = "",
                    description: str = "", seo_title: str | None = None,
                    seo_description: str | None = None) -> Category:
    """A category, last among its siblings; the slug comes from the name's pinyin."""
    last = Category.objects.filter(parent=parent).aggregate(last=Max("sort_order"))["last"]
    category = Category(name=_category_name(name), parent=parent,
                        sort_order=0 if last is None else last + 1)
    _change_details(category, [], _category_name, slug=slug or "",
                    description=description or "", seo_title=seo_title,
                    seo_description=seo_description)
    _save_details(category, ["slug"])
    return category


@transaction.atomic
def update_category(category: Category, *, name=None, slug=None, description=None,
                    seo_title=None, seo_description=None, parent=KEEP) -> Category:
    """Change what is given (``None``: unchanged). A new ``parent`` (``None``: the top
    level) takes the category with its subtree there, last among its new siblings; it may
    not be the category itself or one of its own subcategories."""
    fields = ["updated_at"]
    _change_details(category, fields, _category_name, name=name, slug=slug,
                    description=description, seo_title=seo_title,
                    seo_description=seo_description)
    moved = parent is not KEEP and (parent.pk if parent else None) != category.parent_id
    if moved:
        # Every category row locked: two moves at once cannot make a loop between them.
        list(Category.objects.select_for_update().values_list("pk", flat=True))
        if parent is not None and parent.pk in category_and_descendant_ids([category.pk]):
            raise field_error("parent", _("A category cannot go under itself or under one "
                                          "of its own subcategories."), E.INVALID)
        category.parent = parent
        last = (Category.objects.filter(parent=parent).exclude(pk=category.pk)
                .aggregate(last=Max("sort_order"))["last"])
        category.sort_order = 0 if last is None else last + 1
        fields += ["parent", "level", "sort_order"]
    _save_details(category, fields)
    if moved:
        _relevel(category)
    return category


def _relevel(root: Category) -> None:
    """The levels of ``root``'s subcategories, after ``root`` moved."""
    levels = {root.pk: root.level}
    frontier = [root.pk]
    while frontier:
        children = [child for child in Category.objects.filter(parent_id__in=frontier)
                    if child.pk not in levels]
        for child in children:
            child.level = levels[child.parent_id] + 1
            levels[child.pk] = child.level
        Category.objects.bulk_update(children, ["level"])
        frontier = [child.pk for child in children]


@transaction.atomic
def delete_category(category: Category) -> None:
    """Delete ``category`` with its subcategories, as Saleor does, but only while none
    of them holds a product: a seller's goods are never left without a category (nor,
    as Saleor would, taken off sale without a reason) by an operator's tidying up."""
    ids = category_and_descendant_ids([category.pk])
    # Locked first: a product cannot be put in one of them while they go.
    list(Category.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    count = Product.objects.filter(category_id__in=ids).count()
    if count:
        raise field_error("id", _("%(n)s products are still in this category or its "
                                  "subcategories: move them to another category first."),
                          E.INVALID, n=count)
    category.delete()


@transaction.atomic
def move_category(category: Category, step: int) -> Category:
    """Move ``category`` one place up (-1) or down (+1) among its siblings."""
    step = _step(step)
    siblings = list(Category.objects.select_for_update()
                    .filter(parent_id=category.parent_id).order_by("sort_order", "slug"))
    Category.objects.bulk_update(_moved(siblings, category, step), ["sort_order"])
    catalogue_changed()  # bulk_update sends no signal
    category.refresh_from_db(fields=["sort_order"])
    return category


# Collections (专题) -----------------------------------------------------------------------

@transaction.atomic
def create_collection(name: str, slug: str = "", description: str = "",
                      seo_title: str | None = None, seo_description: str | None = None,
                      products=()) -> Collection:
    """A collection (shown nowhere until published in a channel), with ``products``."""
    collection = Collection(name=clean_name(name))
    _change_details(collection, [], clean_name, slug=slug or "",
                    description=description or "", seo_title=seo_title,
                    seo_description=seo_description)
    _save_details(collection, ["slug"])
    if products:
        add_collection_products(collection, products)
    return collection


@transaction.atomic
def update_collection(collection: Collection, *, name=None, slug=None, description=None,
                      seo_title=None, seo_description=None) -> Collection:
    """Change what is given (``None``: unchanged)."""
    fields = []
    _change_details(collection, fields, clean_name, name=name, slug=slug,
                    description=description, seo_title=seo_title,
                    seo_description=seo_description)
    _save_details(collection, fields)
    return collection


@transaction.atomic
def delete_collection(collection: Collection) -> None:
    """The collection goes, with its products' places in it and its channel listings;
    the products themselves stay."""
    collection.delete()


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
def remove_collection_channels(collection: Collection, channels) -> None:
    """Withdraw ``collection`` from ``channels`` (their listings go)."""
    CollectionChannelListing.objects.filter(collection=collection,
                                            channel__in=list(channels)).delete()


def _products_error(message, code, products) -> None:
    raise field_error("products", message, code, products=sorted(p.pk for p in products))


@transaction.atomic
def add_collection_products(collection: Collection, products) -> int:
    """Add ``products`` (those not in it yet) at the end of ``collection``; how many.
    A product without variants cannot be added (Saleor's rule: nothing to buy)."""
    products = list(products)
    with_variants = set(ProductVariant.objects.filter(product__in=products)
                        .values_list("product_id", flat=True))
    empty = [p for p in products if p.pk not in with_variants]
    if empty:
        _products_error(_("A product without variants cannot be put in a collection."),
                        E.CANNOT_MANAGE_PRODUCT_WITHOUT_VARIANT, empty)
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
    if added:
        catalogue_changed()  # bulk_create sends no signal
    return len(added)


@transaction.atomic
def remove_collection_products(collection: Collection, products) -> int:
    """Take ``products`` out of ``collection`` (every one of them must be in it)."""
    products = list(products)
    Collection.objects.select_for_update().get(pk=collection.pk)
    present = set(CollectionProduct.objects.filter(collection=collection, product__in=products)
                  .values_list("product_id", flat=True))
    missing = [p for p in products if p.pk not in present]
    if missing:
        _products_error(_("This product is not in the collection."), E.NOT_FOUND, missing)
    deleted, _rows = CollectionProduct.objects.filter(collection=collection,
                                                      product__in=products).delete()
    return deleted


@transaction.atomic
def reorder_collection_products(collection: Collection, moves) -> None:
    """``moves``: ``[(product, shift)]``, each applied in turn, moving the product
    ``shift`` places (negative: towards the top; Saleor's ``sortOrder`` of a move)."""
    Collection.objects.select_for_update().get(pk=collection.pk)
    rows = list(CollectionProduct.objects.filter(collection=collection)
                .order_by("sort_order", "pk"))
    by_product = {row.product_id: row for row in rows}
    missing = [product for product, _shift in moves if product.pk not in by_product]
    if missing:
        _products_error(_("This product is not in the collection."), E.NOT_FOUND, missing)
    for product, shift in moves:
        rows = _moved(rows, by_product[product.pk], int(shift or 0))
    CollectionProduct.objects.bulk_update(rows, ["sort_order"])
    catalogue_changed()  # bulk_update sends no signal
