"""Flash sale: N concurrent buyers through the real ``checkoutComplete`` (the /graphql/
view, one database connection per buyer thread) on one hot variant with limited stock.

Prints completed orders per second, p50/p99 latency, oversold units (must be 0), and the
ratios against baselines measured in the same run: the raw ceiling of the hot stock row
(one open connection per worker, no ORM, the conditional ``UPDATE … WHERE quantity -
quantity_allocated >= 1`` and the locked ``SELECT … FOR UPDATE`` + ``UPDATE``), for
purchases alone (enough stock for every buyer) and the sale as a whole; purchases and
refusals once sold out (answered by the sold-out gate) against a trivial mutation through
the same view (the floor any mutation pays); and how long each purchase keeps the hot
stock row locked (from the stock take to the end of its COMMIT). Each buyer's checkout is
ready beforehand (lines, address, delivery method) and only ``checkoutComplete`` is timed.
Works in a throwaway database it creates and drops on the embedded PostgreSQL server (it
refuses to run with DATABASE_URL set, so it never touches a real database), with a
throwaway Redis as REDIS_URL (queued tasks, shared cache), as in production.

    .venv/bin/python benchmarks/flash_sale.py [--buyers 32] [--stock 16] [--rounds 3]
"""

from __future__ import annotations

import argparse

from _concurrency import (
    ADDRESS,
    complete_checkouts,
    hot_row_lock_probe,
    print_rates,
    rates,
    raw_baseline,
    run_on_throwaway_database,
    setup_shop,
    trivial_mutation_rate,
    with_ratio,
)
from _setup import summary, write_result


def make_checkouts(n, variant, method):
    from shop import services

    tokens = []
    for i in range(n):
        checkout = services.create_checkout("default", email=f"buyer{i}@example.com",
                                            lines=[{"variant_id": variant.pk, "quantity": 1}],
                                            shipping_address=ADDRESS)
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


def purchases_alone(buyers, variant, method, warehouse):
    """Enough units for every buyer: purchases per second through checkoutComplete, and
    how long each purchase kept the hot stock row locked."""
    from shop import services
    from shop.models import Stock

    services.set_stock(variant, warehouse, Stock.objects.get(product_variant=variant)
                       .quantity_allocated + buyers)
    tokens = make_checkouts(buyers, variant, method)
    with hot_row_lock_probe() as holds:
        seconds, results = complete_checkouts(tokens)
    return seconds, results, holds


def refusals_alone(buyers, variant, method, warehouse):
    """Sold out (the gate closed by the first refusal): refusals per second."""
    from shop import services
    from shop.models import Stock

    allocated = Stock.objects.get(product_variant=variant).quantity_allocated
    services.set_stock(variant, warehouse, allocated + buyers + 1)
    tokens = make_checkouts(buyers + 1, variant, method)
    services.set_stock(variant, warehouse, allocated)
    complete_checkouts(tokens[:1])  # finds the variant sold out: closes the gate
    return complete_checkouts(tokens[1:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=32)
    parser.add_argument("--stock", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connect-per-request", action="store_true",
                        help="each request opens its own database connection (the embedded "
                             "development setting) instead of keeping one, as a pooled "
                             "production worker does")
    args = parser.parse_args()
    run_on_throwaway_database("flash_sale", lambda: measure(args),
                              args.connect_per_request)


def measure(args) -> int:
    from shop.models import Order, Stock

    _org, variant, warehouse, method = setup_shop(args.stock)
    trivial_mutation_rate(1, 3)  # warm-up: the schema built, the view's code loaded
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
    allocated_units = sum(line for line in Order.objects.values_list("lines__quantity", flat=True))
    seconds, bought, holds = purchases_alone(args.buyers, variant, method, warehouse)
    purchases = sum(ok for _l, ok, _c in bought)
    seconds_refused, refused_alone = refusals_alone(args.buyers, variant, method, warehouse)
    refusals = sum(codes == ["INSUFFICIENT_STOCK"] for _l, _ok, codes in refused_alone)
    stock.refresh_from_db()
    oversold += max(stock.quantity_allocated - stock.quantity, 0)

    result = with_ratio({
        "buyers": args.buyers, "connect_per_request": args.connect_per_request,
        "stock_per_round": args.stock, "rounds": args.rounds,
        "orders": orders, "expected_orders": expected_orders,
        "insufficient_stock": refused, "other_errors": len(other_errors),
        "oversold_units": oversold + max(allocated_units - expected_orders, 0),
        "orders_per_second": round(orders / seconds_total, 1),
        **rates("", latencies, seconds_total),
        "purchases_alone": purchases, "purchases_per_second": round(purchases / seconds, 1),
        "purchases_p99_ms": rates("", [lat for lat, _o, _c in bought], seconds)["p99_ms"],
        # The hot row is locked from the stock take to the end of the COMMIT: the share of
        # the phase it spends locked says whether that lock (not Python) bounds purchases.
        "hot_row_locked_p50_ms": summary(holds)["p50_ms"],
        "hot_row_locked_mean_ms": summary(holds)["mean_ms"],
        "hot_row_locked_share": round(sum(holds) / seconds, 3),
        "refusals_alone": refusals,
        "refusals_per_second": round(len(refused_alone) / seconds_refused, 1),
        "refusals_p99_ms": rates("", [lat for lat, _o, _c in refused_alone],
                                 seconds_refused)["p99_ms"],
        **raw_baseline(variant, warehouse, threads=args.buyers, units=args.stock,
                       rounds=args.rounds),
        **trivial_mutation_rate(args.buyers),
    })
    result["ratio_purchases_vs_raw"] = round(
        result["purchases_per_second"] / result["raw_purchases_per_second"], 3)
    result["ratio_purchases_vs_raw_locked"] = round(
        result["purchases_per_second"] / result["raw_locked_purchases_per_second"], 3)
    result["ratio_purchases_vs_trivial_mutation"] = round(
        result["purchases_per_second"] / result["trivial_mutations_per_second"], 3)
    result["ratio_refusals_vs_trivial_mutation"] = round(
        result["refusals_per_second"] / result["trivial_mutations_per_second"], 3)
    print(f"checkoutComplete: {orders} orders of {expected_orders} units, {refused} refused "
          f"INSUFFICIENT_STOCK, {len(other_errors)} other errors")
    print(f"  oversold units: {result['oversold_units']}")
    print_rates("checkoutComplete", result)
    print(f"purchases alone: {purchases} of {args.buyers}, {result['purchases_per_second']}/s, "
          f"p99 {result['purchases_p99_ms']} ms; ratio vs raw conditional "
          f"{result['ratio_purchases_vs_raw']}, vs raw locked "
          f"{result['ratio_purchases_vs_raw_locked']}, vs trivial mutation "
          f"{result['ratio_purchases_vs_trivial_mutation']}")
    print(f"  hot stock row locked per purchase (take to end of COMMIT): p50 "
          f"{result['hot_row_locked_p50_ms']} ms, mean {result['hot_row_locked_mean_ms']} ms, "
          f"{result['hot_row_locked_share']:.0%} of the phase")
    print(f"refusals once sold out: {refusals} of {len(refused_alone)}, "
          f"{result['refusals_per_second']}/s, p99 {result['refusals_p99_ms']} ms; trivial "
          f"mutation {result['trivial_mutations_per_second']}/s; ratio "
          f"{result['ratio_refusals_vs_trivial_mutation']}")
    print(f"wrote {write_result('flash_sale', result)}")
    ok = (result["oversold_units"] == 0 and orders == expected_orders
          and purchases == args.buyers and refusals == len(refused_alone))
    return 0 if ok else 1


if __name__ == "__main__":
    main()
