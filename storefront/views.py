"""The shopper's pages. Reads go through the GraphQL schema in process
(``storefront.graph``), writes through ``shop.services``; a view shapes the result."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from api.core.ids import to_global_id
from catalog import search as catalog_search
from catalog.models import Pavilion
from county_statistics.services import official_pavilion
from shop import payments as shop_payments
from shop import services as shop_services
from shop import throttles
from shop.addresses import division_tree
from shop.models import Order, OrderEvent
from shop.pickup import PICKUP_CARRIER
from shop.services import recovery
from shop.validators import has_nul

from . import cache as page_cache
from . import graph, live, order_page, paying, queries, services, versions
from .forms import (
    AddressForm,
    AddToCartForm,
    DeliveryForm,
    LoginForm,
    RegisterForm,
    apply_service_errors,
)

logger = logging.getLogger("storefront")
PAGE_SIZE = 12
SORTS = {
    "": None,
    "price": {"field": "PRICE", "direction": "ASC"},
    "-price": {"field": "PRICE", "direction": "DESC"},
    "new": {"field": "CREATED_AT", "direction": "DESC"},
    "name": {"field": "NAME", "direction": "ASC"},
}


def _edges(connection) -> list[dict]:
    return [edge["node"] for edge in (connection or {}).get("edges", [])]


def _card(node: dict) -> dict:
    """A product card's data, with image paths relative to the site."""
    start = (((node.get("pricing") or {}).get("priceRange") or {}).get("start") or {})
    return {
        "name": node["name"], "slug": node["slug"], "available": node.get("isAvailable"),
        "image": graph.path_of((node.get("thumbnail") or {}).get("url")),
        "image2x": graph.path_of((node.get("thumbnail2x") or {}).get("url")),
        "alt": (node.get("thumbnail") or {}).get("alt") or node["name"],
        "price": (start.get("gross") or {}).get("amount"),
        "county": (node.get("pavilion") or {}).get("county"),
        "brand": (node.get("regionalBrand") or {}).get("name"),
    }


# Browsing -------------------------------------------------------------------------------

@require_GET
@page_cache.cached_page()
def home(request):
    data = graph.query(request, queries.PAVILIONS)
    pavilions = _edges(data["pavilions"])
    for pavilion in pavilions:
        pavilion["banner_path"] = graph.path_of((pavilion.get("banner") or {}).get("url"))
    return page_cache.render(request, "storefront/home.html", {
        "pavilions": pavilions, "categories": _edges(data["categories"])})


@require_GET
@page_cache.cached_page()
def pavilion(request, slug):
    # By ID, so that the featured collections show this county's own products.
    pk = Pavilion.objects.filter(slug=slug, is_published=True).values_list("pk", flat=True)
    if not pk:
        raise Http404
    data = graph.query(request, queries.PAVILION, id=to_global_id("Pavilion", pk[0]))["pavilion"]
    data["banner_path"] = graph.path_of((data.get("banner") or {}).get("url"))
    collections = [{"name": c["name"], "slug": c["slug"],
                    "products": [_card(n) for n in _edges(c["products"])]}
                   for c in data["featuredCollections"]]
    return page_cache.render(request, "storefront/pavilion.html", {
        "pavilion": data, "collections": collections,
        "products": [_card(n) for n in _edges(data["products"])],
        "broadcasts": services.upcoming_broadcasts(slug),
    })


def _listing(request, *, search=None, category=None):
    """Products with the page's filters (pavilion, grade, price, in stock) and sorting,
    through the API's ``products`` and ``productFacets``."""
    params = request.GET
    product_filter: dict = {}
    if category:
        product_filter["categories"] = [category["id"]]
    if params.get("pavilion"):
        product_filter["pavilions"] = [params["pavilion"]]
    if params.get("grade"):
        product_filter["attributes"] = [{"slug": "grade", "values": [params["grade"]]}]
    price = {}
    for bound, name in (("gte", "min"), ("lte", "max")):
        try:
            if params.get(name):
                price[bound] = max(float(params[name]), 0)
        except ValueError:
            pass
    if price:
        product_filter["price"] = price
    if params.get("instock"):
        product_filter["stockAvailability"] = "IN_STOCK"
    sort = params.get("sort", "")
    variables = {"filter": product_filter or None, "search": search, "first": PAGE_SIZE,
                 "sortBy": SORTS.get(sort), "after": params.get("after") or None}
    try:
        data = graph.query(request, queries.PRODUCTS, **variables)
    except graph.GraphQLFailure:
        if not variables["after"]:
            raise
        variables["after"] = None  # a stale or forged cursor: start again
        data = graph.query(request, queries.PRODUCTS, **variables)
    facets = page_cache.facets(
        request, lambda: graph.query(request, queries.FACETS, filter=variables["filter"],
                                     search=search)["productFacets"],
        filter=variables["filter"], search=search)
    products = data["products"]
    keep = params.copy()
    keep.pop("after", None)
    return {
        "products": [_card(n) for n in _edges(products)],
        "total": products["totalCount"],
        "next": products["pageInfo"]["endCursor"] if products["pageInfo"]["hasNextPage"] else None,
        "facets": facets,
        "chosen": {k: params.get(k, "") for k in ("pavilion", "grade", "min", "max", "instock",
                                                  "sort")},
        "filtered": any(params.get(k) for k in ("pavilion", "grade", "min", "max", "instock")),
        "query_string": keep.urlencode(),
        "sorts": [("", _("Recommended") if not search else _("Best match")),
                  ("price", _("Price: low to high")), ("-price", _("Price: high to low")),
                  ("new", _("Newest"))],
    }


@require_GET
@page_cache.cached_page()
def category(request, slug):
    if has_nul(slug):
        raise Http404
    data = graph.query(request, queries.CATEGORY, slug=slug)["category"]
    if data is None:
        raise Http404
    context = _listing(request, category=data)
    context.update(category=data, children=_edges(data["children"]))
    return page_cache.render(request, "storefront/listing.html", context)


@require_GET
@page_cache.cached_page()
def search(request):
    text = " ".join(request.GET.get("q", "").replace("\x00", " ").split())
    context = {"q": text, "error": ""}
    try:
        catalog_search.clean_query(text)
    except ValidationError as error:
        context["error"] = error.messages[0]
        return page_cache.render(request, "storefront/listing.html", context)
    if text or request.GET.get("pavilion"):
        context.update(_listing(request, search=text or None))
    if not context.get("products"):
        # Nothing to show (no word yet, or nothing found): the categories to browse instead.
        context["browse"] = _edges(graph.query(request, queries.TOP_CATEGORIES)["categories"])
    return page_cache.render(request, "storefront/listing.html", context)


@require_GET
def suggest(request):
    """Type-ahead: the API's ``searchSuggestions`` as a small JSON list."""
    text = request.GET.get("q", "").replace("\x00", " ")[: catalog_search.MAX_QUERY_LENGTH]
    if not text.strip():
        return JsonResponse({"suggestions": []})
    try:
        data = graph.query(request, queries.SUGGEST, query=text)
    except graph.GraphQLFailure:
        return JsonResponse({"suggestions": []})
    return JsonResponse({"suggestions": [
        {"text": s["text"], "url": reverse("storefront:product", args=[s["product"]["slug"]])}
        for s in data["searchSuggestions"]]})


def _variant_label(variant: dict) -> str:
    price = ((variant.get("pricing") or {}).get("price") or {}).get("gross") or {}
    label = variant["name"] or variant["sku"]
    if price:
        label = f"{label} · ¥{price['amount']:.2f}"
    return label


def _product_counters(request, slug):
    return [versions.stock_key(slug)]  # the units left, which orders take


@require_http_methods(["GET", "POST"])
@page_cache.cached_page(counters=_product_counters)
def product(request, slug):
    if has_nul(slug):
        raise Http404
    data = graph.query(request, queries.PRODUCT, slug=slug)["product"]
    if data is None:
        raise Http404
    variants = [{"pk": int(graph_pk(v["id"])), "label": _variant_label(v), **v}
                for v in data["variants"] or []]
    form = AddToCartForm(request.POST or None, variants=variants)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_to_cart(request, form.cleaned_data["variant"],
                                     form.cleaned_data["quantity"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Added to your cart."))
                if request.POST.get("then") == "cart":
                    return redirect("storefront:cart")
                return redirect("storefront:product", slug=slug)
    elif variants:
        first_in_stock = next((v for v in variants if (v["quantityAvailable"] or 0) > 0),
                              variants[0])
        form.initial["variant"] = first_in_stock["pk"]
    media = [{"alt": m["alt"] or data["name"], "small": graph.path_of(m["small"]),
              "large": graph.path_of(m["large"]), "fallback": graph.path_of(m["fallback"])}
             for m in data["media"] or []]
    provenance = services.product_provenance(int(graph_pk(data["id"])))
    live_offers = live.product_offers(int(graph_pk(data["id"])))
    response = page_cache.render(request, "storefront/product.html", {
        "product": data, "variants": variants, "form": form, "media": media,
        "provenance": provenance, "live_offers": live_offers,
        "name_bo": services.tibetan_name(int(graph_pk(data["id"]))),
    }, status=200 if request.method == "GET" or not form.errors else 400)
    # On air, the live price, the units left and the countdown are right for now only.
    return page_cache.dont_store(response) if live_offers else response


def graph_pk(global_id: str) -> str:
    from api.core.ids import resolve_global_id

    return resolve_global_id(global_id)[1]


# Cart and checkout ----------------------------------------------------------------------

def _cart_context(request, checkout):
    lines = services.cart_lines(checkout) if checkout else []
    totals = shop_services.checkout_totals(checkout) if checkout else None
    return {"checkout": checkout, "lines": lines, "totals": totals,
            "problems": any(row["problem"] for row in lines)}


@require_http_methods(["GET", "POST"])
def cart(request):
    checkout = services.session_checkout(request)
    if checkout is None and services.session_lost_checkout(request):
        messages.warning(request, _("Your cart has expired. Please add the items again."))
        request.session.pop(services.SESSION_CHECKOUT, None)
    line_errors = {}
    if request.method == "POST" and checkout is not None:
        try:
            line_id = int(request.POST.get("line", ""))
            quantity = int(request.POST.get("quantity", ""))
        except ValueError:
            line_errors = {"form": _("Enter a whole number.")}
        else:
            line = checkout.lines.filter(pk=line_id).first()
            if line is None:
                messages.warning(request, _("This item is no longer in your cart."))
                return redirect("storefront:cart")
            try:
                if quantity <= 0 or request.POST.get("remove"):
                    shop_services.delete_checkout_lines(checkout, [line.pk])
                else:
                    shop_services.update_checkout_lines(
                        checkout, [{"variant_id": line.variant_id, "quantity": quantity}])
            except ValidationError as error:
                line_errors = {line.pk: " ".join(error.messages)}
            else:
                return redirect("storefront:cart")
    context = _cart_context(request, checkout)
    context["line_errors"] = line_errors
    return render(request, "storefront/cart.html", context, status=400 if line_errors else 200)


@require_http_methods(["GET", "POST"])
def checkout(request):
    checkout = services.session_checkout(request)
    if checkout is None:
        if services.session_lost_checkout(request):
            messages.warning(request, _("Your cart has expired. Please add the items again."))
            request.session.pop(services.SESSION_CHECKOUT, None)
        return redirect("storefront:cart")
    context = _cart_context(request, checkout)
    if not context["lines"]:
        return redirect("storefront:cart")
    need_email = not request.user.is_authenticated
    address = checkout.shipping_address
    initial = address.as_data() if address else {}
    initial["email"] = checkout.email
    address_form = AddressForm(request.POST if request.POST.get("step") == "address" else None,
                               initial=initial, need_email=need_email)
    status = 200
    if request.POST.get("step") == "address":
        if address_form.is_valid():
            try:
                if need_email:
                    shop_services.update_checkout_email(checkout,
                                                        address_form.cleaned_data["email"])
                elif not checkout.email and request.user.email:
                    shop_services.update_checkout_email(checkout, request.user.email)
                shop_services.update_checkout_address(checkout, "shipping",
                                                      address_form.address())
            except ValidationError as error:
                apply_service_errors(address_form, error)
            else:
                return redirect(reverse("storefront:checkout") + "#delivery")
        status = 400
    checkout.refresh_from_db()
    # A carrier that costs nothing is 包邮; a pick-up point keeps its ¥0.00 (nothing ships).
    methods = [(m, (_("%(name)s · ¥%(price)s") % {"name": m.name, "price": price}
                    if price or m.carrier == PICKUP_CARRIER
                    else f"{m.name} · " + _("Free shipping"))
                + (f" · {m.min_delivery_days}-{m.max_delivery_days} " + _("days")
                   if m.min_delivery_days and m.max_delivery_days else ""))
               for m, price in shop_services.available_shipping_methods(checkout)]
    delivery_form = DeliveryForm(request.POST if request.POST.get("step") == "pay" else None,
                                 methods=methods)
    if checkout.shipping_method_id and not delivery_form.is_bound:
        delivery_form.initial["method"] = checkout.shipping_method_id
    if request.POST.get("step") == "pay":
        if delivery_form.is_valid():
            url = _place_and_pay(request, checkout, delivery_form)
            if url:
                return redirect(url)
        status = 400
    context.update(_cart_context(request, checkout))
    context.update(address_form=address_form, delivery_form=delivery_form,
                   address=checkout.shipping_address, methods=methods,
                   pickup=checkout.shipping_method_id is not None
                   and checkout.shipping_method.carrier == PICKUP_CARRIER)
    return render(request, "storefront/checkout.html", context, status=status)


def _place_and_pay(request, checkout, delivery_form) -> str | None:
    """Carrier, order, Alipay: the order is placed (stock reserved) and the shopper sent
    to the cashier. On a refusal the cart stays as it was and the error is shown."""
    try:
        shop_services.update_checkout_delivery_method(checkout,
                                                      delivery_form.cleaned_data["method"])
        order = shop_services.complete_checkout(checkout.token, user=request.user)
    except ValidationError as error:
        apply_service_errors(delivery_form, error)
        return None
    services.remember_order(request, order)
    request.session.pop(services.SESSION_CHECKOUT, None)
    return _payment_url(request, order)


def _payment_url(request, order) -> str | None:
    return paying.payment_url(request, order)


@require_GET
def payment_return(request):
    """Where Alipay sends the buyer back (the shop's ``/alipay/return/`` in the
    storefront's dress): the signed query string names the trade; the order's state comes
    from our database, marked paid by the notice or, when it has not come yet, by asking
    Alipay (``alipay.trade.query``) now."""
    params = request.GET.dict()
    verified = shop_payments.verify_notice(params)
    order = payment = None
    if verified:
        payment = shop_services.returned_payment(params.get("out_trade_no", ""))
        order = payment.order if payment else None
    if order is not None:
        services.remember_order(request, order)
    # Paid means the order was: a payment that came after it was cancelled goes back.
    paid = order is not None and order.paid_at is not None
    return render(request, "storefront/payment_return.html",
                  {"verified": verified, "order": order, "paid": paid,
                   "payment": payment,
                   **(paying.payment_context(order) if order is not None else {})},
                  status=200 if verified else 400)


# Orders ---------------------------------------------------------------------------------

@require_GET
def orders(request):
    rows = list(services.visible_orders(request).prefetch_related("lines")
                .order_by("-number")[:50])
    paying.mark_payable(rows)
    return render(request, "storefront/orders.html", {"orders": rows})


@require_http_methods(["GET", "POST"])
def order(request, number):
    order = get_object_or_404(services.visible_orders(request).select_related(
        "shipping_address"), number=number)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "pay":
            url = _payment_url(request, order)
            return redirect(url)
        if action == "reorder":
            _checkout, skipped = services.reorder(request, order)
            if skipped:
                messages.warning(request, _("These items could not be added again: %(items)s")
                                 % {"items": "、".join(skipped)})
            return redirect("storefront:cart")
        if action == "confirm":
            return order_page.confirm(request, order)
        if action == "after_sales":
            return order_page.after_sales(request, order)
        if action == "cancel":
            return _cancel_unpaid(request, order)
    lines = list(order.lines.select_related("organization", "variant"))
    codes = services.shipped_codes(order)
    images = services.first_media_ids({line.variant.product_id for line in lines
                                       if line.variant_id})
    for line in lines:
        line.trace_codes = codes.get(line.pk, [])
        line.media_id = images.get(line.variant.product_id) if line.variant_id else None
    expired = ((order.status == Order.Status.UNPAID and order.expires_at is not None
                and order.expires_at <= timezone.now())
               or (order.status in (Order.Status.CANCELLED, Order.Status.REFUNDED)
                   and order.events.filter(type=OrderEvent.Type.EXPIRED).exists()))
    return render(request, "storefront/order.html", {
        "order": order, "lines": lines, "events": order.events.all(),
        "fulfillments": order.fulfillments.all(), "expired": expired,
        "can_pay": order.status == Order.Status.UNPAID and not expired,
        # Who to call about this order (after-sales, a question): each seller with a phone.
        "sellers": list({line.organization_id: line.organization for line in lines
                         if line.organization.contact_phone}.values()),
        **order_page.context(order, request),
        **paying.payment_context(order),
    })


def _cancel_unpaid(request, order):
    """The shopper calls off an order they have not paid; its reserved stock goes back.
    A paid order is cancelled by its seller, who refunds it."""
    if order.status != Order.Status.UNPAID:
        messages.error(request, _("This order can no longer be cancelled here: ask the "
                                  "seller, who cancels it and refunds you."))
        return redirect("storefront:order", number=order.number)
    try:
        shop_services.cancel_order(order, user=request.user if request.user.is_authenticated
                                   else None, reason=_("Cancelled by the shopper."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        kept = order.total_charged_amount - order.total_refunded_amount
        messages.success(request, _("Order cancelled. Nothing was charged.") if kept <= 0 else
                         _("Order cancelled. The %(amount)s you paid goes back to your "
                           "Alipay account.") % {"amount": f"¥{kept}"})
    return redirect("storefront:order", number=order.number)


# Accounts -------------------------------------------------------------------------------

def _next_url(request, default="storefront:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  request.is_secure()):
        return target
    return reverse(default)


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = LoginForm(request.POST or None)
    retry_after = 0
    if request.method == "POST" and form.is_valid():
        try:
            user = throttles.throttled_authenticate(form.cleaned_data["email"],
                                                    form.cleaned_data["password"],
                                                    throttles.client_address(request))
        except ValidationError as error:
            apply_service_errors(form, error)
            retry_after = getattr(error, "retry_after", 0)
        else:
            _sign_in(request, user)
            return redirect(_next_url(request, default=_landing(user)))
    response = render(request, "storefront/sign_in.html",
                      {"form": form, "next": request.GET.get("next", "")},
                      status=429 if retry_after else 400 if form.errors else 200)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _landing(user) -> str:
    """Where a sign-in without a ``next`` lands: members of an organisation and hosts in
    their workbench, county officials on their county's report (readable on a phone, with
    its export), shoppers in the shop."""
    if user.organization_ids() or getattr(user, "livestream_host", None) is not None:
        return "workbench:home"
    if official_pavilion(user) is not None:
        return "statistics:report"
    return "storefront:home"


def _sign_in(request, user):
    token = request.session.get(services.SESSION_CHECKOUT)
    orders = request.session.get(services.SESSION_ORDERS, [])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if token:  # the session key changed; the cart and guest orders stay
        request.session[services.SESSION_CHECKOUT] = token
        services.attach_checkout_to_user(request, user)
    request.session[services.SESSION_ORDERS] = orders


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = recovery.register(
                form.cleaned_data["email"], form.cleaned_data["password"],
                first_name=form.cleaned_data["first_name"],
                redirect_url=settings.PUBLIC_URL + reverse("storefront:confirm-account"))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if registration.requires_confirmation:
                messages.info(request, _("Check your e-mail to confirm your account: open the "
                                         "link we sent to %(email)s, then sign in.")
                              % {"email": form.cleaned_data["email"].strip().lower()})
                return redirect("storefront:sign-in")
            _sign_in(request, registration.user)
            messages.success(request, _("Welcome! Your account has been created."))
            return redirect(_next_url(request))
    return render(request, "storefront/register.html",
                  {"form": form, "next": request.GET.get("next", "")},
                  status=400 if form.errors else 200)


@require_GET
def confirm_account(request):
    """The page the confirmation e-mail links to: it activates the account, then the
    shopper signs in (the link itself signs nobody in: it may be opened on any device)."""
    try:
        recovery.confirm_account(request.GET.get("email", ""), request.GET.get("token", ""))
    except ValidationError:
        messages.error(request, _("This link is invalid or has expired. Register again with "
                                  "the same address to get a new one."))
        return redirect("storefront:register")
    messages.success(request, _("Your account is confirmed. Please sign in."))
    return redirect("storefront:sign-in")


@require_POST
def sign_out(request):
    logout(request)
    return redirect("storefront:home")


@require_GET
def divisions(request):
    """The address pickers' data: the cities of a province, or the districts of a city
    (the same division tree ``shop.addresses`` validates against)."""
    tree = division_tree()
    province, city = request.GET.get("province", ""), request.GET.get("city", "")
    cities = tree.get(province, {})
    if city:
        return JsonResponse({"districts": cities.get(city, [])})
    return JsonResponse({"cities": list(cities)})
