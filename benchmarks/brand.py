#!/usr/bin/env python
"""The cost of the regional-brand badge on a product list.

``products(first: N)`` through the real /graphql/ view, with and without
``regionalBrand { name licenceNumber verificationUrl }`` (the badge is looked up live per
request: licences in force of the sellers on the page, their categories and products).
Prints ms and SQL queries per request for both and the ratio badge / plain, measured in the
same run. Works on its own database ``bench_brand`` on the embedded server (created and
migrated on first use, kept for the next run; or DATABASE_URL when set).

    .venv/bin/python benchmarks/brand.py [--first 100] [--repeat 30]
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from _setup import setup_django, summary, timed, write_result

PLAIN = """query($first: Int!) { products(first: $first, channel: "default") {
  edges { node { id name slug pricing { priceRange { start { gross { amount } } } } } } } }"""
BADGE = PLAIN.replace("} } } } } } } }",
                      "} } } } regionalBrand { name licenceNumber verificationUrl } } } } }")


def build(products: int):
    from decimal import Decimal

    from django.utils import timezone

    from brand.models import BrandCategory, Licence, RegionalBrand
    from catalog import services as catalog_services
    from catalog.models import Category, Product, ProductType
    from shop.models import Channel, Organization

    if Product.objects.filter(slug__startswith="bench-brand-").count() >= products:
        return
    channel, _ = Channel.objects.get_or_create(slug="default", defaults={
        "name": "特色馆", "currency_code": "CNY"})
    authority, _ = Organization.objects.get_or_create(
        slug="bench-authority", defaults={"name": "品牌办", "kind": "brand_authority"})
    root, _ = Category.objects.get_or_create(slug="bench-root", defaults={"name": "干果"})
    leaf, _ = Category.objects.get_or_create(slug="bench-leaf",
                                             defaults={"name": "柿饼", "parent": root})
    brand, _ = RegionalBrand.objects.get_or_create(slug="bench", defaults={
        "name": "仰韶彩陶坊", "code": "BM", "county": "渑池县", "authority": authority})
    BrandCategory.objects.get_or_create(brand=brand, category=root)
    ptype, _ = ProductType.objects.get_or_create(slug="bench-type", defaults={"name": "干果"})
    today = timezone.localdate()
    sellers = []
    for i in range(10):
        org, _ = Organization.objects.get_or_create(
            slug=f"bench-coop-{i}", defaults={"name": f"合作社{i}", "kind": "cooperative"})
        sellers.append(org)
        if i % 2 == 0:  # half the sellers are licensed for the category
            licence, created = Licence.objects.get_or_create(
                number=f"BM-{today.year}-{i + 1:04d}", defaults={
                    "brand": brand, "licensee": org, "valid_from": today,
                    "valid_until": today + timedelta(days=1000), "annual_label_quota": 1000})
            if created:
                licence.categories.add(root)
    for n in range(products):
        slug = f"bench-brand-{n:04d}"
        if Product.objects.filter(slug=slug).exists():
            continue
        product = catalog_services.create_product(sellers[n % 10], ptype, name=f"柿饼{n}",
                                                  slug=slug, category=leaf)
        catalog_services.update_product_channel_listings(
            product, [{"channel": channel, "is_published": True}], [])
        variant = catalog_services.create_variant(product, sku=f"{slug}-v")
        catalog_services.update_variant_channel_listings(
            variant, [{"channel": channel, "price": Decimal("39.90")}])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--first", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_django("bench_brand")
    import json

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    build(args.first)
    client = Client()

    def run(query):
        body = json.dumps({"query": query, "variables": {"first": args.first}})
        response = client.post("/graphql/", body, content_type="application/json")
        data = response.json()
        assert not data.get("errors"), data
        return data

    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            data = run(query)
        return len(captured), data

    plain_queries, _ = queries(PLAIN)
    badge_queries, data = queries(BADGE)
    edges = data["data"]["products"]["edges"]
    with_badge = sum(1 for e in edges if e["node"]["regionalBrand"])
    plain = summary(timed(lambda: run(PLAIN), args.repeat))
    badge = summary(timed(lambda: run(BADGE), args.repeat))
    ratio = round(badge["mean_ms"] / plain["mean_ms"], 3)
    print(f"products(first: {args.first}), {with_badge} with a badge")
    print(f"  plain : {plain['mean_ms']:8.2f} ms/request (p99 {plain['p99_ms']:.2f}), "
          f"{plain_queries} SQL queries")
    print(f"  badge : {badge['mean_ms']:8.2f} ms/request (p99 {badge['p99_ms']:.2f}), "
          f"{badge_queries} SQL queries")
    print(f"  ratio badge/plain: {ratio}x")
    path = write_result("brand", {"first": args.first, "products_with_badge": with_badge,
                                  "plain": {**plain, "sql_queries": plain_queries},
                                  "badge": {**badge, "sql_queries": badge_queries},
                                  "ratio_badge_over_plain": ratio})
    print(f"  written to {path}")


if __name__ == "__main__":
    main()
