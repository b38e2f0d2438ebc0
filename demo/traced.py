"""Demo data for 每物一码: each county's regional brand (owned by its brand authority, whose
reviewer the loader already signs up), an active licence for the sellers of a few brand
products, and for those products the whole chain through the supply-chain services: a
household and a base, a sourcing lot, its passed inspection, a grading, and one
brand-labelled packing run per variant that issues a trace code for each package and is
the products' only stock. A newcomer can open a packing run in the workbench and scan any
of its codes at /t/<code>. 泽库's yak meat and 宁陕's honey carry the whole chain: feed and
veterinary drugs with their withdrawal periods, slaughter or extraction, and (the meat) a
cold-chain logger's readings with a warm hour flagged.

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
    "ningshan-honey": {"village": "筒车湾村", "township": "筒车湾镇", "head": "李秦岭",
                       "chain": "honey"},
    "zeku-yak-meat": {"village": "宁秀村", "township": "宁秀乡", "head": "才让多杰",
                      "chain": "livestock"},
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
    record_chain(lot, spec["traced"].get("chain"), user)
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
        if spec["traced"].get("chain") == "livestock":
            chain.upload_cold_chain_log(org, logger_csv(run.packed_at), min_celsius=-25,
                                        max_celsius=-18, packing_run=run, device="ZK-LOG-07",
                                        user=user)
    return issued


def record_chain(lot, kind: str | None, user) -> None:
    """Farm inputs and processing of 泽库's yaks and 宁陕's honey (withdrawal periods long
    over, so the lot may be packed)."""
    today = timezone.localdate()
    now = timezone.now()
    if kind == "livestock":
        chain.record_farm_input(lot, kind="feed", name="燕麦青干草（冬春补饲）", quantity="3 吨",
                                applied_on=today - timedelta(days=120), user=user)
        chain.record_farm_input(lot, kind="veterinary_drug", name="伊维菌素注射液（驱虫）",
                                batch_number="YW2025-118", withdrawal_days=35,
                                applied_on=today - timedelta(days=90), user=user)
        chain.record_processing_step(lot, kind="slaughter", performed_at=now - timedelta(days=12),
                                     location="泽库县定点屠宰场", certificate="动检A6300012345",
                                     user=user)
        chain.record_processing_step(lot, kind="chilling", performed_at=now - timedelta(days=11),
                                     location="泽库县定点屠宰场排酸间", notes="0-4℃ 排酸 48 小时",
                                     user=user)
        chain.record_processing_step(lot, kind="freezing", performed_at=now - timedelta(days=9),
                                     location="泽库县冷链仓储中心", notes="-18℃ 以下速冻",
                                     user=user)
    elif kind == "honey":
        chain.record_farm_input(lot, kind="veterinary_drug", name="蜂螨净（治螨）",
                                withdrawal_days=30, applied_on=today - timedelta(days=150),
                                user=user)
        chain.record_processing_step(lot, kind="extracting", performed_at=now - timedelta(days=13),
                                     location="筒车湾镇中蜂合作社摇蜜车间", user=user)


def logger_csv(start) -> str:
    """A logger's day in the cold chain, every 30 minutes, with one warm hour at loading."""
    rows = ["时间,温度(℃)"]
    for i in range(48):
        when = timezone.localtime(start) + timedelta(minutes=30 * i)
        celsius = -16.5 if i in (20, 21) else -19.0 - (i % 5) * 0.3
        rows.append(f"{when:%Y-%m-%d %H:%M},{celsius:.1f}")
    return "\n".join(rows) + "\n"


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
