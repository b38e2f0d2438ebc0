"""每物一码: which products are traced.

A traced product's stock comes only from packing runs (one trace code per package, see
``supplychain.services.packing``), hand-set stock counts are refused
(``shop.services.set_stock``), and each unit of an order line ships with its own valid
code (``supplychain.services.shipping``). A product is traced when its ``is_traced`` flag
is set or when a brand licence in force names it: brand-labelled products are always
traced, whatever the flag says. (A licence scoped to a whole category lets its holder
label the category's products; each becomes traced with its first brand-labelled packing
run, which sets the flag.)"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brand.models import Licence
from shop.errors import field_error

from .error_codes import ProductErrorCode as E
from .models import Product


def _named_in_licence_in_force(product_ids) -> set[int]:
    today = timezone.localdate()
    return set(Licence.objects.filter(
        products__in=list(product_ids), status=Licence.Status.ACTIVE, valid_from__lte=today,
        valid_until__gte=today).values_list("products", flat=True)) & set(product_ids)


def traced_product_ids(products) -> set[int]:
    """The ids of the traced products among ``products`` (flag or brand licence)."""
    products = list(products)
    flagged = {p.pk for p in products if p.is_traced}
    rest = [p.pk for p in products if p.pk not in flagged]
    return flagged | _named_in_licence_in_force(rest) if rest else flagged


def is_traced(product: Product) -> bool:
    return product.is_traced or bool(_named_in_licence_in_force([product.pk]))


@transaction.atomic
def set_traced(product: Product, traced: bool) -> Product:
    """Turn tracing on or off; a product a brand licence covers stays traced."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not traced and _named_in_licence_in_force([product.pk]):
        raise field_error("is_traced", _("%(product)s carries the regional brand, and brand "
                                         "products are always traced.")
                          % {"product": product.name}, E.BRAND_PRODUCT_TRACED)
    if product.is_traced != bool(traced):
        product.is_traced = bool(traced)
        product.save(update_fields=["is_traced", "updated_at"])
    return product


def refuse_hand_set_stock(variant) -> None:
    """Refuse a hand-set stock count for a traced product's variant (the product read
    afresh: the flag may have changed since the variant was loaded)."""
    product = Product.objects.get(pk=variant.product_id)
    if is_traced(product):
        raise field_error("quantity", _("%(product)s is traced (one code per item): its stock "
                                        "comes only from packing runs, which issue a trace code "
                                        "for each package.") % {"product": product.name},
                          E.TRACED_STOCK_FROM_PACKING)
