#!/usr/bin/env python
"""The storefront's browse query through the real /graphql/ view over the demo data.

Prints ms per request and SQL queries per request for ``products(first: N)`` with
category, thumbnail, pricing and variants, and the ratio against the floor for Python
GraphQL: graphql-core executing an equivalent hand-written schema over the same data
preloaded as plain dicts, in the same run.

    .venv/bin/python benchmarks/catalog.py [--first 100] [--repeat 50]
"""

from __future__ import annotations

import argparse
import gc
import json
import time

from _setup import setup_django, summary, timed, write_result

QUERY = """
query Browse($first: Int!) {
  products(first: $first, channel: "default") {
    edges { node {
      id name slug
      category { id name slug }
      thumbnail(size: 256, format: WEBP) { url alt }
      pricing { onSale priceRange {
        start { gross { amount currency } net { amount currency } }
        stop { gross { amount currency } net { amount currency } } } }
      variants { id name sku pricing { price { gross { amount currency } } } }
    } }
  }
}
"""

FLOOR_SDL = """
type Money { amount: Float! currency: String! }
type TaxedMoney { gross: Money! net: Money! }
type TaxedMoneyRange { start: TaxedMoney stop: TaxedMoney }
type ProductPricingInfo { onSale: Boolean priceRange: TaxedMoneyRange }
type VariantPricingInfo { price: TaxedMoney }
type Image { url: String! alt: String }
type Category { id: ID! name: String! slug: String! }
type ProductVariant { id: ID! name: String! sku: String pricing: VariantPricingInfo }
type Product {
  id: ID! name: String! slug: String! category: Category
  thumbnail(size: Int, format: String): Image
  pricing: ProductPricingInfo variants: [ProductVariant!]
}
type ProductEdge { node: Product! }
type ProductConnection { edges: [ProductEdge!]! }
type Query { products(first: Int!, channel: String): ProductConnection }
"""


def floor_query() -> str:
    return QUERY.replace("format: WEBP", 'format: "WEBP"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--first", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    setup_django("bench_catalog")
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from graphql import build_schema, graphql_sync

    call_command("load_demo_data", verbosity=0)
    client = Client()
    body = json.dumps({"query": QUERY, "variables": {"first": args.first}})

    def through_view():
        response = client.post("/graphql/", body, content_type="application/json")
        assert response.status_code == 200, response.content[:300]
        return response

    first = json.loads(through_view().content)
    assert not first.get("errors"), first["errors"][:3]

    data = first["data"]
    edges = data["products"]["edges"]
    with CaptureQueriesContext(connection) as ctx:
        through_view()
    queries = len(ctx.captured_queries)
    reset_queries()

    # The floor: the same result shape as plain dicts, resolved by graphql-core's default
    # resolvers over a hand-written schema (no ORM, no Django, no DataLoaders).
    preloaded = {"edges": [{"node": e["node"]} for e in edges]}
    for edge in preloaded["edges"]:
        thumb = edge["node"]["thumbnail"]
        edge["node"]["thumbnail"] = lambda _info, size=None, format=None, t=thumb: t
    floor_schema = build_schema(FLOOR_SDL)
    root = {"products": lambda _info, first, channel=None: preloaded}
    floor_text = floor_query()

    def floor():
        result = graphql_sync(floor_schema, floor_text, root_value=root,
                              variable_values={"first": args.first})
        assert not result.errors, result.errors
        return result

    assert len(floor().data["products"]["edges"]) == len(edges)

    # Alternated, one call of each at a time, so that a change in the machine's load
    # during the run weighs on both sides of the ratio alike.
    # The CPU time of this process is counted too: unlike wall time it hardly moves with
    # what else runs on the machine (the view's SQL runs in the database server, outside).
    timed(through_view, 0), timed(floor, 0)  # warm-up
    # What the process holds from here on (Django, both schemas, the demo data: about half
    # a million objects) is frozen out of the garbage collector, as gunicorn's workers do
    # (gunicorn.conf.py): otherwise a full collection over all of it (100-250 ms on the
    # 2-core machine) lands in one side's timings or the other's by chance, and decides
    # the mean by itself.
    gc.collect()
    gc.freeze()
    view_times, floor_times = [], []
    cpu = {"view": 0.0, "floor": 0.0}
    for _ in range(args.repeat):
        for name, fn, times in (("view", through_view, view_times),
                                ("floor", floor, floor_times)):
            started = time.process_time()
            times += timed(fn, 1, warmup=0)
            cpu[name] += time.process_time() - started
    cpu_ms = {name: round(total / args.repeat * 1000, 2) for name, total in cpu.items()}
    view, base = summary(view_times), summary(floor_times)
    ratio = round(view["mean_ms"] / base["mean_ms"], 2)
    ratio_p50 = round(view["p50_ms"] / base["p50_ms"], 2)
    variants = sum(len(e["node"]["variants"]) for e in edges)

    print(f"browse products(first: {args.first}) over the demo data: "
          f"{len(edges)} products, {variants} variants")
    print(f"  real /graphql/ view : {view['mean_ms']:8.2f} ms/request "
          f"(p50 {view['p50_ms']:.2f}, p99 {view['p99_ms']:.2f}), {queries} SQL queries/request")
    print(f"  graphql-core floor  : {base['mean_ms']:8.2f} ms/request "
          f"(p50 {base['p50_ms']:.2f}, p99 {base['p99_ms']:.2f}), plain dicts, no SQL")
    print(f"  ratio view / floor  : {ratio:.2f}x (mean), {ratio_p50:.2f}x (p50)")
    cpu_ratio = round(cpu_ms["view"] / cpu_ms["floor"], 2)
    print(f"  CPU of this process : view {cpu_ms['view']:.2f} ms, floor {cpu_ms['floor']:.2f} ms "
          f"per request: {cpu_ratio:.2f}x")
    path = write_result("catalog", {
        "first": args.first, "products": len(edges), "variants": variants,
        "view": view, "floor": base, "sql_queries_per_request": queries,
        "ratio_view_to_floor": ratio, "ratio_view_to_floor_p50": ratio_p50,
        "cpu_ms_per_request": cpu_ms, "cpu_ratio_view_to_floor": cpu_ratio,
    })
    print(f"  result written to {path}")


if __name__ == "__main__":
    main()
