"""Server time and bytes of each storefront page and of the workbench pages of each role (a
cooperative's, a brand licensee's, the brand authority's, a host's and an operator's, with
their SQL query counts), against a trivial Django view measured in the same run through
the same middleware (``/search/suggest/?q=``: an empty JSON answer). The shop's browsing
pages are timed warm (from the page cache, in a throwaway Redis as in production) and
cold (rendered), each against the trivial view timed alternately with it, and warm also
against the trivial view plus the one cache round trip a stored page costs and by this
process's CPU time; the goal is warm within 5x of the trivial view.

Runs on the throwaway database ``bench_pages`` of the embedded PostgreSQL (or
DATABASE_URL), loaded with the demo data. Writes benchmarks/results/pages.json.

    .venv/bin/python benchmarks/pages.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import local_redis, setup_django, summary, timed, write_result  # noqa: E402

HTML_LIMIT = 60 * 1024
TRIVIAL = "/search/suggest/?q="  # an empty JSON answer through the same middleware
WARM_REPEAT = 200  # requests per warm page (and per trivial view and floor beside it)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    shared_cache()
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
    results = measure_storefront(client, pages, baseline, static, args.repeat)
    workbench = measure_workbench(product, baseline, args.repeat)
    roles = measure_roles(baseline, args.repeat)
    path = write_result("pages", {"baseline": baseline, "static_bytes": static,
                                  "pages": results, "workbench": workbench,
                                  "workbench_roles": roles, "repeat": args.repeat})
    print(f"written {path}")


def shared_cache():
    """The pages' cache in a throwaway Redis on loopback, as in production
    (``REDIS_CACHE_URL``; without ``REDIS_URL`` Celery stays eager for the demo data),
    stopped when the benchmark exits."""
    server = local_redis()
    url = server.__enter__()
    atexit.register(server.__exit__, None, None, None)
    os.environ.pop("REDIS_URL", None)
    os.environ["REDIS_CACHE_URL"] = url.rsplit("/", 1)[0] + "/1"


def measure_storefront(client, pages: dict, baseline: dict, static: int, repeat: int) -> dict:
    """Each storefront page warm (served from the page cache) and cold (rendered: the
    catalogue version raised before each request), as the same visitor with a cart. The
    trivial view is timed again alternately with each page (the machine's load changes
    during a run): a page's ratio is its p50 over the trivial view's p50 of the same
    window. A warm page is one cache round trip (versions, page, session and cart in one
    ``get_many``), so it is also timed against the trivial view plus one such round trip
    (the floor), and with more requests than a cold one (each costs a millisecond, and a
    busy machine's round trips vary). Cart, checkout and sign-in are never cached (one
    figure)."""
    from django.core.cache import cache

    from storefront import versions

    cached = {"home", "pavilion", "category", "search", "product"}
    warm_repeat = max(repeat, WARM_REPEAT)

    def get(url, cold=False):
        def call():
            if cold:
                versions.catalogue_changed()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return call

    def floor():
        # The trivial view, then the one round trip a stored page costs.
        get(TRIVIAL)()
        cache.get_many([versions.CATALOGUE.key(), "bench:absent"])

    def paired(url, cold=False):
        """(page, trivial view, floor) timings, alternated; each with the CPU time this
        process spent per call (``cpu_ms``: what the machine's load hardly moves)."""
        calls = (get(url, cold), get(TRIVIAL), floor)
        for call in calls:
            call()
        times, cpu = ([], [], []), [0.0, 0.0, 0.0]
        runs = repeat if cold else warm_repeat
        for _ in range(runs):
            for i, call in enumerate(calls):
                start, start_cpu = time.perf_counter(), time.process_time()
                call()
                times[i].append(time.perf_counter() - start)
                cpu[i] += time.process_time() - start_cpu
        return tuple({**summary(t), "cpu_ms": round(c / runs * 1000, 3)}
                     for t, c in zip(times, cpu, strict=True))

    print(f"{'page':10} {'cold p50':>9} {'x triv':>7} {'warm p50':>9} {'x triv':>7} "
          f"{'x floor':>7} {'cpu x':>6} {'triv p50':>9} {'HTML B':>8} {'+CSS/JS B':>10}")
    results, goal = {}, 5
    for name, url in pages.items():
        size = len(get(url)().content)
        cold, cold_trivial, _floor = paired(url, cold=True)
        warm, trivial, floor_time = paired(url) if name in cached else \
            (cold, cold_trivial, _floor)
        warm_ratio = warm["p50_ms"] / trivial["p50_ms"]
        floor_ratio = warm["p50_ms"] / floor_time["p50_ms"]
        cpu_ratio = warm["cpu_ms"] / trivial["cpu_ms"]
        cold_ratio = cold["p50_ms"] / cold_trivial["p50_ms"]
        results[name] = {**warm, "cold": cold, "trivial": trivial, "floor": floor_time,
                         "cached": name in cached,
                         "url": url, "html_bytes": size, "transfer_before_images": size + static,
                         "ratio_to_baseline": round(warm_ratio, 2),
                         "ratio_to_floor": round(floor_ratio, 2),
                         "cpu_ratio_to_baseline": round(cpu_ratio, 2),
                         "cold_ratio_to_baseline": round(cold_ratio, 1)}
        flag = "" if size < HTML_LIMIT else "  (over 60 KB!)"
        warm_text = f"{warm['p50_ms']:9.2f} {warm_ratio:7.2f} {floor_ratio:7.2f} " \
            f"{cpu_ratio:6.2f}" if name in cached else f"{'(never cached)':>32}"
        if name in cached:
            flag += f"  warm {'≤' if warm_ratio <= goal else '>'} {goal}x"
        print(f"{name:10} {cold['p50_ms']:9.2f} {cold_ratio:7.1f} {warm_text} "
              f"{trivial['p50_ms']:9.3f} {size:8d} {size + static:10d}{flag}")
    return results


def measure_workbench(product, baseline: dict, repeat: int) -> dict:
    """The workbench pages of the demo cooperative that sells ``product``, signed in as its
    member: time, HTML bytes and SQL queries per page."""
    organization = product.organization
    client = signed_in(organization.members.order_by("pk").first())
    lot = organization.sourcing_lots.order_by("pk").first()
    pages = {
        "work_home": "/work/", "work_products": "/work/products/",
        "work_product": f"/work/products/{product.pk}/",
        "work_translations": f"/work/products/{product.pk}/translations/?lang=bo",
        "work_stock": "/work/stock/",
        "work_households": "/work/households/", "work_bases": "/work/bases/",
        "work_lots": "/work/lots/", "work_grading": "/work/grading/",
        "work_orders": "/work/orders/", "work_sales": "/work/sales/",
    }
    if lot is not None:
        pages["work_lot"] = f"/work/lots/{lot.pk}/"
        pages["work_lot_chain"] = f"/work/lots/{lot.pk}/chain/"
        pages["work_recall"] = f"/work/recall/sourcing/{lot.pk}/"

    return measure_pages(f"workbench of {organization.name}", client, pages, baseline, repeat)


def measure_pages(title: str, client, pages: dict, baseline: dict, repeat: int) -> dict:
    """Time (p50 against ``baseline``), HTML bytes and SQL queries of each page of
    ``pages`` (name -> URL) as ``client``'s signed-in user."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return call

    print(f"\n{title}")
    print(f"{'page':22} {'p50 ms':>8} {'x base':>7} {'HTML B':>8} {'queries':>8}")
    results = {}
    for name, url in pages.items():
        # Counted at once: the capture reads the connection's query log, which the next
        # request empties.
        with CaptureQueriesContext(connection) as captured:
            size = len(get(url)().content)
        queries = len(captured)
        stats = summary(timed(get(url), repeat))
        ratio = stats["p50_ms"] / baseline["p50_ms"]
        results[name] = {**stats, "url": url, "html_bytes": size, "queries": queries,
                         "ratio_to_baseline": round(ratio, 1)}
        print(f"{name:22} {stats['p50_ms']:8.2f} {ratio:7.1f} {size:8d} {queries:8d}")
    return results


def signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def brand_records():
    """A demo licensee with its licence and an application under review on which the
    authority asked a question (made once; later runs find it): the licensee's member, the
    authority's reviewer, the application and the licence."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from brand import services as brand_services
    from brand.models import ApplicationDocument, Licence, LicenceApplication

    licence = (Licence.objects.filter(status=Licence.Status.ACTIVE, products__isnull=False)
               .select_related("brand__authority", "licensee").order_by("pk").first())
    organization, brand = licence.licensee, licence.brand
    member = organization.members.order_by("pk").first()
    reviewer = brand.authority.members.order_by("pk").first()
    application = LicenceApplication.objects.filter(
        applicant=organization, brand=brand,
        status=LicenceApplication.Status.UNDER_REVIEW).order_by("pk").first()
    if application is None:
        application = brand_services.create_application(
            brand, organization, member, products=[licence.products.order_by("pk").first()],
            grades="一级", requested_label_quota=1000)
        brand_services.add_application_document(
            application, member, kind=ApplicationDocument.Kind.BUSINESS_LICENCE,
            file=SimpleUploadedFile("licence.pdf", b"%PDF-1.4 benchmark",
                                    content_type="application/pdf"), number="91411221MA")
        brand_services.submit_application(application, member)
        brand_services.start_review(application, reviewer)
        brand_services.ask_question(application, reviewer, question="请补充近三个月的检测报告")
    return member, reviewer, application, licence


def measure_roles(baseline: dict, repeat: int) -> dict:
    """The workbench pages of a brand licensee, the brand authority, a host and an
    operator of the demo data, each signed in as its demo user."""
    from demo import data
    from livestream.models import Broadcast, Host
    from shop.models import User

    member, reviewer, application, licence = brand_records()
    results = {"licensee": measure_pages(
        f"brand licensee {licence.licensee.name}", signed_in(member), {
            "licensee_home": "/work/", "brand": "/work/brand/",
            "brand_apply": "/work/brand/apply/",
            "brand_application": f"/work/brand/applications/{application.pk}/",
            "brand_licence": f"/work/brand/licences/{licence.pk}/"}, baseline, repeat)}
    results["authority"] = measure_pages(
        f"brand authority {licence.brand.authority.name}", signed_in(reviewer), {
            "authority_home": "/work/", "brand_review": "/work/brand/review/",
            "brand_review_detail": f"/work/brand/review/{application.pk}/",
            "brand_register": "/work/brand/register/",
            "brand_licence_manage": f"/work/brand/register/{licence.pk}/"}, baseline, repeat)
    host = Host.objects.filter(broadcasts__isnull=False).select_related("user").order_by(
        "pk").first()
    broadcast = (Broadcast.objects.filter(host=host, lineup__isnull=False).order_by("starts_at")
                 .first())
    live_pages = {"live_week": "/work/live/", "live_schedules": "/work/live/schedules/",
                  "live_coverage": "/work/live/coverage/", "live_reviews": "/work/live/reviews/",
                  "live_broadcast": f"/work/live/{broadcast.pk}/",
                  "live_console": f"/work/live/{broadcast.pk}/console/",
                  "live_review": f"/work/live/{broadcast.pk}/review/"}
    results["host"] = measure_pages(f"host {host.display_name}", signed_in(host.user),
                                    {"host_home": "/work/", **live_pages}, baseline, repeat)
    operator = User.objects.get(email=data.OPERATOR_EMAIL)
    results["operator"] = measure_pages("operator", signed_in(operator),
                                        {"operator_home": "/work/", **live_pages},
                                        baseline, repeat)
    return results


if __name__ == "__main__":
    main()
