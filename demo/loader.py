"""Loads the demo records of ``demo.data`` into the database (``Loader.run``).

Idempotent: every row is looked up by its slug, SKU or e-mail and created when missing or
updated in place when it differs from the tables in ``demo.data``; a second run writes
nothing. Products, variants, prices and images go through ``catalog.services`` and stock
through ``shop.services`` so that derived fields (search text, lowest price, thumbnails)
are right. Stock is set only where a variant has no stock row yet, so a rerun never
overwrites counts changed since (orders, stocktakes). Hosts, venues and weekly broadcasts
go through ``livestream.services``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import (
    Attribute,
    Category,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    Pavilion,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
    VariantAttributeValue,
)
from catalog.tasks import create_product_thumbnails
from livestream import services as live
from livestream.models import Host, Venue, WeeklySchedule
from shop import services as shop_services
from shop.models import (
    Channel,
    Membership,
    Organization,
    ShippingMethod,
    ShippingRate,
    ShippingZone,
    Stock,
    User,
    Warehouse,
)
from shop.pickup import PickupPoint
from shop.services.pickup import save_pickup_point

from . import data, images
from .content import load_content
from .tibetan import load_tibetan, load_tibetan_attributes
from .traced import TRACED_PRODUCTS, load_traced

NET_RE = re.compile(r"^(\d+(?:\.\d+)?)(g|kg|ml|L)(?:×(\d+))?$")

# Pick-up points (自提) of the demo: warehouse's organisation -> (address, hours, phone).
PICKUP_POINTS = {
    "mianchi-guoyuan-persimmon": ("渑池县果园乡政府东侧合作社门市部", "每天 8:00-18:00",
                                  "0398-4812345"),
}


def upsert(model, lookup: dict, values: dict):
    """Get the row matching ``lookup`` and set ``values`` on it, saving only when something
    differs; create it when missing. Returns ``(obj, created, changed)``."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, False
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save()
    return obj, False, bool(changed)


def shipping_weight(net: str) -> Decimal | None:
    """The parcel weight in kg of a variant with net content ``net`` (500g, 2.5kg, 750ml
    ×2 ...): the contents plus about a tenth for packing."""
    match = NET_RE.match(net or "")
    if not match:
        return None
    amount = Decimal(match.group(1))
    if match.group(2) in ("g", "ml"):
        amount /= 1000
    amount *= int(match.group(3) or 1)
    return (amount * Decimal("1.1") + Decimal("0.05")).quantize(Decimal("0.001"))


def attribute_key(attributes: list[dict]) -> set[tuple[str, str]]:
    """What ``attributes`` (service input) would store: (attribute slug, value slug) pairs."""
    return {(item["slug"], catalog_services.pinyin_slug(str(value).strip())[:140])
            for item in attributes for value in item["values"]}


def stored_attribute_key(rows) -> set[tuple[str, str]]:
    return {(row.value.attribute.slug, row.value.slug) for row in rows}



class Loader:
    def __init__(self):
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.password_hash = None

    def count(self, kind: str, created: bool, changed: bool = False):
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    # Reference data -------------------------------------------------------------------

    def load_channel(self):
        values = {k: v for k, v in data.CHANNEL.items() if k != "slug"}
        self.channel, created, changed = upsert(Channel, {"slug": data.CHANNEL["slug"]},
                                                {**values, "is_active": True})
        self.count("channel", created, changed)

    def load_shipping(self):
        zones = {}
        for spec in data.SHIPPING_ZONES:
            zones[spec["name"]], created, changed = upsert(
                ShippingZone, {"channel": self.channel, "name": spec["name"]},
                {"is_default": spec["is_default"], "provinces": spec["provinces"]})
            self.count("shipping zone", created, changed)
        for spec in data.SHIPPING_METHODS:
            method, created, changed = upsert(
                ShippingMethod, {"channel": self.channel, "carrier": spec["carrier"]},
                {"name": spec["name"], "description": spec["description"],
                 "free_shipping_threshold": Decimal(spec["free_shipping_threshold"]),
                 "min_delivery_days": spec["min_delivery_days"],
                 "max_delivery_days": spec["max_delivery_days"]})
            self.count("shipping method", created, changed)
            for zone_name, (first, additional) in spec["rates"].items():
                _rate, created, changed = upsert(
                    ShippingRate, {"method": method, "zone": zones[zone_name]},
                    {"first_price": Decimal(first), "additional_price": Decimal(additional)})
                self.count("shipping rate", created, changed)

    def load_categories(self):
        self.categories = {}
        self.root_of = {}
        for root_order, (slug, name, description, children) in enumerate(data.CATEGORIES):
            root, created, changed = upsert(
                Category, {"slug": slug},
                {"name": name, "description": description, "parent": None,
                 "sort_order": root_order})
            self.count("category", created, changed)
            self.categories[slug] = root
            self.root_of[slug] = slug
            for order, (child_slug, child_name) in enumerate(children):
                child, created, changed = upsert(
                    Category, {"slug": child_slug},
                    {"name": child_name, "description": f"{name} · {child_name}",
                     "parent": root, "sort_order": order})
                self.count("category", created, changed)
                self.categories[child_slug] = child
                self.root_of[child_slug] = slug

    def load_attributes_and_types(self):
        self.attributes = {}
        for slug, name, unit, order in data.ATTRIBUTES:
            attribute, created, changed = upsert(Attribute, {"slug": slug},
                                                 {"name": name, "unit": unit, "sort_order": order})
            self.count("attribute", created, changed)
            self.attributes[slug] = attribute
        self.product_types = {}
        for spec in data.PRODUCT_TYPES:
            ptype, created, changed = upsert(
                ProductType, {"slug": spec["slug"]},
                {"name": spec["name"], "has_variants": True, "is_shipping_required": True,
                 "weight": Decimal(spec["weight"])})
            # .set() only adds and removes what differs: no writes on a rerun
            ptype.product_attributes.set([self.attributes[s] for s in spec["product_attributes"]])
            ptype.variant_attributes.set([self.attributes[s] for s in spec["variant_attributes"]])
            self.count("product type", created, changed)
            self.product_types[spec["slug"]] = ptype

    # Organisations and users -------------------------------------------------------------

    def load_organizations(self):
        self.organizations = {}
        self.warehouses = {}
        op = data.OPERATOR_ORG
        self.operator_org, created, changed = upsert(
            Organization, {"slug": op["slug"]},
            {"name": op["name"], "kind": Organization.Kind.OPERATOR, "county": op["county"],
             "description": op["description"], "is_active": True})
        self.count("organisation", created, changed)
        counties = {p["slug"]: p["county"] for p in data.PAVILIONS}
        for pavilion_slug, spec in data.BRAND_AUTHORITIES.items():
            org, created, changed = upsert(
                Organization, {"slug": spec["slug"]},
                {"name": spec["name"], "kind": Organization.Kind.BRAND_AUTHORITY,
                 "county": counties[pavilion_slug], "address": spec["address"],
                 "description": f"{counties[pavilion_slug]}区域公用品牌主管单位，负责品牌授权审核、"
                                "公示、发证与用标监管。",
                 "is_active": True})
            self.count("organisation", created, changed)
            self.organizations[spec["slug"]] = org
        for spec in data.SELLERS:
            last_name, first_name = spec["contact"]
            org, created, changed = upsert(
                Organization, {"slug": spec["slug"]},
                {"name": spec["name"], "kind": spec["kind"],
                 "county": counties[spec["pavilion"]], "address": spec["address"],
                 "contact_name": f"{last_name}{first_name}",
                 "description": spec["description"], "is_active": True})
            self.count("organisation", created, changed)
            self.organizations[spec["slug"]] = org
            short = spec["name"].removeprefix(counties[spec["pavilion"]])
            warehouse, created, changed = upsert(
                Warehouse, {"slug": f"{spec['slug']}-wh"},
                {"name": f"{short}仓库", "organization": org, "address": spec["address"]})
            warehouse.channels.add(self.channel)  # no-op when already linked
            self.count("warehouse", created, changed)
            self.warehouses[spec["slug"]] = warehouse

    def load_pickup_points(self):
        """自提 at a cooperative's shop front, so the checkout offers it for its goods."""
        for slug, (address, hours, phone) in PICKUP_POINTS.items():
            warehouse = self.warehouses[slug]
            if not PickupPoint.objects.filter(warehouse=warehouse).exists():
                save_pickup_point(warehouse, address=address, opening_hours=hours, phone=phone)
                self.count("pick-up point", True)

    def demo_password(self) -> str:
        # One hash for every demo account: hashing is deliberately slow (~0.5 s each).
        if self.password_hash is None:
            self.password_hash = make_password(data.DEMO_PASSWORD)
        return self.password_hash

    def user(self, email, *, first_name="", last_name="", is_staff=False, is_superuser=False):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, None, first_name=first_name, last_name=last_name,
                is_staff=is_staff, is_superuser=is_superuser)
            user.password = self.demo_password()
            user.save(update_fields=["password"])
            self.count("user", True)
            return user
        wanted = {"is_staff": is_staff, "is_superuser": is_superuser, "is_active": True}
        changed = [f for f, v in wanted.items() if getattr(user, f) != v]
        if changed:  # the password is left alone: the demo user may have changed it
            for field in changed:
                setattr(user, field, wanted[field])
            user.save(update_fields=changed)
        self.count("user", False, bool(changed))
        return user

    def membership(self, user, org, role=Membership.Role.ADMIN):
        membership, created, changed = upsert(Membership, {"user": user, "organization": org},
                                              {"role": role})
        self.count("membership", created, changed)

    def load_users(self):
        self.operator = self.user(data.OPERATOR_EMAIL, first_name="运营", last_name="特色馆",
                                  is_staff=True, is_superuser=True)
        self.membership(self.operator, self.operator_org)
        for spec in data.SELLERS:
            last_name, first_name = spec["contact"]
            user = self.user(f"coop-{spec['slug']}@{data.EMAIL_DOMAIN}",
                             first_name=first_name, last_name=last_name)
            self.membership(user, self.organizations[spec["slug"]])
        # One reviewer per brand authority, who signs in to its review queue and register.
        for pavilion_slug, spec in data.BRAND_AUTHORITIES.items():
            user = self.user(f"brand-{pavilion_slug}@{data.EMAIL_DOMAIN}",
                             first_name="审核员", last_name=spec["name"][:2])
            self.membership(user, self.organizations[spec["slug"]])

    # Pavilions and collections -----------------------------------------------------------

    def load_pavilions(self):
        self.pavilions = {}
        for order, spec in enumerate(data.PAVILIONS):
            pavilion, created, changed = upsert(
                Pavilion, {"slug": spec["slug"]},
                {"name": spec["name"], "county": spec["county"], "province": spec["province"],
                 "city": spec["city"], "regional_brand_name": spec["regional_brand_name"],
                 "slogan": spec["slogan"], "story": spec["story"], "sort_order": order,
                 "is_published": True})
            if not pavilion.banner:
                content = images.banner_image(
                    spec["slug"], spec.get("banner_title", spec["name"]), spec["slogan"],
                    spec["colors"], spec["regional_brand_name"])
                pavilion.banner.save(f"{spec['slug']}.jpg", ContentFile(content), save=True)
                changed = True
            self.count("pavilion", created, changed)
            self.pavilions[spec["slug"]] = pavilion

    def load_collections(self):
        self.collections = {}
        for spec in data.COLLECTIONS:
            collection, created, changed = upsert(
                Collection, {"slug": spec["slug"]},
                {"name": spec["name"], "description": spec["description"],
                 "seo_title": spec["name"], "seo_description": spec["description"]})
            if not collection.background_image:
                content = images.collection_image(spec["slug"], spec["name"], spec["color"])
                collection.background_image.save(f"{spec['slug']}.jpg", ContentFile(content),
                                                 save=True)
                changed = True
            self.count("collection", created, changed)
            listing = CollectionChannelListing.objects.filter(
                collection=collection, channel=self.channel).first()
            if listing is None:
                CollectionChannelListing.objects.create(
                    collection=collection, channel=self.channel, is_published=True,
                    published_at=timezone.now())
            elif not listing.is_published:
                listing.is_published = True
                listing.published_at = listing.published_at or timezone.now()
                listing.save()
            self.collections[spec["slug"]] = collection
        for spec in data.PAVILIONS:
            self.pavilions[spec["slug"]].featured_collections.set(
                [self.collections[s] for s in spec["featured"]])

    def fill_collections(self):
        for spec in data.COLLECTIONS:
            collection = self.collections[spec["slug"]]
            for order, slug in enumerate(spec["products"]):
                _row, created, changed = upsert(
                    CollectionProduct,
                    {"collection": collection, "product": self.products[slug]},
                    {"sort_order": order})
                self.count("collection product", created, changed)

    # Products ------------------------------------------------------------------------

    def product_attributes(self, spec) -> list[dict]:
        ptype = self.product_types[spec["type"]]
        source = {"origin": spec.get("origin"), "storage": spec.get("storage"),
                  "shelf-life": spec.get("shelf_life"), "material": spec.get("material")}
        allowed = {a.slug for a in ptype.product_attributes.all()}
        return [{"slug": slug, "values": [value]} for slug, value in source.items()
                if value and slug in allowed]

    @staticmethod
    def variant_attributes(vspec) -> list[dict]:
        source = {"grade": vspec["grade"], "net-weight": vspec["net"], "size": vspec["size"]}
        return [{"slug": slug, "values": [value]} for slug, value in source.items() if value]

    @staticmethod
    def variant_name(vspec) -> str:
        return " ".join(v for v in (vspec["grade"], vspec["net"], vspec["size"]) if v)

    def load_product(self, spec) -> Product:
        pavilion = self.pavilions[spec["pavilion"]]
        category = self.categories[spec["category"]]
        attributes = self.product_attributes(spec)
        fields = {
            "name": spec["name"],
            "category": category,
            "pavilion": pavilion,
            "description": spec["description"],
            "seo_title": f"{spec['name']} | {pavilion.regional_brand_name}"[:70],
            "seo_description": spec["description"][:300],
        }
        product = Product.objects.filter(slug=spec["slug"]).first()
        if product is None:
            product = catalog_services.create_product(
                self.organizations[spec["seller"]], self.product_types[spec["type"]],
                slug=spec["slug"], attributes=attributes, **fields)
            self.count("product", True)
        else:
            changes = {f: v for f, v in fields.items() if getattr(product, f) != v}
            stored = stored_attribute_key(
                product.attribute_values.select_related("value__attribute"))
            if stored != attribute_key(attributes):
                changes["attributes"] = attributes
            if changes:
                product = catalog_services.update_product(product, **changes)
            self.count("product", False, bool(changes))

        published = spec.get("published", True)
        listing = ProductChannelListing.objects.filter(product=product,
                                                       channel=self.channel).first()
        if listing is None or listing.is_published != published:
            catalog_services.update_product_channel_listings(
                product, [{"channel": self.channel, "is_published": published,
                           "visible_in_listings": True}], [])
            self.count("product listing", listing is None, listing is not None)

        warehouse = self.warehouses[spec["seller"]]
        for vspec in spec["variants"]:
            self.load_variant(product, spec, vspec, warehouse)
        self.load_media(product, spec, pavilion)
        return product

    def load_variant(self, product, spec, vspec, warehouse):
        sku = f"{spec['sku']}-{vspec['code']}"
        attributes = self.variant_attributes(vspec)
        weight = (Decimal(vspec["weight"]) if vspec["weight"] else shipping_weight(vspec["net"]))
        fields = {"name": self.variant_name(vspec), "gtin": vspec["gtin"], "weight": weight}
        variant = ProductVariant.objects.filter(sku=sku).first()
        if variant is None:
            variant = catalog_services.create_variant(product, sku=sku, attributes=attributes,
                                                      **fields)
            self.count("variant", True)
        else:
            if variant.product_id != product.pk:
                raise CommandError(f"SKU {sku} belongs to another product ({variant.product}).")
            changes = {f: v for f, v in fields.items() if getattr(variant, f) != v}
            stored = stored_attribute_key(
                VariantAttributeValue.objects.filter(variant=variant)
                .select_related("value__attribute"))
            if stored != attribute_key(attributes):
                changes["attributes"] = attributes
            if changes:
                variant = catalog_services.update_variant(variant, **changes)
            self.count("variant", False, bool(changes))

        price, cost = Decimal(vspec["price"]), Decimal(vspec["cost"])
        listing = ProductVariantChannelListing.objects.filter(
            variant=variant, channel=self.channel).first()
        if listing is None or (listing.price_amount, listing.cost_price_amount) != (price, cost):
            catalog_services.update_variant_channel_listings(
                variant, [{"channel": self.channel, "price": price, "cost_price": cost}])
            self.count("price", listing is None, listing is not None)

        # A traced product's stock comes only from its packing runs (demo.traced).
        if (spec["slug"] not in TRACED_PRODUCTS
                and not Stock.objects.filter(warehouse=warehouse, product_variant=variant).exists()):
            shop_services.set_stock(variant, warehouse, vspec["stock"])
            self.count("stock", True)

    def load_media(self, product, spec, pavilion):
        have = product.media.count()
        for index in range(have, spec["images"]):
            content = images.product_image(
                spec["slug"], spec["name"], spec["shape"], category=spec["category"],
                root_category=self.root_of[spec["category"]],
                subtitle=f"{pavilion.regional_brand_name} · {pavilion.county}",
                index=index)
            upload = ContentFile(content, name=f"{spec['slug']}-{index + 1}.jpg")
            alt = spec["name"] if index == 0 else f"{spec['name']}（细节）"
            catalog_services.add_product_media(product, upload, alt)
            self.count("image", True)

    def ensure_thumbnails(self):
        """Make thumbnails an earlier run did not get to (they are made after commit)."""
        expected = len(set(settings.THUMBNAIL_SIZES)) * len(settings.THUMBNAIL_FORMATS)
        slugs = [spec["slug"] for spec in data.PRODUCTS]
        for media in ProductMedia.objects.filter(product__slug__in=slugs):
            if media.thumbnails.count() < expected:
                create_product_thumbnails(media.pk)
                self.count("thumbnail set", True)

    # Live sales broadcasts -------------------------------------------------------------

    def load_live_schedules(self):
        """Hosts, venues and weekly schedules through the livestream services; each new
        broadcast gets its line-up (units held from stock). Repeat runs add nothing until
        a new week comes into the schedule's horizon."""
        for spec in data.LIVE_SCHEDULES:
            organization = Organization.objects.get(slug=spec["organization"])
            user = self.user(spec["host_email"], first_name=spec["host_name"])
            self.membership(user, organization, Membership.Role.MEMBER)
            host = Host.objects.filter(user=user).first()
            if host is None:
                host = live.create_host(
                    user=user, display_name=spec["host_name"], organization=organization,
                    birth_date=dt.date.fromisoformat(spec["birth_date"]),
                    platforms=spec["platforms"], real_name_verified=True)
                self.count("host", True)
            venue = Venue.objects.filter(name=spec["venue"]["name"]).first()
            if venue is None:
                venue = live.create_venue(organization=organization, **spec["venue"])
                self.count("venue", True)
            schedule = WeeklySchedule.objects.filter(host=host, title=spec["title"]).first()
            if schedule is None:
                schedule, created, _conflicts = live.create_weekly_schedule(
                    host=host, venue=venue, title=spec["title"], weekday=spec["weekday"],
                    start_time=dt.time.fromisoformat(spec["start"]),
                    duration_minutes=spec["minutes"], platform=spec["platform"],
                    starts_on=timezone.localdate())
                self.count("weekly schedule", True)
            else:
                created, _conflicts = live.generate_schedule_broadcasts(schedule)
            for broadcast in created:
                for position, (slug, price, units, limit) in enumerate(spec["lineup"]):
                    variant = self.products[slug].variants.order_by("sort_order", "pk").first()
                    offer = None
                    if variant.product.organization_id != organization.pk:
                        # Another cooperative's product: it agrees to this broadcast first.
                        offer = live.publish_offer(
                            variant.product.organization, variant=variant,
                            min_live_price=Decimal(price), max_quantity=units,
                            broadcast=broadcast)
                    live.add_lineup_item(broadcast, variant=variant, live_price=Decimal(price),
                                         quantity=units, per_buyer_limit=limit,
                                         position=position, offer=offer)
                self.count("broadcast", True)

    # All ------------------------------------------------------------------------------

    def run(self):
        self.load_channel()
        self.load_shipping()
        self.load_categories()
        self.load_attributes_and_types()
        self.load_organizations()
        self.load_pickup_points()
        self.load_users()
        self.load_pavilions()
        self.load_collections()
        self.products = {}
        for spec in data.PRODUCTS:
            try:
                self.products[spec["slug"]] = self.load_product(spec)
            except ValidationError as exc:
                raise CommandError(f"{spec['slug']}: {exc}") from exc
        self.fill_collections()
        self.count("trace code", load_traced(self.organizations, self.operator) > 0)
        self.load_live_schedules()
        load_content()
        load_tibetan()
        load_tibetan_attributes()
