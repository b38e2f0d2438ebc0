"""每物一码: which products are traced.

A traced product's stock comes only from packing runs (one trace code per package, see
``supplychain.services.packing``), hand-set stock counts are refused
(``shop.services.set_stock``), and each unit of an order line ships with its own valid
code (``supplychain.services.shipping``). A product is traced when its ``is_traced`` flag
is set or when a brand licence in force covers it: brand-labelled products are always
traced, whatever the flag says."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from brand.services.coverage import covering_licences
from shop.errors import field_error

from .error_codes import ProductErrorCode as E
from .models import Product


def traced_product_ids(products) -> set[int]:
    """The ids of the traced products among ``products`` (flag or brand licence)."""
    products = list(products)
    flagged = {p.pk for p in products if p.is_traced}
    rest = [p for p in products if p.pk not in flagged]
    return flagged | set(covering_licences(rest)) if rest else flagged


def is_traced(product: Product) -> bool:
    return product.is_traced or bool(covering_licences([product]))


@transaction.atomic
def set_traced(product: Product, traced: bool) -> Product:
    """Turn tracing on or off; a product a brand licence covers stays traced."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not traced and covering_licences([product]):
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
