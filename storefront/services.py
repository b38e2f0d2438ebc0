"""Read models the storefront's pages need and no other app offers yet, and the glue
between a browser session and the shop's checkout. Business rules stay in the apps:
stock, prices, addresses and payments are checked by ``shop.services``; brand badges,
filters and search come through the GraphQL schema (see ``storefront.graph``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum

from catalog.models import Product, ProductVariant
from catalog.traced import traced_product_ids
from shop import services as shop_services
from shop import versions
from shop.models import Checkout, Order

SESSION_CHECKOUT = "storefront_checkout"
SESSION_ORDERS = "storefront_orders"
SESSION_CART_COUNT = "storefront_cart_count"
# The header's cart count, by the checkout's token (raised by ``storefront.versions``).
CART = versions.Scope("cart")
# Per user, raised when a checkout becomes theirs (created for them, or a guest's taken
# over), however it happens: a signed-in shopper's count of "no cart" is counted at it.
USER_CARTS = versions.Scope("user-carts")


# The cart: the shop's Checkout, its token kept in the session --------------------------

def session_checkout(request) -> Checkout | None:
    """The visitor's checkout: the one named in the session, else (signed in) the user's
    latest. ``None`` when there is none or it no longer exists (completed, cleaned up)."""
    token = request.session.get(SESSION_CHECKOUT)
    checkout = shop_services.get_checkout(token) if token else None
    user = request.user if request.user.is_authenticated else None
    if checkout is not None and checkout.user_id and (user is None or checkout.user_id != user.pk):
        checkout = None
    no_cart = None
    if checkout is None and user is not None:
        # Read before looking: a cart made for the user meanwhile raises it after.
        no_cart = versions.read([USER_CARTS.key(user.pk)])
        checkout = Checkout.objects.filter(user=user).select_related("channel").first()
    if checkout is not None:
        request.session[SESSION_CHECKOUT] = str(checkout.token)
    remember_cart_count(request, checkout, no_cart)
    return checkout


def session_lost_checkout(request) -> bool:
    """Whether the session names a checkout that no longer exists (an expired cart)."""
    token = request.session.get(SESSION_CHECKOUT)
    return bool(token) and shop_services.get_checkout(token) is None


def add_to_cart(request, variant_id: int, quantity: int) -> Checkout:
    """Add units to the visitor's checkout (creating it on the first item) through
    ``shop.services``, which checks availability, limits and stock."""
    lines = [{"variant_id": variant_id, "quantity": quantity}]
    checkout = session_checkout(request)
    if checkout is None:
        user = request.user if request.user.is_authenticated else None
        checkout = shop_services.create_checkout(settings.DEFAULT_CHANNEL_SLUG, user=user,
                                                 lines=lines)
    else:
        checkout = shop_services.add_checkout_lines(checkout, lines)
    request.session[SESSION_CHECKOUT] = str(checkout.token)
    remember_cart_count(request, checkout)
    return checkout


def cart_quantity(request, found: dict | None = None) -> int:
    """Units in the visitor's cart, for the header of every page. Kept in the session
    beside the checkout's token with the checkout's ``CART`` version it was counted at,
    so that a page costs no query for it while the cart is unchanged, and the count
    follows a change made anywhere (the GraphQL API, another tab). The version is taken
    from ``found`` (a cache ``get_many`` answer of the stored page) when it holds it."""
    token = request.session.get(SESSION_CHECKOUT)
    if token is None and not request.user.is_authenticated:
        return 0
    counted = request.session.get(SESSION_CART_COUNT)
    if counted is not None and len(counted) == 4 and counted[0] == token:
        key = cart_key(request)
        if key is None:
            return counted[3]  # a guest's "no cart" (a vanished checkout does not come back)
        current = (found[key],) if found and found.get(key) is not None else \
            versions.read([key])
        if current is not None and current[0] == counted[2]:
            return counted[3]
    session_checkout(request)  # counts it into the session
    return request.session[SESSION_CART_COUNT][3]


def cart_key(request) -> str | None:
    """The version the session's count was counted at: the ``CART`` version of its
    checkout, or for a signed-in shopper without one the ``USER_CARTS`` version (a cart
    made for them elsewhere, through the API or on another device, shows at once)."""
    counted = request.session.get(SESSION_CART_COUNT)
    if counted is None or len(counted) != 4:
        return None
    if counted[1] is None:
        user = request.user
        return USER_CARTS.key(user.pk) if user.is_authenticated else None
    return CART.key(counted[1])


def remember_cart_count(request, checkout: Checkout | None, no_cart=None) -> int:
    """Count ``checkout`` into the session. ``no_cart``: the ``USER_CARTS`` stamp read
    before the signed-in user's carts were looked for and none found."""
    # The version is read before the lines are counted: a change in between leaves the
    # count under the version before it, counted again next time.
    stamp = versions.read([CART.key(checkout.pk)]) if checkout else no_cart
    count = (checkout.lines.aggregate(n=Sum("quantity"))["n"] or 0) if checkout else 0
    request.session[SESSION_CART_COUNT] = [request.session.get(SESSION_CHECKOUT),
                                           str(checkout.pk) if checkout else None,
                                           stamp[0] if stamp else None, count]
    return count


def attach_checkout_to_user(request, user) -> None:
    """After signing in: the guest cart in the session becomes the user's."""
    token = request.session.get(SESSION_CHECKOUT)
    checkout = shop_services.get_checkout(token) if token else None
    if checkout is not None:
        shop_services.assign_checkout_to_user(checkout, user)


def cart_lines(checkout: Checkout) -> list[dict]:
    """Each line with its product, unit price, line total and the units still available,
    and a problem (``unavailable`` / ``insufficient_stock``) the shopper must fix."""
    lines = list(checkout.lines.all())
    found = shop_services.purchasable_variants([line.variant_id for line in lines],
                                                checkout.channel)
    variants = ProductVariant.objects.select_related("product").in_bulk(
        [line.variant_id for line in lines])
    images = first_media_ids({v.product_id for v in variants.values()})
    rows = []
    for line in lines:
        variant = variants.get(line.variant_id)
        entry = {"line": line, "variant": variant, "product": variant.product if variant else None,
                 "problem": "", "available": 0, "unit": None, "total": None,
                 "media_id": images.get(variant.product_id) if variant else None}
        if line.variant_id not in found:
            entry["problem"] = "unavailable"
        else:
            variant, price = found[line.variant_id]
            unit, _source, _ref = shop_services.line_unit_price(line, price, checkout.channel)
            entry.update(unit=unit, total=shop_services.money(unit * line.quantity))
            available = shop_services.available_quantity(variant.pk, checkout.channel)
            entry["available"] = available
            if variant.track_inventory and line.quantity > available:
                entry["problem"] = "insufficient_stock"
        rows.append(entry)
    return rows


def first_media_ids(product_ids) -> dict[int, int]:
    """``{product_id: id of its first image}`` (for thumbnails in the cart and orders)."""
    from catalog.models import ProductMedia

    result: dict[int, int] = {}
    for product_id, media_id in (ProductMedia.objects.filter(product_id__in=product_ids)
                                 .order_by("product_id", "sort_order", "pk")
                                 .values_list("product_id", "pk")):
        result.setdefault(product_id, media_id)
    return result


def remember_order(request, order: Order) -> None:
    numbers = request.session.get(SESSION_ORDERS, [])
    if order.number not in numbers:
        request.session[SESSION_ORDERS] = [*numbers, order.number][-20:]


def visible_orders(request):
    """Orders the visitor may open: a signed-in user's own, or a guest's from this session."""
    if request.user.is_authenticated:
        return Order.objects.filter(user=request.user)
    return Order.objects.filter(number__in=request.session.get(SESSION_ORDERS, []), user=None)


def reorder(request, order: Order) -> tuple[Checkout | None, list[str]]:
    """Put an order's lines back in the cart (an order not paid in time): every line that
    can still be bought is added; returns the checkout and the names that could not."""
    skipped = []
    checkout = None
    for line in order.lines.all():
        if line.variant_id is None:
            skipped.append(line.product_name)
            continue
        try:
            checkout = add_to_cart(request, line.variant_id, line.quantity)
        except ValidationError:
            skipped.append(f"{line.product_name} {line.variant_name}".strip())
    return checkout, skipped


# Provenance for the product and order pages -------------------------------------------

def product_provenance(product_id: int) -> dict:
    """The latest inspection of the product's sourcing lots that are not recalled, one
    trace code of it already looked up (a sample trace page), and the product's recalls, when
    the supply chain has them: a recalled lot's "合格" is no longer shown."""
    from supplychain import services as supply_services
    from supplychain.models import Disposition, SourcingLot, TraceCode
    from supplychain.services.recalls import product_recalls

    lot_ids = list(SourcingLot.objects.filter(product_id=product_id)
                   .exclude(recalls__isnull=False)
                   .exclude(grading_inputs__record__outputs__is_recalled=True)
                   .order_by("-pk").values_list("pk", flat=True).distinct()[:20])
    inspections = supply_services.latest_inspections(lot_ids) if lot_ids else {}
    latest = max(inspections.values(), key=lambda i: (i.inspected_on, i.pk), default=None)
    # A code whose first look-up has already happened: every look-up is counted, so showing
    # an unscanned code would take its buyer's "first look-up" and read as a copied code.
    sample = (TraceCode.objects.filter(packing_run__variant__product_id=product_id,
                                       first_scanned_at__isnull=False)
              .exclude(disposition=Disposition.RECALLED)
              .order_by("pk").values_list("code", flat=True).first())
    recalls = list(product_recalls(product_id)[:3])
    # 每物一码 is promised only for traced products (their stock comes from packing runs).
    traced = bool(traced_product_ids(Product.objects.filter(pk=product_id)))
    return {"inspection": latest, "sample_code": sample, "recalls": recalls, "traced": traced}


def tibetan_name(product_id: int) -> str:
    """The product's Tibetan name (its ``bo`` translation record, as 泽库's products have),
    shown beside the Chinese one whatever the page's language; ``""`` when it has none."""
    from content.models import ProductTranslation

    return (ProductTranslation.objects.filter(product_id=product_id, language_code="bo")
            .exclude(name="").values_list("name", flat=True).first() or "")


def shipped_codes(order: Order) -> dict[int, list[str]]:
    """``{order_line_id: [trace codes]}`` of the packages shipped on ``order``."""
    from supplychain.models import ShippedCode

    result: dict[int, list[str]] = {}
    for line_id, code in (ShippedCode.objects.filter(order_line__order=order)
                          .order_by("pk").values_list("order_line_id", "trace_code__code")):
        result.setdefault(line_id, []).append(code)
    return result


def upcoming_broadcasts(pavilion_slug: str, limit: int = 3) -> list:
    """The pavilion's live and coming broadcasts (the livestream app's service)."""
    from livestream import services as live_services

    return list(live_services.upcoming_broadcasts(pavilion_slug=pavilion_slug, limit=limit))
