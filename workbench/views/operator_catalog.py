"""The pavilion operator's catalogue (上架审核, 专题): every seller's products by status,
seller and category; taking one off sale with a reason and putting it back; the category
tree (create, rename, move up and down) and the collections, the pavilion's 专题 (create,
rename, show in the shop, add products, order and remove them). Writes go through
``catalog.curation``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import curation
from catalog.models import Category, Collection, CollectionChannelListing, Product
from shop.models import Channel

from .. import operator_selectors as selectors
from ..access import member_required
from ..forms import apply_service_errors
from ..nav import crumbs
from ..operator_forms import (
    CategoryForm,
    CollectionForm,
    NameForm,
    OptionalReasonForm,
    ProductFilterForm,
    ReasonForm,
)
from ..roles import OPERATOR
from . import page

PAGE_SIZE = 20


def _step(request) -> int:
    return -1 if request.POST.get("move") == "up" else 1


# Products -------------------------------------------------------------------------------

@require_GET
@member_required(OPERATOR)
def product_list(request):
    form = ProductFilterForm(request.GET or None)
    products = Paginator(selectors.products(**form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page(request, "workbench/ops/products.html", {
        "form": form, "products": products, "query": query.urlencode(),
        "status": request.GET.get("status", ""), "statuses": ProductFilterForm.STATUSES,
    }, crumbs=crumbs((_("All products"), None)))


def _product_page(request, product, *, takedown_form=None, status=200):
    product = selectors.product_detail(product.pk)
    moderations = list(product.moderations.all())
    taken_down = bool(moderations) and moderations[0].action == moderations[0].Action.UNPUBLISHED
    return page(request, "workbench/ops/product.html", {
        "product": product, "moderations": moderations, "taken_down": taken_down,
        "takedown_form": takedown_form or (OptionalReasonForm() if taken_down else ReasonForm()),
    }, crumbs=crumbs((_("All products"), reverse("workbench:ops-products")),
                     (product.name, None)), status=status)


@require_GET
@member_required(OPERATOR)
def product_detail(request, pk):
    return _product_page(request, get_object_or_404(Product, pk=pk))


@require_POST
@member_required(OPERATOR)
def product_moderate(request, pk):
    """Take the product off sale (``action=unpublish``, a reason required) or put it back."""
    product = get_object_or_404(Product, pk=pk)
    unpublish = request.POST.get("action") == "unpublish"
    form = (ReasonForm if unpublish else OptionalReasonForm)(request.POST)
    if form.is_valid():
        try:
            if unpublish:
                curation.unpublish_product(product, form.cleaned_data["reason"], user=request.user)
            else:
                curation.republish_product(product, form.cleaned_data["reason"], user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error, {"product": None})
        else:
            messages.success(request, (_("%(product)s is off sale; its seller is told why.")
                                       if unpublish else _("%(product)s is on sale again."))
                             % {"product": product.name})
            return redirect("workbench:ops-product", pk=product.pk)
    return _product_page(request, product, takedown_form=form, status=400)


# Categories -----------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@member_required(OPERATOR)
def categories(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = curation.create_category(form.cleaned_data["name"],
                                                parent=form.cleaned_data["parent"])
        except ValidationError as error:
            apply_service_errors(form, error, {"slug": "name"})
        else:
            messages.success(request, _("Category %(name)s is created.") % {"name": category.name})
            return redirect("workbench:ops-categories")
    return page(request, "workbench/ops/categories.html", {
        "form": form, "tree": selectors.category_tree(),
    }, crumbs=crumbs((_("Categories"), None)), status=400 if form.errors else 200)


@require_POST
@member_required(OPERATOR)
def category_change(request, pk):
    """Rename the category (``name``), move it among its siblings (``move=up|down``), put
    it under another one (``reparent`` with ``parent``, empty for the top level) or remove
    it (``delete``)."""
    category = get_object_or_404(Category, pk=pk)
    try:
        if "move" in request.POST:
            curation.move_category(category, _step(request))
        elif "delete" in request.POST:
            curation.delete_category(category)
            messages.success(request, _("Category %(name)s is removed.") % {"name": category.name})
            return redirect("workbench:ops-categories")
        elif "reparent" in request.POST:
            parent_id = request.POST.get("parent", "")
            if parent_id and not parent_id.isdigit():
                raise Http404
            parent = get_object_or_404(Category, pk=parent_id) if parent_id else None
            curation.update_category(category, parent=parent)
            messages.success(request, _("Category %(name)s is moved.") % {"name": category.name})
        else:
            form = NameForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["name"])
            curation.update_category(category, name=form.cleaned_data["name"])
            messages.success(request, _("Category renamed to %(name)s.") % {"name": category.name})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{reverse('workbench:ops-categories')}#category-{category.pk}")


# Collections (专题) -----------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@member_required(OPERATOR)
def collections(request):
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = curation.create_collection(form.cleaned_data["name"],
                                                    description=form.cleaned_data["description"])
        except ValidationError as error:
            apply_service_errors(form, error, {"slug": "name"})
        else:
            messages.success(request, _("Collection %(name)s is created: add its products.")
                             % {"name": collection.name})
            return redirect("workbench:ops-collection", pk=collection.pk)
    return page(request, "workbench/ops/collections.html", {
        "form": form, "collections": list(selectors.collections()),
    }, crumbs=crumbs((_("Collections"), None)), status=400 if form.errors else 200)


def _collection_page(request, collection, *, form=None, status=200):
    channels = list(Channel.objects.filter(is_active=True).order_by("name"))
    published = set(CollectionChannelListing.objects.filter(
        collection=collection, is_published=True).values_list("channel_id", flat=True))
    q = request.GET.get("q", "")
    return page(request, "workbench/ops/collection.html", {
        "collection": collection,
        "form": form or CollectionForm(initial={"name": collection.name,
                                                "description": collection.description}),
        "rows": selectors.collection_products(collection),
        "channels": [(channel, channel.pk in published) for channel in channels],
        "q": q, "candidates": selectors.products_to_add(collection, q),
    }, crumbs=crumbs((_("Collections"), reverse("workbench:ops-collections")),
                     (collection.name, None)), status=status)


@require_http_methods(["GET", "POST"])
@member_required(OPERATOR)
def collection_detail(request, pk):
    collection = get_object_or_404(Collection, pk=pk)
    if request.method == "GET":
        return _collection_page(request, collection)
    form = CollectionForm(request.POST)
    if form.is_valid():
        try:
            curation.update_collection(collection, name=form.cleaned_data["name"],
                                       description=form.cleaned_data["description"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Collection saved."))
            return redirect("workbench:ops-collection", pk=collection.pk)
    return _collection_page(request, collection, form=form, status=400)


@require_POST
@member_required(OPERATOR)
def collection_change(request, pk):
    """One change to the collection's content: ``publish`` in a channel (1 or 0), ``add``
    products (ids), ``remove`` one, or ``move`` one up or down."""
    collection = get_object_or_404(Collection, pk=pk)
    post = request.POST
    try:
        if "publish" in post:
            channel = get_object_or_404(Channel, pk=post.get("channel"), is_active=True)
            shown = post["publish"] == "1"
            curation.set_collection_published(collection, channel, shown)
            messages.success(request, (_("Shown in %(channel)s.") if shown
                                       else _("Hidden from %(channel)s."))
                             % {"channel": channel.name})
        elif "add" in post:
            ids = [pk for pk in post.getlist("product") if pk.isdigit()]
            added = curation.add_collection_products(
                collection, list(Product.objects.filter(pk__in=ids).order_by("name", "pk")))
            messages.success(request, _("%(n)s products added.") % {"n": added})
        else:
            product = get_object_or_404(Product, pk=post.get("product"))
            if "remove" in post:
                curation.remove_collection_products(collection, [product])
                messages.success(request, _("%(product)s removed.") % {"product": product.name})
            else:
                curation.reorder_collection_products(collection, [(product, _step(request))])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("workbench:ops-collection", pk=collection.pk)
