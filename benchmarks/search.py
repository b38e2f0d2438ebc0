"""Benchmark of the database search backend: ``.venv/bin/python benchmarks/search.py``.

In a throwaway database on the embedded PostgreSQL (created here, dropped at the end) it
loads the demo catalogue, scores relevance on the test set (tests/catalog/search_relevance.py),
then scales the catalogue to 50,000 published products (bulk copies of the demo products
with varied names, indexed like real ones) and measures queries per second and latency
percentiles of a storefront search page (20 products, ranked) against a plain ILIKE
query over the stored search text in the same run. A page is read the way the API reads
it: the query's head (its best matches by name, from the narrow search table), then the
page from the head's rows (catalog.search.Ranked.first). The plan of each statement of a
common term's page (牦牛) is printed with the scans it uses.

Then the storefront's own request through the real /graphql/ view (20 products by
relevance with ``totalCount``, as the search page asks), per page kind: the first page with
nothing kept (the cache emptied before each query, as if the catalogue changed before every
search), the first page of each query after one change of the catalogue (its head, with the
count of what the channel lists, worked out afresh: catalog.search.counting), the first
page, a page within the head (2-10), the page after it (11, which reads the start of the
tail and keeps it) and deeper pages (12-30), each with p50/p99 overall and per kind of query
of the test set (Chinese words, parts of words, pinyin, initials, county names, grades),
every query of the set in every round. The plan of each statement of the count of a common
term (牦牛: the head's statement, then the products published later than now) is printed
too. Writes benchmarks/results/search.json.

Options: --products N (default 50000), --seconds S per method (default 8), --rounds R of
the request table (default 6).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project first, this folder (scripts named like modules: http.py, statistics.py)
# off the path.
sys.path[:] = [str(ROOT)] + [p for p in sys.path
                             if Path(p or ".").resolve() != ROOT / "benchmarks"]
DB_NAME = f"bench_search_{os.getpid()}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["PGSERVER_DATABASE"] = DB_NAME
os.environ.pop("DATABASE_URL", None)
os.environ.pop("ELASTICSEARCH_URL", None)
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-search-media-"))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("SECRET_KEY", "benchmark-" + os.urandom(16).hex())

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

PREFIXES = ["", "精选", "农家", "有机", "古法", "高山", "新鲜", "特产", "原生态", "手作", "助农"]
SUFFIXES = ["", "家庭装", "礼盒", "散装", "试吃装", "年货装", "袋装", "罐装", "箱装", "尝鲜装"]
PAGE_ORDER = ["-search_rank", "-slug", "-pk"]  # the API's relevance order
API_PAGE = """query($search: String, $after: String) {
  products(first: 20, after: $after, search: $search) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { slug } } } }"""
# Page kinds of the request table: the pages of each (a random one per round).
PAGES = {"first page": [1], "pages 2-10": list(range(2, 11)), "page 11": [11],
         "pages 12-30": list(range(12, 31))}
COLD = "first page, nothing kept"
CHANGED = "first page after a change"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def relevance(run_query) -> dict:
    from tests.catalog.search_relevance import CASES, passes

    hits = [passes(run_query(q), exp, top) for _kind, q, exp, top in CASES]
    return {"queries": len(CASES), "passed": sum(hits), "score": round(sum(hits) / len(CASES), 3)}


def scale(total: int) -> int:
    """Copy the demo products until there are ``total``; each copy gets a varied name,
    a published listing with a price, its stored search text and its search vector."""
    from catalog.models import Product, ProductChannelListing, ProductSearch
    from catalog.search import kept
    from catalog.search.analysis import pinyin_tokens, text_tokens, tsvector_from_tokens, unique
    from catalog.search.documents import collect
    from shop.models import Channel

    channel = Channel.objects.get(slug="default")
    sources = list(Product.objects.all())
    data = collect([p.pk for p in sources])
    prices = dict(ProductChannelListing.objects.filter(channel=channel).values_list(
        "product_id", "discounted_price_amount"))
    source_tokens = {pk: item.weighted_text().tokens() for pk, item in data.items()}
    need = total - len(sources)
    rng = random.Random(7)
    made = 0
    batch = 2000
    while made < need:
        rows, texts, vectors = [], [], []
        for _ in range(min(batch, need - made)):
            src = rng.choice(sources)
            name = f"{rng.choice(PREFIXES)}{src.name}{rng.choice(SUFFIXES)}{made}"
            # Only the name differs from the source: its tokens are made afresh, the
            # rest (category, county, grades, description) is reused.
            tokens = {**source_tokens[src.pk],
                      "A": unique(text_tokens(name) + pinyin_tokens(name))}
            rows.append(Product(
                organization_id=src.organization_id, pavilion_id=src.pavilion_id,
                product_type_id=src.product_type_id, category_id=src.category_id,
                name=name, slug=f"{src.slug}-copy-{made}", description=src.description,
                search_document=f"{name} {src.search_document}",
            ))
            vectors.append(tsvector_from_tokens(tokens))
            texts.append(src.pk)
            made += 1
        with transaction.atomic():
            created = Product.objects.bulk_create(rows)
            ProductChannelListing.objects.bulk_create([
                ProductChannelListing(product=p, channel=channel, is_published=True,
                                      discounted_price_amount=prices.get(src_pk),
                                      currency="CNY")
                for p, src_pk in zip(created, texts, strict=True)])
            ProductSearch.objects.bulk_create([
                ProductSearch(product=p, name=p.name, slug=p.slug, vector=vector)
                for p, vector in zip(created, vectors, strict=True)])
        print(f"  scaled to {len(sources) + made} products", end="\r", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_product; ANALYZE catalog_productchannellisting; "
                       "ANALYZE catalog_productsearch;")
    kept.forget()  # written without the models' signals: what search kept is stale
    return Product.objects.count()


def common_term_plan(storefront, q) -> str:
    """EXPLAIN ANALYZE of each product statement of ``storefront(q)``, one after another,
    planned as it ran (with sequential scans off when it was sent so)."""
    from django.test.utils import CaptureQueriesContext

    from catalog.search.db import NO_SEQSCAN, gin_plans

    with CaptureQueriesContext(connection) as ctx:
        storefront(q)
    plans = []
    for query in ctx.captured_queries:
        sql = query["sql"]
        if "catalog_product" not in sql:
            continue
        hinted = sql.startswith(NO_SEQSCAN)
        with (gin_plans() if hinted else transaction.atomic()), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ANALYZE {sql.removeprefix(NO_SEQSCAN + '; ')}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n".join(plans)


def measure(name, fn, queries, seconds) -> dict:
    latencies = []
    found = 0
    started = time.perf_counter()
    i = 0
    while time.perf_counter() - started < seconds:
        q = queries[i % len(queries)]
        t0 = time.perf_counter()
        found += len(fn(q))
        latencies.append(time.perf_counter() - t0)
        i += 1
    elapsed = time.perf_counter() - started
    result = {
        "queries": len(latencies),
        "qps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "mean_ms": round(sum(latencies) / len(latencies) * 1000, 2),
        "avg_results": round(found / len(latencies), 2),
    }
    print(f"  {name:<18} {result['qps']:>8} q/s   p50 {result['p50_ms']:>8} ms   "
          f"p99 {result['p99_ms']:>8} ms   ({result['queries']} queries)")
    return result


def figures(latencies: list[float]) -> dict:
    return {"n": len(latencies), "p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "p99_ms": round(percentile(latencies, 99) * 1000, 1)}


def requests(cases, rounds: int) -> dict:
    """p50/p99 of the storefront's search request through /graphql/, per page kind, overall
    and per kind of query (see the module's docstring)."""
    from django.core.cache import cache

    from shop import versions
    from tests.clients import GraphQLClient

    client = GraphQLClient()
    cursors = {}  # (query, page) -> the cursor it starts after
    for _kind, q in cases:
        after = None
        for page in range(1, max(PAGES["pages 12-30"]) + 1):
            cursors[q, page] = after
            info = client.data(API_PAGE, {"search": q, "after": after})["products"]["pageInfo"]
            if not info["hasNextPage"]:
                break
            after = info["endCursor"]

    def timed(q, page):
        t0 = time.perf_counter()
        client.data(API_PAGE, {"search": q, "after": cursors[q, page]})
        return time.perf_counter() - t0

    rng = random.Random(11)
    samples = defaultdict(list)  # (page kind, query kind) -> seconds
    for _ in range(rounds):
        versions.catalogue_changed()
        for kind, q in cases:
            samples[CHANGED, kind].append(timed(q, 1))
        for kind, q in cases:
            cache.clear()
            samples[COLD, kind].append(timed(q, 1))
            for label, pages in PAGES.items():
                there = [p for p in pages if (q, p) in cursors]
                if there:
                    samples[label, kind].append(timed(q, rng.choice(there)))
    kinds = list(dict.fromkeys(kind for kind, _q in cases))
    table = {}
    print(f"  {'request':<28}{'all (p50/p99 ms, n)':<24}"
          + "".join(f"{kind:<16}" for kind in kinds))
    for label in [COLD, CHANGED, *PAGES]:
        every = [t for kind in kinds for t in samples[label, kind]]
        table[label] = {"all": figures(every),
                        **{kind: figures(samples[label, kind]) for kind in kinds
                           if samples[label, kind]}}
        row = table[label]
        print(f"  {label:<28}{row['all']['p50_ms']:>6} / {row['all']['p99_ms']:<6} "
              f"n={row['all']['n']:<7}"
              + "".join(f"{row[k]['p50_ms']:>6} / {row[k]['p99_ms']:<7}" if k in row
                        else f"{'-':<16}" for k in kinds))
    return table


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()

    from django.core.cache import cache

    from catalog import search, services
    from catalog.search import counting
    from shop.models import Channel
    from tests.catalog.search_relevance import CASES

    started = time.monotonic()
    print(f"throwaway database {DB_NAME}: migrating and loading the demo catalogue ...")
    call_command("migrate", verbosity=0)
    call_command("load_demo_data", stdout=open(os.devnull, "w"))
    channel = Channel.objects.get(slug="default")

    def storefront(q):
        queryset = services.visible_products(channel, set())
        return [p.slug for p in search.ranked_search(queryset, q, channel.pk).first(PAGE_ORDER, 20)]

    def counted(q):
        """The search page's totalCount of ``q`` with nothing kept."""
        cache.clear()
        queryset = services.visible_products(channel, set())
        return counting.gin_count(search.ranked_search(queryset, q, channel.pk).queryset)

    def ilike(q):
        queryset = services.visible_products(channel, set())
        return list(queryset.filter(search_document__icontains=q).order_by("slug")
                    .values_list("slug", flat=True)[:20])

    rel_db = relevance(storefront)
    rel_ilike = relevance(ilike)
    print(f"relevance on the test set ({rel_db['queries']} queries, demo catalogue): "
          f"database backend {rel_db['passed']}/{rel_db['queries']}, "
          f"plain ILIKE {rel_ilike['passed']}/{rel_ilike['queries']}")

    print(f"scaling the catalogue to {args.products} products ...")
    total = scale(args.products)
    queries = [q for _kind, q, _e, _t in CASES]
    plan = common_term_plan(storefront, "牦牛")
    uses_index = "Bitmap Index Scan on product_search_vector_gin" in plan and not any(
        f"Seq Scan on {table} " in plan for table in ("catalog_product", "catalog_productsearch"))
    if os.environ.get("BENCH_SHOW_PLAN"):
        print(plan)
    print(f"{total} products; GIN index used: {uses_index}; the page of 牦牛 reads the "
          f"products by:")
    for line in plan.splitlines():
        if "Scan" in line and "catalog_product" in line:
            print("   ", line.strip()[:140])
    count_plan = common_term_plan(counted, "牦牛")
    if os.environ.get("BENCH_SHOW_PLAN"):
        print(count_plan)
    print(f"the count of 牦牛 ({counted('牦牛')}, nothing kept) reads the products by:")
    for line in count_plan.splitlines():
        if "Scan" in line and "catalog_product" in line:
            print("   ", line.strip()[:140])
    for q in queries[:5]:  # warm up
        storefront(q), ilike(q)
    db_result = measure("database backend", storefront, queries, args.seconds)
    ilike_result = measure("plain ILIKE", ilike, queries, args.seconds)
    ratio = round(db_result["qps"] / ilike_result["qps"], 2)
    print(f"database backend / ILIKE: {ratio}x queries per second "
          f"(p99 {db_result['p99_ms']} ms vs {ilike_result['p99_ms']} ms; goal p99 <= 50 ms)")
    print(f"the search page's request through /graphql/ (20 by relevance with totalCount; "
          f"{args.rounds} rounds of the {len(queries)} queries):")
    table = requests([(kind, q) for kind, q, _e, _t in CASES], args.rounds)
    deep = round(table["pages 12-30"]["all"]["p50_ms"] / table["first page"]["all"]["p50_ms"], 2)
    print(f"a page past the head / the first page: {deep}x (p50)")
    result = {
        "benchmark": "search",
        "products": total,
        "seconds_per_method": args.seconds,
        "query_set": len(queries),
        "database_backend": db_result,
        "ilike_baseline": ilike_result,
        "qps_ratio_vs_ilike": ratio,
        "graphql_requests": table,
        "deep_page_vs_first_page_p50": deep,
        "gin_index_used": uses_index,
        "common_term_plan": [line.strip() for line in plan.splitlines() if "Scan" in line],
        "common_term_count_plan": [line.strip() for line in count_plan.splitlines()
                                   if "Scan" in line],
        "relevance": {"database_backend": rel_db, "ilike_baseline": rel_ilike},
        "wall_seconds": round(time.monotonic() - started, 1),
    }
    out = ROOT / "benchmarks" / "results" / "search.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"written {out.relative_to(ROOT)}")


def drop_database():
    from config import embedded

    connections.close_all()
    for server in embedded._servers.values():
        server.psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE);')


if __name__ == "__main__":
    try:
        main()
    finally:
        drop_database()
