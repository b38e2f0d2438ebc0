"""The demo data (the ``demo`` app): ``manage.py load_demo_data`` loads the five seed counties'
pavilions and catalogue through the services, and a second run changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from PIL import Image

from catalog.models import (
    Category,
    Collection,
    CollectionChannelListing,
    Pavilion,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
    Thumbnail,
)
from catalog.services import clean_gtin
from content.models import Menu
from county_statistics.demo import load_demo_statistics
from demo import content as demo_content
from demo import data as demo_data
from demo import images as demo_images
from shop.models import Channel, Membership, Organization, Stock, User
from shop.pickup import PickupPoint
from supplychain.models import Disposition, PackingRun, ShippedCode, TraceCode

NAMED = ["柿饼", "核桃", "小米", "花椒", "香稻丸", "手工挂面", "老粗布", "蜂蜜", "香菇",
         "牦牛肉", "藏羊", "蕨麻", "黄蘑菇"]


def row_counts() -> dict[str, int]:
    """Rows of every catalogue and commerce table, M2M link tables included."""
    return {
        model._meta.label: model.objects.count()
        for label in ("catalog", "shop")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def media_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def load(**kwargs) -> str:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out, **kwargs)
    return out.getvalue()


# The tables, without a database ----------------------------------------------------------

def test_demo_tables_are_consistent():
    pavilions = {p["slug"] for p in demo_data.PAVILIONS}
    sellers = {s["slug"]: s for s in demo_data.SELLERS}
    children = {slug for *_root, kids in demo_data.CATEGORIES for slug, _name in kids}
    types = {t["slug"] for t in demo_data.PRODUCT_TYPES}
    products = {p["slug"] for p in demo_data.PRODUCTS}
    assert len(products) == len(demo_data.PRODUCTS) >= 45
    skus = [f"{p['sku']}-{v['code']}" for p in demo_data.PRODUCTS for v in p["variants"]]
    assert len(skus) == len(set(skus))
    for spec in demo_data.PRODUCTS:
        assert spec["slug"].isascii(), spec["slug"]
        assert spec["pavilion"] in pavilions
        assert sellers[spec["seller"]]["pavilion"] == spec["pavilion"]
        assert spec["category"] in children
        assert spec["type"] in types
        assert spec["shape"] in demo_images.SHAPES
        assert 1 <= len(spec["variants"]) <= 3
        for variant in spec["variants"]:
            assert Decimal(variant["cost"]) < Decimal(variant["price"])
            assert clean_gtin(variant["gtin"]) == variant["gtin"]
    for collection in demo_data.COLLECTIONS:
        assert set(collection["products"]) <= products
    for spec in demo_data.PAVILIONS:
        assert 1 <= len(spec["featured"]) <= 2
    for county in pavilions:
        assert 2 <= sum(s["pavilion"] == county for s in demo_data.SELLERS) <= 3


def test_gs1_check_digit():
    assert demo_data.gs1("690123456789") == "6901234567892"
    with pytest.raises(ValidationError):  # a wrong check digit is refused by the service
        clean_gtin("6901234567891")


# Pictures -------------------------------------------------------------------------------

def test_product_image_is_deterministic_800px_jpeg():
    first = demo_images.product_image("mianchi-dried-persimmon", "渑池柿饼", "persimmon",
                                      category="dried-persimmon",
                                      root_category="dried-fruit-nuts", subtitle="仰韶渑池")
    again = demo_images.product_image("mianchi-dried-persimmon", "渑池柿饼", "persimmon",
                                      category="dried-persimmon",
                                      root_category="dried-fruit-nuts", subtitle="仰韶渑池")
    other = demo_images.product_image("mianchi-walnut", "渑池薄皮核桃", "walnut",
                                      category="walnut", root_category="dried-fruit-nuts")
    assert first == again
    assert first != other
    with Image.open(io.BytesIO(first)) as image:
        assert image.format == "JPEG"
        assert image.size == (800, 800)


@pytest.mark.parametrize("shape", sorted(demo_images.SHAPES))
def test_every_shape_draws_without_a_cjk_font(monkeypatch, shape):
    monkeypatch.setattr(demo_images, "find_cjk_font", lambda: None)
    content = demo_images.product_image(f"demo-{shape}", "测试商品", shape)
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (800, 800)
    banner = demo_images.banner_image("demo", "测试特色馆", "标语", ((10, 20, 30), (200, 200, 200)))
    with Image.open(io.BytesIO(banner)) as image:
        assert image.size == (1600, 600)


# The command ------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_load_demo_data_then_reload(media_root):
    """One load (it takes a while: 50 products, 59 images, 590 thumbnails), then two
    reloads: one that must change nothing, one that must put back what was changed."""
    output = load()

    channel = Channel.objects.get(slug="default")
    assert (channel.name, channel.currency_code) == ("特色馆", "CNY")

    # Pavilions, with story, brand, banner and featured collections
    assert Pavilion.objects.count() == 5
    assert set(Pavilion.objects.values_list("county", flat=True)) == {
        "渑池县", "息县", "襄垣县", "宁陕县", "泽库县"}
    for pavilion in Pavilion.objects.all():
        assert pavilion.story and pavilion.regional_brand_name and pavilion.slogan
        assert pavilion.banner and (media_root / pavilion.banner.name).is_file()
        assert 1 <= pavilion.featured_collections.count() <= 2
    assert Pavilion.objects.get(slug="xixian").regional_brand_name == "中国生态主食厨房"

    # A two-level category tree
    assert Category.objects.count() >= 15
    assert Category.objects.filter(level=1).count() >= 15
    assert set(Category.objects.values_list("level", flat=True)) == {0, 1}

    # Products: each sold by a cooperative or enterprise, priced, imaged, stocked
    products = Product.objects.all()
    assert products.count() >= 40
    names = " ".join(products.values_list("name", flat=True))
    for word in NAMED:
        assert word in names, word
    for product in products.select_related("organization", "pavilion", "category"):
        assert product.pavilion_id and product.category_id and product.description
        assert product.organization.kind in ("cooperative", "enterprise")
        prices = ProductVariantChannelListing.objects.filter(
            variant__product=product, channel=channel)
        assert prices.filter(price_amount__gt=0).exists(), product.slug
        listing = ProductChannelListing.objects.get(product=product, channel=channel)
        assert listing.discounted_price_amount == min(p.price_amount for p in prices)
        assert product.attribute_values.filter(value__attribute__slug="origin").exists()
        assert product.media.exists(), product.slug
        assert Stock.objects.filter(product_variant__product=product).count() == \
            product.variants.count()
        assert product.search_document
    assert 1 <= ProductChannelListing.objects.filter(channel=channel,
                                                     is_published=False).count() <= 2
    sold_out = [p for p in products if not Stock.objects.filter(
        product_variant__product=p, quantity__gt=0).exists()]
    assert 1 <= len(sold_out) <= 2
    for media in ProductMedia.objects.all():
        assert (media.width, media.height) == (800, 800)
        assert (media_root / media.image.name).is_file()
        assert media.thumbnails.count() == 10  # 5 sizes × WEBP, JPEG, made inline
    gtins = list(products.values_list("variants__gtin", flat=True))
    assert sum(bool(g) for g in gtins) >= 5
    for gtin in gtins:
        assert clean_gtin(gtin) == (gtin or "")

    # Collections published in the default channel
    assert Collection.objects.count() >= 4
    for collection in Collection.objects.all():
        assert CollectionChannelListing.objects.get(
            collection=collection, channel=channel).is_published
        assert collection.products.exists()

    # The menus a Saleor storefront asks for: its navigation, home page and footer
    menus = {menu.slug: menu for menu in Menu.objects.all()}
    assert set(menus) == {"navbar", "homepage", "footer"}
    assert menus["homepage"].items.filter(collection__isnull=False).count() == \
        len(demo_content.COLLECTION_NAMES)
    assert menus["footer"].items.filter(page__slug="brand-story").exists()
    assert menus["footer"].items.filter(page__isnull=False).count() == 1 + Pavilion.objects.count()

    # Organisations, warehouses and users
    operator_org = Organization.objects.get(kind="operator")
    assert operator_org.name == "特色馆运营团队"
    assert Organization.objects.filter(kind="brand_authority").count() == 5
    sellers = Organization.objects.filter(kind__in=["cooperative", "enterprise"])
    assert sellers.count() >= 10
    for org in sellers:
        warehouse = org.warehouses.get()
        assert warehouse.channels.filter(pk=channel.pk).exists()
        assert org.memberships.filter(role=Membership.Role.ADMIN).exists()
    operator = User.objects.get(email="operator@pavilion.demo")
    assert operator.is_staff and operator.is_superuser and operator.is_operator
    assert operator.check_password("pavilion-demo")
    assert Membership.objects.get(user=operator, organization=operator_org).role == "admin"
    coop_user = User.objects.get(email="coop-zeku-lagri-livestock@pavilion.demo")
    assert coop_user.check_password("pavilion-demo") and not coop_user.is_staff

    # The summary
    for text in ("operator@pavilion.demo", "pavilion-demo", "http://localhost:8000/admin/",
                 "http://localhost:8000/graphql/", "特色馆", "pavilions: 5"):
        assert text in output

    # Files went to the test's MEDIA_ROOT
    files = media_files(media_root)
    assert len(files) == (ProductMedia.objects.count() + Thumbnail.objects.count()
                          + Pavilion.objects.count() + Collection.objects.count())

    # A second run adds and changes nothing
    counts = row_counts()
    stamps = sorted(Product.objects.values_list("slug", "updated_at"))
    again = load()
    assert row_counts() == counts
    assert media_files(media_root) == files
    assert sorted(Product.objects.values_list("slug", "updated_at")) == stamps
    assert "nothing changed" in again

    # The county screen's history (two months of it here) keeps 每物一码: a traced
    # product's codes still on hand are exactly its units in stock, and every other code
    # it was issued went out on an order.
    load_demo_statistics(months=2)
    # 自提 at the persimmon cooperative's shop front, a free choice of its own checkout.
    point = PickupPoint.objects.get(warehouse__organization__slug="mianchi-guoyuan-persimmon")
    assert point.method.carrier == "pickup" and point.opening_hours
    traced = Product.objects.filter(is_traced=True)
    assert traced.count() == 3
    for variant in ProductVariant.objects.filter(product__in=traced):
        codes = TraceCode.objects.filter(packing_run__variant=variant)
        on_hand = codes.filter(disposition=Disposition.ACTIVE, shipped_at__isnull=True).count()
        shipped = ShippedCode.objects.filter(trace_code__packing_run__variant=variant).count()
        stock = Stock.objects.get(product_variant=variant).quantity
        assert on_hand == stock > 0, variant.sku
        assert codes.count() == stock + shipped, variant.sku
        assert sum(PackingRun.objects.filter(variant=variant).values_list(
            "quantity", flat=True)) == codes.count(), variant.sku

    # A third run puts back what was edited or lost, and keeps later stock counts
    variant = Product.objects.get(slug="mianchi-dried-persimmon").variants.get(
        sku="MC-SB-TJ-500G")
    # a stock count made after the load survives a reload (units held for the live
    # broadcasts' line-ups stay allocated)
    Stock.objects.filter(product_variant=variant).update(
        quantity=F("quantity_allocated") + 7)
    counted = Stock.objects.get(product_variant=variant).quantity
    # edited or lost data is put back in place
    Product.objects.filter(slug="xixian-banxia").update(description="改过的描述")
    ProductVariantChannelListing.objects.filter(variant__sku="XX-XDW-YJ-5KG").update(
        price_amount=Decimal("1.00"))
    ProductMedia.objects.filter(product__slug="zeku-juema").delete()
    before = row_counts()

    output = load()

    assert Stock.objects.get(product_variant=variant).quantity == counted
    banxia = Product.objects.get(slug="xixian-banxia")
    assert banxia.description.startswith("国家地理标志产品")
    assert "改过" not in banxia.search_document
    assert ProductVariantChannelListing.objects.get(
        variant__sku="XX-XDW-YJ-5KG").price_amount == Decimal("89.00")
    assert ProductChannelListing.objects.get(
        product__slug="xixian-xiangdaowan-rice").discounted_price_amount == Decimal("59.90")
    juema = Product.objects.get(slug="zeku-juema").media.get()
    assert juema.thumbnails.count() == 10
    after = row_counts()
    assert after["catalog.ProductMedia"] == before["catalog.ProductMedia"] + 1
    assert after["catalog.Thumbnail"] == before["catalog.Thumbnail"] + 10
    # The picture put back asked for its thumbnails through the outbox.
    assert after["shop.OutboxMessage"] == before["shop.OutboxMessage"] + 1
    grown = ("catalog.ProductMedia", "catalog.Thumbnail", "shop.OutboxMessage")
    assert {k: v for k, v in after.items() if k not in grown} == \
        {k: v for k, v in before.items() if k not in grown}
    assert "image 1" in output and "product 1" in output and "price 1" in output
