"""Flash sale: N concurrent buyers through the real ``checkoutComplete`` (the /graphql/
view, one database connection per buyer) on one hot variant with limited stock.

Prints completed orders per second, p50/p99 latency, oversold units (must be 0), and the
ratios against baselines measured in the same run: the raw ceiling of the hot stock row
(one open connection per worker, no ORM, the conditional ``UPDATE … WHERE quantity -
quantity_allocated >= 1`` and the locked ``SELECT … FOR UPDATE`` + ``UPDATE``), for
purchases alone (enough stock for every buyer) and the sale as a whole; the same purchases
with every buyer on a variant of their own (no row shared, in alternate phases: hot over
uncontended near 1.0 says the hot row is not what limits); purchases and refusals once sold
out (answered by the sold-out gate) against a trivial mutation through the same view (the
floor any mutation pays, in alternate phases with the refusals); and how long each
purchase keeps the hot stock row locked (from the stock take to the end of its COMMIT).
Each buyer's checkout is ready beforehand (lines, address, delivery method) and only
``checkoutComplete`` is timed. The buyers, and the raw baseline's workers alike, are
threads of one process, or with ``--processes`` processes of their own (forked once the
benchmark is set up and warm: no GIL shared, as separate web workers), the results going
to flash_sale.json or flash_sale_processes.json. Works in a throwaway database it creates
and drops on the embedded PostgreSQL server (it refuses to run with DATABASE_URL set, so it
never touches a real database), with a throwaway Redis as REDIS_URL (queued tasks, shared
cache), as in production.

    .venv/bin/python benchmarks/flash_sale.py [--buyers 32] [--stock 16] [--rounds 3]
        [--processes]
"""

from __future__ import annotations

import argparse

from _concurrency import (
    ADDRESS,
    complete_checkouts,
    hot_row_lock_probe,
    own_variants,
    print_rates,
    print_refusals,
    rates,
    raw_baseline,
    refusals_against_trivial,
    run_on_throwaway_database,
    setup_shop,
    use_processes,
    warm_up,
    with_ratio,
)
from _setup import summary, write_result


def make_checkouts(n, variant, method, variants=None):
    """``n`` buyers' checkouts of one unit each, of ``variant`` (or of ``variants[i]``)."""
    from shop import services

    tokens = []
    for i in range(n):
        line = {"variant_id": (variants[i] if variants else variant).pk, "quantity": 1}
        checkout = services.create_checkout("default", email=f"buyer{i}@example.com",
                                            lines=[line], shipping_address=ADDRESS)
        services.update_checkout_delivery_method(checkout, method.pk)
        tokens.append(str(checkout.token))
    return tokens


def flash_sale_round(buyers, variant, method, warehouse, stock):
    """``stock`` more units on the shelf, then ``buyers`` buyers at once."""
    from shop import services
    from shop.models import Stock

    services.set_stock(variant, warehouse, Stock.objects.get(product_variant=variant)
                       .quantity_allocated + stock)
    return complete_checkouts(make_checkouts(buyers, variant, method))


def purchases_hot_and_own(buyers, variant, own, method, warehouse, rounds):
    """Enough units for every buyer, in alternate phases: every buyer on the hot variant
    (how long each purchase kept its stock row locked measured too), then every buyer on
    a variant of their own (the same checkoutComplete with no row shared). Returns
    ``{"hot": (seconds, results), "own": (seconds, results), "holds": [...]}``."""
    from shop import services
    from shop.models import Stock

    out = {"hot": (0.0, []), "own": (0.0, []), "holds": []}

    def add(phase, seconds, results):
        out[phase] = (out[phase][0] + seconds, out[phase][1] + results)

    for _r in range(rounds):
        services.set_stock(variant, warehouse, Stock.objects.get(product_variant=variant)
                           .quantity_allocated + buyers)
        tokens = make_checkouts(buyers, variant, method)
        with hot_row_lock_probe() as holds:
            add("hot", *complete_checkouts(tokens))
        out["holds"] += holds
        add("own", *complete_checkouts(make_checkouts(buyers, None, method, own)))
    return out


def sold_out_checkouts(variant, method, warehouse):
    """``make_tokens(n)`` for the refusal phases: ``n`` checkouts made while units were
    free, then the variant sold out and its gate closed by one more completion."""
    from shop import services
    from shop.models import Stock

    def make_tokens(n):
        allocated = Stock.objects.get(product_variant=variant).quantity_allocated
        services.set_stock(variant, warehouse, allocated + n + 1)
        tokens = make_checkouts(n + 1, variant, method)
        services.set_stock(variant, warehouse, allocated)
        complete_checkouts(tokens[:1])  # finds the variant sold out: closes the gate
        return tokens[1:]

    return make_tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=32)
    parser.add_argument("--stock", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connect-per-request", action="store_true",
                        help="each request opens its own database connection (the embedded "
                             "development setting) instead of keeping one, as a pooled "
                             "production worker does")
    parser.add_argument("--processes", action="store_true",
                        help="buyers (and the raw baseline's workers) as processes of their "
                             "own instead of threads of this one")
    args = parser.parse_args()
    run_on_throwaway_database("flash_sale", lambda: measure(args),
                              args.connect_per_request)


def measure(args) -> int:
    from django.db.models import Sum

    from shop.models import OrderLine, Stock

    use_processes(args.processes)
    _org, variant, warehouse, method = setup_shop(args.stock)
    warm_up(variant, warehouse, method)
    latencies, orders, refused, seconds_total, other_errors = [], 0, 0, 0.0, []
    for _ in range(args.rounds):
        seconds, results = flash_sale_round(args.buyers, variant, method, warehouse, args.stock)
        seconds_total += seconds
        for elapsed, ok, codes in results:
            latencies.append(elapsed)
            orders += ok
            refused += codes == ["INSUFFICIENT_STOCK"]
            if not ok and codes != ["INSUFFICIENT_STOCK"]:
                other_errors.append(codes)
    stock = Stock.objects.get(product_variant=variant)
    oversold = max(stock.quantity_allocated - stock.quantity, 0)
    expected_orders = args.stock * args.rounds
    allocated_units = (OrderLine.objects.filter(variant=variant)
                       .aggregate(n=Sum("quantity"))["n"] or 0)
    own = own_variants(variant, warehouse, args.buyers, args.rounds)
    phases = purchases_hot_and_own(args.buyers, variant, own, method, warehouse, args.rounds)
    seconds, bought = phases["hot"]
    seconds_own, bought_own = phases["own"]
    purchases = sum(ok for _l, ok, _c in bought)
    purchases_own = sum(ok for _l, ok, _c in bought_own)
    holds = phases["holds"]
    refusals = refusals_against_trivial(args.buyers, sold_out_checkouts(variant, method,
                                                                         warehouse))
    for row in Stock.objects.filter(product_variant__in=[variant, *own]):
        oversold += max(row.quantity_allocated - row.quantity, 0)

    result = with_ratio({
        "driver": "processes" if args.processes else "threads",
        "buyers": args.buyers, "connect_per_request": args.connect_per_request,
        "stock_per_round": args.stock, "rounds": args.rounds,
        "orders": orders, "expected_orders": expected_orders,
        "insufficient_stock": refused, "other_errors": len(other_errors),
        "oversold_units": oversold + max(allocated_units - expected_orders, 0),
        "orders_per_second": round(orders / seconds_total, 1),
        **rates("", latencies, seconds_total),
        "purchases_alone": purchases, "purchases_per_second": round(purchases / seconds, 1),
        "purchases_p99_ms": rates("", [lat for lat, _o, _c in bought], seconds)["p99_ms"],
        # The same purchases with every buyer on a stock row of their own, in alternate
        # phases: hot over uncontended near 1.0 says the hot row is not what limits.
        "purchases_uncontended": purchases_own,
        "purchases_uncontended_per_second": round(purchases_own / seconds_own, 1),
        "purchases_uncontended_p99_ms": rates("", [lat for lat, _o, _c in bought_own],
                                              seconds_own)["p99_ms"],
        # The hot row is locked from the stock take to the end of the COMMIT: the share of
        # the phase it spends locked says whether that lock (not Python) bounds purchases.
        # Measured up to the buyer running again, so under contention it also counts the
        # buyer's wait for the GIL or a core after the COMMIT (no longer lock time once the
        # COMMIT goes with the take): an upper bound, which hot / uncontended checks.
        "hot_row_locked_p50_ms": summary(holds)["p50_ms"],
        "hot_row_locked_mean_ms": summary(holds)["mean_ms"],
        "hot_row_locked_share": round(sum(holds) / seconds, 3),
        **refusals,
        **raw_baseline(variant, warehouse, threads=args.buyers, units=args.stock,
                       rounds=args.rounds),
    })
    result["ratio_purchases_hot_vs_uncontended"] = round(
        result["purchases_per_second"] / result["purchases_uncontended_per_second"], 3)
    result["ratio_purchases_vs_raw"] = round(
        result["purchases_per_second"] / result["raw_purchases_per_second"], 3)
    result["ratio_purchases_vs_raw_locked"] = round(
        result["purchases_per_second"] / result["raw_locked_purchases_per_second"], 3)
    result["ratio_purchases_vs_trivial_mutation"] = round(
        result["purchases_per_second"] / result["trivial_mutations_per_second"], 3)
    print(f"checkoutComplete: {orders} orders of {expected_orders} units, {refused} refused "
          f"INSUFFICIENT_STOCK, {len(other_errors)} other errors")
    print(f"  oversold units: {result['oversold_units']}")
    print_rates("checkoutComplete", result)
    print(f"purchases alone (hot row): {purchases} of {args.buyers * args.rounds}, "
          f"{result['purchases_per_second']}/s, p99 {result['purchases_p99_ms']} ms; ratio vs "
          f"raw conditional {result['ratio_purchases_vs_raw']}, vs raw locked "
          f"{result['ratio_purchases_vs_raw_locked']}, vs trivial mutation "
          f"{result['ratio_purchases_vs_trivial_mutation']}")
    print(f"purchases alone, each buyer on a variant of their own (alternate phases): "
          f"{purchases_own}, {result['purchases_uncontended_per_second']}/s, p99 "
          f"{result['purchases_uncontended_p99_ms']} ms; hot / uncontended "
          f"{result['ratio_purchases_hot_vs_uncontended']}")
    print(f"  hot stock row locked per purchase (take, server's clock, to the buyer running "
          f"again after its COMMIT, a wait for the GIL or a core included): p50 "
          f"{result['hot_row_locked_p50_ms']} ms, mean {result['hot_row_locked_mean_ms']} ms, "
          f"{result['hot_row_locked_share']:.0%} of the phase")
    print_refusals(result)
    name = "flash_sale_processes" if args.processes else "flash_sale"
    print(f"wrote {write_result(name, result)}")
    bought_all = args.buyers * args.rounds
    ok = (result["oversold_units"] == 0 and orders == expected_orders
          and purchases == bought_all and purchases_own == bought_all
          and result["refusals_alone"] == result["refusal_attempts"])
    return 0 if ok else 1


if __name__ == "__main__":
    main()
