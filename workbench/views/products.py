"""The producer's products: list, create and edit, variants with prices per channel,
pictures, publishing, stock per warehouse and what is low. Writes go through
``catalog.services`` and ``shop.services`` (the services the API's mutations call)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import services as catalog_services
from catalog.models import ProductModeration, ProductVariant
from shop import services as shop_services
from shop.models import Channel

from .. import selectors
from ..access import member_required
from ..forms import MediaForm, ProductForm, StockForm, VariantForm, apply_service_errors
from ..nav import crumbs
from ..roles import PRODUCER
from . import page


def _products_crumb():
    return (_("Products"), reverse("workbench:products"))


@require_GET
@member_required(PRODUCER)
def product_list(request):
    org = request.organization
    rows = selectors.products(org)
    for product in rows:
        product.summaries = [(v, selectors.variant_summary(v)) for v in product.variants.all()]
        product.published = any(listing.is_published for listing in product.channel_listings.all())
        product.first_media = next(iter(product.media.all()), None)
        product.low = any(s["low"] for _v, s in product.summaries)
    return page(request, "workbench/products/list.html", {"products": rows},
                crumbs=crumbs((_("Products"), None)))


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def product_create(request):
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                changes = form.changes()
                product = catalog_services.create_product(
                    request.organization, form.cleaned_data["product_type"], **changes)
                # Listed (unpublished) in every channel, so prices can be set at once.
                catalog_services.update_product_channel_listings(
                    product, [{"channel": c, "is_published": False}
                              for c in selectors.channels()], [])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Product created. Now add what you sell of it: a "
                                        "variant with its price."))
            return redirect("workbench:product", pk=product.pk)
    return page(request, "workbench/products/form.html", {"form": form},
                crumbs=crumbs(_products_crumb(), (_("New product"), None)),
                status=400 if form.errors else 200)


def _own_product(request, pk):
    product = selectors.product(request.organization, pk)
    if product is None:
        raise Http404
    return product


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def product_detail(request, pk):
    product = _own_product(request, pk)
    channels = selectors.channels()
    form = ProductForm(request.POST if request.POST.get("action") == "edit" else None,
                       initial={"name": product.name, "product_type": product.product_type,
                                "category": product.category, "pavilion": product.pavilion,
                                "weight": product.weight, "description": product.description})
    form.fields["product_type"].disabled = True
    variant_form = VariantForm(request.POST if request.POST.get("action") == "variant" else None,
                               channels=channels, prefix="v")
    media_form = MediaForm(request.POST if request.POST.get("action") == "media" else None,
                           request.FILES or None, prefix="m")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "edit" and form.is_valid():
                catalog_services.update_product(product, **form.changes())
                messages.success(request, _("Saved."))
                return redirect("workbench:product", pk=product.pk)
            if action == "variant" and variant_form.is_valid():
                with transaction.atomic():
                    changes = variant_form.variant_changes()
                    variant = catalog_services.create_variant(product, sku=changes.pop("sku"),
                                                              **changes)
                    catalog_services.update_variant_channel_listings(variant,
                                                                     variant_form.prices())
                messages.success(request, _("Variant added. Set its stock per warehouse."))
                return redirect("workbench:variant", pk=variant.pk)
            if action == "media" and media_form.is_valid():
                catalog_services.add_product_media(product, media_form.cleaned_data["image"],
                                                   alt=media_form.cleaned_data["alt"])
                messages.success(request, _("Picture added."))
                return redirect("workbench:product", pk=product.pk)
        except ValidationError as error:
            target = {"edit": form, "variant": variant_form, "media": media_form}[action]
            apply_service_errors(target, error, aliases={"image": "image", "price": "price"})
    variants = [(v, selectors.variant_summary(v)) for v in product.variants.all()]
    listings = {listing.channel_id: listing for listing in product.channel_listings.all()}
    return page(request, "workbench/products/detail.html", {
        "product": product, "form": form, "variant_form": variant_form,
        "media_form": media_form, "variants": variants,
        "listings": [(c, listings.get(c.pk)) for c in channels],
        "media": _media_moves(list(product.media.all())),
        # The operators' takedown, if any: the seller reads why it is off sale.
        "takedown": ProductModeration.takedown_of(product.pk),
    }, crumbs=crumbs(_products_crumb(), (product.name, None)),
        status=400 if (form.errors or variant_form.errors or media_form.errors) else 200)


def _media_moves(media):
    """Each picture with the full order its "earlier", "later" and "first" buttons send
    (``None`` where it cannot move that way): plain forms, so that a phone needs no
    drag-and-drop and a page left open sends an order the service can check."""
    ids = [m.pk for m in media]

    def order(i, j):
        moved = ids.copy()
        moved.insert(j, moved.pop(i))
        return ",".join(map(str, moved))

    for i, item in enumerate(media):
        item.earlier = order(i, i - 1) if i > 0 else None
        item.later = order(i, i + 1) if i < len(ids) - 1 else None
        item.to_first = order(i, 0) if i > 1 else None
    return media


@require_POST
@member_required(PRODUCER)
def product_media_order(request, pk):
    product = _own_product(request, pk)
    ids = [value for value in request.POST.get("order", "").split(",") if value.strip()]
    try:
        catalog_services.reorder_product_media(request.organization, product, ids)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Pictures reordered: shoppers see the first one in lists."))
    return redirect(reverse("workbench:product", args=[product.pk]) + "#pictures")


@require_POST
@member_required(PRODUCER)
def product_publish(request, pk):
    product = _own_product(request, pk)
    channel = get_object_or_404(Channel, pk=request.POST.get("channel"), is_active=True)
    publish = request.POST.get("publish") == "1"
    try:
        catalog_services.update_product_channel_listings(
            product, [{"channel": channel, "is_published": publish,
                       "is_available_for_purchase": publish}], [])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(product)s is on sale in %(channel)s.") % {
            "product": product.name, "channel": channel.name} if publish else
            _("%(product)s is withdrawn from %(channel)s.") % {
                "product": product.name, "channel": channel.name})
    return redirect("workbench:product", pk=product.pk)


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def variant_detail(request, pk):
    variant = get_object_or_404(
        ProductVariant.objects.select_related("product").prefetch_related(
            "stocks__warehouse", "channel_listings__channel",
            "attribute_values__value__attribute"),
        pk=pk, product__organization=request.organization)
    channels = selectors.channels()
    warehouses = selectors.warehouses(request.organization)
    summary = selectors.variant_summary(variant)
    stocks = {s.warehouse_id: s for s in variant.stocks.all()}
    prices = {ch.pk: (price, cost) for ch, price, cost in summary["prices"]}
    initial = {"sku": variant.sku, "name": variant.name, "grade": summary["grade"],
               "weight": variant.weight}
    for channel in channels:
        price, cost = prices.get(channel.pk, (None, None))
        initial[f"price_{channel.pk}"], initial[f"cost_{channel.pk}"] = price, cost
    action = request.POST.get("action")
    form = VariantForm(request.POST if action == "edit" else None, channels=channels,
                       initial=initial, prefix="v")
    stock_form = StockForm(request.POST if action == "stock" else None, warehouses=warehouses,
                           initial={f"wh_{w}": s.quantity for w, s in stocks.items()})
    if request.method == "POST":
        try:
            if action == "edit" and form.is_valid():
                with transaction.atomic():
                    catalog_services.update_variant(variant, **form.variant_changes())
                    catalog_services.update_variant_channel_listings(variant, form.prices())
                messages.success(request, _("Saved."))
                return redirect("workbench:variant", pk=variant.pk)
            if action == "stock" and stock_form.is_valid():
                with transaction.atomic():
                    for warehouse, quantity in stock_form.quantities():
                        try:
                            shop_services.set_stock(variant, warehouse, quantity)
                        except ValidationError as error:
                            raise ValidationError({f"wh_{warehouse.pk}": error.messages}) \
                                from None
                messages.success(request, _("Stock saved."))
                return redirect("workbench:variant", pk=variant.pk)
        except ValidationError as error:
            apply_service_errors(form if action == "edit" else stock_form, error)
    rows = [(w, stocks.get(w.pk), stock_form[f"wh_{w.pk}"]) for w in warehouses]
    return page(request, "workbench/products/variant.html", {
        "variant": variant, "summary": summary, "form": form, "stock_form": stock_form,
        "rows": rows,
    }, crumbs=crumbs(_products_crumb(),
                     (variant.product.name, reverse("workbench:product",
                                                    args=[variant.product_id])),
                     (variant.name or variant.sku, None)),
        status=400 if (form.errors or stock_form.errors) else 200)


@require_GET
@member_required(PRODUCER)
def stock(request):
    return page(request, "workbench/products/stock.html", {
        "low": selectors.low_stock(request.organization),
        "threshold": selectors.LOW_STOCK_UNITS,
        "warehouses": selectors.warehouses(request.organization),
    }, crumbs=crumbs(_products_crumb(), (_("Stock"), None)))


@require_GET
@member_required(PRODUCER)
def warehouses(request):
    return page(request, "workbench/products/warehouses.html", {
        "warehouses": selectors.warehouses(request.organization),
    }, crumbs=crumbs(_products_crumb(), (_("Warehouses"), None)))
