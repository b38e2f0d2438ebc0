"""Coverage: the categories a brand covers (and their standards), whether an
application's scope is within them, and which licence in force covers a product, for the
product badge and the public trace page."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Category, Product
from shop.errors import field_error
from shop.models import Organization

from ..error_codes import BrandErrorCode as E
from ..models import BrandCategory, LabelUse, Licence, RegionalBrand
from .licences import verification_url


def category_parents() -> dict[int, int | None]:
    """The category tree as ``{id: parent_id}`` (one query; the tree is small)."""
    return dict(Category.objects.values_list("pk", "parent_id"))


def ancestry(category_id: int | None, parents: dict[int, int | None]) -> list[int]:
    """``category_id`` and its ancestors, nearest first."""
    chain = []
    while category_id is not None and category_id not in chain:
        chain.append(category_id)
        category_id = parents.get(category_id)
    return chain


def _covers(category_ids: set[int], category_id, parents) -> bool:
    return any(c in category_ids for c in ancestry(category_id, parents))


def _brand_category_ids(brand: RegionalBrand) -> set[int]:
    return set(BrandCategory.objects.filter(brand=brand).values_list("category_id", flat=True))


def clean_scope(brand, applicant, categories, products):
    """Categories and products of an application: each within the brand's categories,
    products the applicant's own."""
    categories = list(categories or [])
    products = list(products or [])
    for field, items in (("categories", categories), ("products", products)):
        pks = [item.pk for item in items]
        if len(set(pks)) != len(pks):
            raise field_error(field, _("The same item is listed twice."), E.DUPLICATED_INPUT_ITEM)
    covered = _brand_category_ids(brand)
    parents = category_parents()
    for category in categories:
        if not _covers(covered, category.pk, parents):
            raise field_error("categories", _("The brand %(brand)s does not cover the category "
                                              "%(category)s.")
                              % {"brand": brand.name, "category": category.name},
                              E.CATEGORY_NOT_COVERED)
    for product in products:
        if product.organization_id != applicant.pk:
            raise field_error("products", _("%(product)s is not your organisation's product.")
                              % {"product": product.name}, E.PRODUCT_NOT_OWNED)
        if not _covers(covered, product.category_id, parents):
            raise field_error("products", _("The brand %(brand)s does not cover the category of "
                                            "%(product)s.")
                              % {"brand": brand.name, "product": product.name},
                              E.CATEGORY_NOT_COVERED)
    return categories, products


def covering_licences(products) -> dict[int, Licence]:
    """For each product (id, organization_id, category_id), the licence in force that lets
    its seller put the brand on it. Three queries whatever the number of products."""
    products = list(products)
    if not products:
        return {}
    today = timezone.localdate()
    licences = list(
        Licence.objects.filter(licensee_id__in={p.organization_id for p in products},
                               status=Licence.Status.ACTIVE, valid_from__lte=today,
                               valid_until__gte=today)
        .select_related("brand").prefetch_related("categories", "products")
        .order_by("valid_until", "pk"))
    if not licences:
        return {}
    parents = category_parents()
    found = {}
    for product in products:
        chain = set(ancestry(product.category_id, parents))
        for licence in licences:
            if licence.licensee_id != product.organization_id:
                continue
            if (any(p.pk == product.pk for p in licence.products.all())
                    or any(c.pk in chain for c in licence.categories.all())):
                found[product.pk] = licence
                break
    return found


def covering_licence_for_update(organization: Organization, product: Product):
    today = timezone.localdate()
    parents = category_parents()
    chain = ancestry(product.category_id, parents)
    candidates = (Licence.objects.filter(
        Q(products=product) | Q(categories__in=chain), licensee=organization)
        .distinct().order_by("valid_until", "pk").values_list("pk", flat=True))
    locked = list(Licence.objects.select_for_update().filter(pk__in=list(candidates))
                  .order_by("pk"))
    in_force = [lic for lic in locked if lic.is_in_force(today)]
    return in_force, locked


def licence_status_for(*, product: Product | None = None,
                       organization: Organization | None = None,
                       reference: str | None = None) -> dict | None:
    """What the public trace page says about the brand: the licence that a labelled item
    was issued under (``reference``), else the one covering ``product``, else the seller's
    latest; with its live status. None when there is no licence at all."""
    licence = None
    if reference:
        use = LabelUse.objects.filter(reference=reference).select_related(
            "licence__brand").first()
        licence = use.licence if use else None
    if licence is None and product is not None:
        licence = covering_licences([product]).get(product.pk)
        organization = organization or product.organization
        if licence is None:
            parents = category_parents()
            chain = ancestry(product.category_id, parents)
            licence = (Licence.objects.filter(Q(products=product) | Q(categories__in=chain),
                                              licensee_id=product.organization_id)
                       .select_related("brand").order_by("-valid_until", "-pk").first())
    if licence is None and organization is not None:
        licence = (Licence.objects.filter(licensee=organization).select_related("brand")
                   .order_by("-valid_until", "-pk").first())
    if licence is None:
        return None
    in_force = licence.is_in_force()
    return {
        "brand": licence.brand.name,
        "number": licence.number,
        "status": licence.status if in_force or licence.status != Licence.Status.ACTIVE
        else Licence.Status.EXPIRED,
        "status_display": licence.get_status_display() if in_force
        or licence.status != Licence.Status.ACTIVE else Licence.Status.EXPIRED.label,
        "in_force": in_force,
        "valid_until": licence.valid_until,
        "verification_url": verification_url(licence),
    }


@transaction.atomic
def set_brand_category(brand: RegionalBrand, category, *, max_inspection_age_days=None,
                       min_grade: str = "", requires_sc_certificate: bool = False,
                       standard: str = "") -> BrandCategory:
    """Add a category to the brand (or change its standard)."""
    row, _created = BrandCategory.objects.update_or_create(
        brand=brand, category=category,
        defaults={"max_inspection_age_days": max_inspection_age_days,
                  "min_grade": min_grade, "requires_sc_certificate": requires_sc_certificate,
                  "standard": standard})
    return row
