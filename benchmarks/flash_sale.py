"""Flash sale: N concurrent buyers through the real ``checkoutComplete`` (the /graphql/
view, one database connection per buyer thread) on one hot variant with limited stock.

Prints completed orders per second, p50/p99 latency, oversold units (must be 0) and the
ratio against the raw throughput of the same locked stock update alone (SELECT ... FOR
UPDATE on the stock row + UPDATE, one transaction per unit) on the same database in the
same run. Works in a throwaway database it creates and drops on the embedded PostgreSQL
server (it refuses to run with DATABASE_URL set, so it never touches a real database).

    .venv/bin/python benchmarks/flash_sale.py [--buyers 32] [--stock 16] [--rounds 3]
"""

from __future__ import annotations

import argparse

from _concurrency import (
    ADDRESS,
    complete_checkouts,
    print_rates,
    rates,
    raw_baseline,
    run_on_throwaway_database,
    setup_shop,
    with_ratio,
)
from _setup import write_result


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=32)
    parser.add_argument("--stock", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    run_on_throwaway_database("flash_sale", lambda: measure(args))


def measure(args) -> int:
    from shop.models import Order, Stock

    _org, variant, warehouse, method = setup_shop(args.stock)
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

    result = with_ratio({
        "buyers": args.buyers, "stock_per_round": args.stock, "rounds": args.rounds,
        "orders": orders, "expected_orders": expected_orders,
        "insufficient_stock": refused, "other_errors": len(other_errors),
        "oversold_units": oversold + max(allocated_units - expected_orders, 0),
        "orders_per_second": round(orders / seconds_total, 1),
        **rates("", latencies, seconds_total),
        # Baseline: the raw locked update on the same stock row with the same limit.
        **raw_baseline(variant, warehouse, threads=args.buyers, units=args.stock,
                       rounds=args.rounds),
    })
    print(f"checkoutComplete: {orders} orders of {expected_orders} units, {refused} refused "
          f"INSUFFICIENT_STOCK, {len(other_errors)} other errors")
    print(f"  oversold units: {result['oversold_units']}")
    print_rates("checkoutComplete", result)
    print(f"wrote {write_result('flash_sale', result)}")
    return 0 if result["oversold_units"] == 0 and orders == expected_orders else 1


if __name__ == "__main__":
    main()
