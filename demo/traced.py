"""Demo data for 每物一码: each county's regional brand (owned by its brand authority, whose
reviewer the loader already signs up), an active licence for the sellers of a few brand
products, and for those products the whole chain through the supply-chain services: a
household and a base, a sourcing lot, its passed inspection, a grading, and one
brand-labelled packing run per variant that issues a trace code for each package and is
the products' only stock. A newcomer can open a packing run in the workbench and scan any
of its codes at /t/<code>.

Idempotent: a product that already has a packing run is left alone."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from brand import services as brand_services
from brand.models import Licence, RegionalBrand
from catalog.models import Category, Pavilion, Product
from supplychain import services as chain
from supplychain.models import PackingRun

from . import data

# The regional brand of each county: its licence-number prefix and trademark.
BRANDS = {
    "mianchi": ("MC", "第23456701号"),
    "xixian": ("XX", "第23456702号"),
    "xiangyuan": ("XY", "第23456703号"),
    "ningshan": ("NS", "第23456704号"),
    "zeku": ("ZK", "第23456705号"),
}

# Brand products traced from the demo's first run: no stock but their packing runs.
TRACED_PRODUCTS = {
    "mianchi-dried-persimmon": {"village": "果园村", "township": "果园乡", "head": "王建国"},
    "ningshan-honey": {"village": "筒车湾村", "township": "筒车湾镇", "head": "李秦岭"},
    "zeku-yak-meat": {"village": "宁秀村", "township": "宁秀乡", "head": "才让多杰"},
}

LAB = {"mianchi": "三门峡市农产品质量检测中心", "ningshan": "安康市农产品质量安全检验检测中心",
       "zeku": "黄南州农畜产品质量安全检测中心"}


def net_kg(net: str) -> Decimal:
    """``"500g"`` -> 0.5, ``"2.5kg"`` -> 2.5."""
    number, unit = re.fullmatch(r"([\d.]+)\s*(kg|g)", net.lower()).groups()
    return Decimal(number) / (1000 if unit == "g" else 1)


def load_brands(authorities: dict) -> dict[str, RegionalBrand]:
    """One regional brand per county, owned by its authority organisation."""
    brands = {}
    for pavilion in Pavilion.objects.filter(slug__in=BRANDS):
        code, trademark = BRANDS[pavilion.slug]
        authority = authorities[data.BRAND_AUTHORITIES[pavilion.slug]["slug"]]
        brands[pavilion.slug], _created = RegionalBrand.objects.update_or_create(
            code=code, defaults={
                "name": pavilion.regional_brand_name, "slug": f"{pavilion.slug}-brand",
                "county": pavilion.county, "authority": authority, "pavilion": pavilion,
                "trademark_number": trademark, "slogan": pavilion.slogan})
    return brands


def licence_for(brand: RegionalBrand, product: Product, user) -> Licence:
    """The seller's licence in force for ``product`` (granted for three years if none)."""
    today = timezone.localdate()
    licence = Licence.objects.filter(brand=brand, licensee=product.organization,
                                     status=Licence.Status.ACTIVE,
                                     valid_until__gte=today).first()
    if licence is None:
        licence = Licence.objects.create(
            number=brand_services.next_licence_number(brand, today.year), brand=brand,
            licensee=product.organization, valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=3 * 365), annual_label_quota=5000,
            granted_by=user)
    licence.products.add(product)
    return licence


@transaction.atomic
def pack_product(product: Product, spec: dict, brand: RegionalBrand, user) -> int:
    """The chain from a household's harvest to one packing run per variant; returns the
    codes issued (0 when the product was packed before)."""
    if PackingRun.objects.filter(variant__product=product).exists():
        return 0
    brand_services.set_brand_category(brand, Category.objects.get(pk=product.category_id))
    licence_for(brand, product, user)
    org = product.organization
    variants = list(product.variants.order_by("sku"))
    wanted = {v.pk: next(s for s in spec["variants"] if v.sku.endswith(s["code"]))
              for v in variants}
    need = sum(net_kg(s["net"]) * s["stock"] for s in wanted.values())
    household = chain.create_household(org, head_name=spec["traced"]["head"],
                                       village=spec["traced"]["village"],
                                       township=spec["traced"]["township"])
    base = chain.create_base(org, name=f"{spec['traced']['village']}基地",
                             location=f"{product.pavilion.county}{spec['traced']['township']}"
                                      f"{spec['traced']['village']}", area_mu=Decimal("200"))
    today = timezone.localdate()
    lot = chain.create_sourcing_lot(org, product=product, household=household, base=base,
                                    harvested_on=today - timedelta(days=14),
                                    quantity_kg=need, unit_price="20.00", user=user)
    chain.record_inspection(lot, lab=LAB.get(product.pavilion.slug, LAB["mianchi"]),
                            result="passed", inspected_on=today - timedelta(days=10),
                            items=[{"name": "农药残留", "value": "未检出", "passed": True},
                                   {"name": "兽药残留", "value": "未检出", "passed": True}],
                            user=user)
    grade = chain.create_grade_standard(product, name="统货", rank=1, criteria="符合品牌标准")
    record = chain.record_grading(org, inputs=[(lot, need)], outputs=[(grade, need)],
                                  loss_kg="0", user=user)
    graded = record.outputs.get()
    warehouse = org.warehouses.order_by("pk").first()
    issued = 0
    for variant in variants:
        vspec = wanted[variant.pk]
        run = chain.create_packing_run(graded, variant=variant, warehouse=warehouse,
                                       quantity=vspec["stock"], net_weight_kg=net_kg(vspec["net"]),
                                       user=user, brand_labelled=True)
        issued += run.quantity
    return issued


def load_traced(authorities: dict, user) -> int:
    """Brands, licences and the traced products' packing runs; returns the codes issued."""
    brands = load_brands(authorities)
    issued = 0
    for spec in data.PRODUCTS:
        if spec["slug"] not in TRACED_PRODUCTS:
            continue
        product = Product.objects.get(slug=spec["slug"])
        issued += pack_product(product, {**spec, "traced": TRACED_PRODUCTS[spec["slug"]]},
                               brands[spec["pavilion"]], user)
    return issued
