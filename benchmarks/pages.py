"""Server time and bytes of each storefront page and each page of a cooperative's workbench
(with its SQL query count), against a trivial Django view measured in the same run through
the same middleware (``/search/suggest/?q=``: an empty JSON answer).

Runs on the throwaway database ``bench_pages`` of the embedded PostgreSQL (or
DATABASE_URL), loaded with the demo data. Writes benchmarks/results/pages.json.

    .venv/bin/python benchmarks/pages.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import setup_django, summary, timed, write_result  # noqa: E402

HTML_LIMIT = 60 * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_django("bench_pages")

    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.test import Client

    from catalog.models import Product
    call_command("load_demo_data", verbosity=0)  # includes the carriers 邮政 and 顺丰
    product = Product.objects.get(slug="mianchi-yangshao-millet")
    variants = list(product.variants.order_by("sku")[:2])

    client = Client()
    for variant in variants:
        client.post(f"/product/{product.slug}/", {"variant": variant.pk, "quantity": 1})
    static = sum(len(open(finders.find(f"storefront/{n}"), "rb").read())
                 for n in ("site.css", "site.js"))
    pages = {
        "home": "/", "pavilion": "/p/mianchi/", "category": "/c/grain-oil/",
        "search": "/search/?q=小米", "product": f"/product/{product.slug}/",
        "cart": "/cart/", "checkout": "/checkout/", "sign_in": "/account/sign-in/",
    }

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return call

    baseline = summary(timed(get("/search/suggest/?q="), args.repeat))
    print(f"baseline (trivial view through the same middleware): {baseline['p50_ms']:.2f} ms p50")
    print(f"{'page':10} {'p50 ms':>8} {'mean ms':>8} {'x base':>7} {'HTML B':>8} {'+CSS/JS B':>10}")
    results = {}
    for name, url in pages.items():
        size = len(get(url)().content)
        stats = summary(timed(get(url), args.repeat))
        ratio = stats["p50_ms"] / baseline["p50_ms"]
        results[name] = {**stats, "url": url, "html_bytes": size,
                         "transfer_before_images": size + static,
                         "ratio_to_baseline": round(ratio, 1)}
        flag = "" if size < HTML_LIMIT else "  (over 60 KB!)"
        print(f"{name:10} {stats['p50_ms']:8.2f} {stats['mean_ms']:8.2f} {ratio:7.1f} "
              f"{size:8d} {size + static:10d}{flag}")
    workbench = measure_workbench(product, baseline, args.repeat)
    path = write_result("pages", {"baseline": baseline, "static_bytes": static,
                                  "pages": results, "workbench": workbench,
                                  "repeat": args.repeat})
    print(f"written {path}")


def measure_workbench(product, baseline: dict, repeat: int) -> dict:
    """The workbench pages of the demo cooperative that sells ``product``, signed in as its
    member: time, HTML bytes and SQL queries per page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    organization = product.organization
    member = organization.members.order_by("pk").first()
    client = Client()
    client.force_login(member)
    lot = organization.sourcing_lots.order_by("pk").first()
    pages = {
        "work_home": "/work/", "work_products": "/work/products/",
        "work_product": f"/work/products/{product.pk}/", "work_stock": "/work/stock/",
        "work_households": "/work/households/", "work_bases": "/work/bases/",
        "work_lots": "/work/lots/", "work_grading": "/work/grading/",
        "work_orders": "/work/orders/", "work_sales": "/work/sales/",
    }
    if lot is not None:
        pages["work_lot"] = f"/work/lots/{lot.pk}/"
        pages["work_recall"] = f"/work/recall/sourcing/{lot.pk}/"

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return call

    print(f"\nworkbench of {organization.name}")
    print(f"{'page':16} {'p50 ms':>8} {'x base':>7} {'HTML B':>8} {'queries':>8}")
    results = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            size = len(get(url)().content)
        stats = summary(timed(get(url), repeat))
        ratio = stats["p50_ms"] / baseline["p50_ms"]
        results[name] = {**stats, "url": url, "html_bytes": size, "queries": len(captured),
                         "ratio_to_baseline": round(ratio, 1)}
        print(f"{name:16} {stats['p50_ms']:8.2f} {ratio:7.1f} {size:8d} {len(captured):8d}")
    return results


if __name__ == "__main__":
    main()
