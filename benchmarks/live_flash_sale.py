"""Live flash sale (秒杀): N concurrent buyers (default 64) on a broadcast's live allocation,
each through the real ``checkoutComplete`` (the /graphql/ view, one database connection per
buyer), checkouts started from the broadcast (live price, per-buyer limit 1; a quarter of
the buyers try twice).

Prints completed orders per second, p50/p99 latency, oversold units (must be 0), per-buyer
limit violations (must be 0); purchases alone (an allocation for every buyer, each buying
once) against the raw ceiling's purchases alone, as flash_sale.py compares them; the
sale's attempts (purchases and refusals) against the raw ones (a raw refusal is a
statement that changes nothing, while a refusal in the thick of the sale, the gate still
open, costs a purchase's transaction rolled back: this ratio sits far below the purchases'
one by construction); and refusals once the live allocation is sold out (answered by its
sold-out gate) against a trivial mutation, in alternate phases. The raw ceiling is measured
in the same run on the same database with the same buyers: threads of one process, or with
``--processes`` processes of their own (live_flash_sale_processes.json). Works in a
throwaway database it creates and drops on the embedded PostgreSQL server (refuses to run
with DATABASE_URL set).

    .venv/bin/python benchmarks/live_flash_sale.py [--buyers 64] [--allocation 32] [--rounds 3]
        [--processes]
"""

from __future__ import annotations

import argparse

from _concurrency import (
    ADDRESS,
    complete_checkouts,
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
from _setup import write_result

REFUSAL_ROUNDS = 3


def live_broadcast(round_no, org, variant, allocation):
    """A broadcast live now (its own host and studio), the variant at 9.90 on flash sale."""
    from datetime import date, timedelta

    from django.utils import timezone

    from livestream import services
    from livestream.models import Venue
    from shop.models import Membership, User

    user = User.objects.create_user(f"host{round_no}@example.com", "a-Strong-pass-123")
    Membership.objects.create(user=user, organization=org)
    host = services.create_host(user=user, organization=org, display_name=f"主播{round_no}",
                                birth_date=date(1995, 1, 1), platforms=["douyin"],
                                real_name_verified=True)
    venue = Venue.objects.create(name=f"直播间{round_no}", kind="studio")
    start = timezone.now() + timedelta(minutes=1)
    broadcast = services.create_broadcast(host=host, venue=venue, title=f"秒杀专场{round_no}",
                                          starts_at=start, ends_at=start + timedelta(hours=1),
                                          platform="douyin")
    item = services.add_lineup_item(broadcast, variant=variant, live_price="9.90",
                                    quantity=allocation, per_buyer_limit=1,
                                    flash_sale_starts_at=timezone.now(), flash_sale_seconds=3000)
    services.start_broadcast(broadcast)
    return broadcast, item


def make_checkouts(round_no, n, broadcast, variant, method, retries: bool = True):
    """``n`` checkouts from ``broadcast``; with ``retries`` a quarter of the buyers have a
    second one."""
    from livestream import services
    from shop import services as shop_services

    distinct = n - n // 4 if retries else n
    tokens = []
    for i in range(n):
        checkout = services.create_broadcast_checkout(
            broadcast, email=f"r{round_no}-buyer{i % distinct}@example.com",
            lines=[{"variant_id": variant.pk, "quantity": 1}], shipping_address=ADDRESS)
        shop_services.update_checkout_delivery_method(checkout, method.pk)
        tokens.append(str(checkout.token))
    return tokens


def flash_sale_round(round_no, buyers, allocation, org, variant, method):
    """A new broadcast live with ``allocation`` units held, then ``buyers`` buyers at once."""
    broadcast, _item = live_broadcast(round_no, org, variant, allocation)
    return complete_checkouts(make_checkouts(round_no, buyers, broadcast, variant, method))


def purchases_alone(buyers, rounds, org, variant, method):
    """Rounds of ``buyers`` distinct buyers on a broadcast holding a unit for each: every
    one buys. Returns (seconds, results)."""
    seconds_total, results_total = 0.0, []
    for round_no in range(500, 500 + rounds):
        broadcast, _item = live_broadcast(round_no, org, variant, buyers)
        seconds, results = complete_checkouts(
            make_checkouts(round_no, buyers, broadcast, variant, method, retries=False))
        seconds_total += seconds
        results_total += results
    return seconds_total, results_total


def sold_out_live_checkouts(org, variant, method):
    """``make_tokens(n)`` for the refusal phases: a new broadcast live with one unit, ``n``
    checkouts made from it while the unit was free, then the unit sold and the live
    allocation's gate closed by one more completion."""
    rounds = iter(range(1000, 2000))

    def make_tokens(n):
        round_no = next(rounds)
        broadcast, _item = live_broadcast(round_no, org, variant, 1)
        tokens = make_checkouts(round_no, n + 2, broadcast, variant, method)
        complete_checkouts(tokens[:1])  # the unit sold
        complete_checkouts(tokens[1:2])  # finds the allocation empty: closes the gate
        return tokens[2:]

    return make_tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=64)
    parser.add_argument("--allocation", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connect-per-request", action="store_true",
                        help="each request opens its own database connection (the embedded "
                             "development setting) instead of keeping one, as a pooled "
                             "production worker does")
    parser.add_argument("--processes", action="store_true",
                        help="buyers (and the raw baseline's workers) as processes of their "
                             "own instead of threads of this one")
    args = parser.parse_args()
    run_on_throwaway_database("live_flash_sale", lambda: measure(args),
                              args.connect_per_request)


def measure(args) -> int:
    from django.db.models import Count, Sum

    from livestream.models import LineupItem, LivePurchase
    from shop.models import OrderLine, Stock

    use_processes(args.processes)
    general = 1000
    # The sale's allocations, the purchases alone's, a unit per refusal phase, and the
    # general stock, which no live sale touches.
    org, variant, warehouse, method = setup_shop(
        general + (args.allocation + args.buyers) * args.rounds + REFUSAL_ROUNDS)
    warm_up(variant, warehouse, method)
    latencies, orders, seconds_total, codes_seen = [], 0, 0.0, {}
    for round_no in range(args.rounds):
        seconds, results = flash_sale_round(round_no, args.buyers, args.allocation, org,
                                            variant, method)
        seconds_total += seconds
        for elapsed, ok, codes in results:
            latencies.append(elapsed)
            orders += ok
            for code in codes:
                codes_seen[code] = codes_seen.get(code, 0) + 1
    sold = LineupItem.objects.aggregate(n=Sum("quantity_sold"))["n"] or 0
    expected_orders = min(args.allocation, args.buyers - args.buyers // 4) * args.rounds
    seconds_alone, bought = purchases_alone(args.buyers, args.rounds, org, variant, method)
    purchases = sum(ok for _l, ok, _c in bought)
    refusals = refusals_against_trivial(args.buyers, sold_out_live_checkouts(org, variant,
                                                                             method),
                                        rounds=REFUSAL_ROUNDS)
    # Every phase's orders at once: no item sold more than it held, no order without its
    # sold units, no stock row with more allocated than it has.
    stock = Stock.objects.get(product_variant=variant)
    ordered = OrderLine.objects.filter(variant=variant).aggregate(n=Sum("quantity"))["n"] or 0
    items = LineupItem.objects.all()
    oversold = (sum(max(i.quantity_sold + i.quantity_returned - i.quantity_allocated, 0)
                    for i in items)
                + max(ordered - sum(i.quantity_sold for i in items), 0)
                + max(stock.quantity_allocated - stock.quantity, 0))
    limit_violations = (LivePurchase.objects.values("item", "buyer").annotate(n=Count("pk"))
                        .filter(n__gt=1).count())
    untouched = stock.quantity - stock.quantity_allocated  # the general stock, never sold live

    result = with_ratio({
        "driver": "processes" if args.processes else "threads",
        "buyers": args.buyers, "connect_per_request": args.connect_per_request,
        "allocation_per_round": args.allocation, "rounds": args.rounds,
        "orders": orders, "expected_orders": expected_orders, "units_sold_live": sold,
        "refusals": codes_seen, "oversold_units": oversold,
        "per_buyer_limit_violations": limit_violations,
        "general_stock_untouched": untouched == general,
        "orders_per_second": round(orders / seconds_total, 1),
        **rates("", latencies, seconds_total),
        "purchases_alone": purchases,
        "purchases_per_second": round(purchases / seconds_alone, 1),
        "purchases_p99_ms": rates("", [lat for lat, _o, _c in bought], seconds_alone)["p99_ms"],
        **refusals,
        **raw_baseline(variant, warehouse, threads=args.buyers, units=args.allocation,
                       rounds=args.rounds),
    })
    result["ratio_purchases_vs_raw"] = round(
        result["purchases_per_second"] / result["raw_purchases_per_second"], 3)
    result["ratio_purchases_vs_raw_locked"] = round(
        result["purchases_per_second"] / result["raw_locked_purchases_per_second"], 3)
    result["ratio_purchases_vs_trivial_mutation"] = round(
        result["purchases_per_second"] / result["trivial_mutations_per_second"], 3)
    print(f"live checkoutComplete: {orders} orders (expected {expected_orders}), refusals "
          f"{codes_seen}")
    print(f"  oversold units: {oversold}; per-buyer limit violations: {limit_violations}; "
          f"general stock untouched: {result['general_stock_untouched']}")
    print_rates("live checkoutComplete", result)
    print(f"purchases alone (a unit for every buyer): {purchases} of "
          f"{args.buyers * args.rounds}, {result['purchases_per_second']}/s, p99 "
          f"{result['purchases_p99_ms']} ms; ratio vs raw conditional "
          f"{result['ratio_purchases_vs_raw']}, vs raw locked "
          f"{result['ratio_purchases_vs_raw_locked']}, vs trivial mutation "
          f"{result['ratio_purchases_vs_trivial_mutation']}")
    print_refusals(result)
    name = "live_flash_sale_processes" if args.processes else "live_flash_sale"
    print(f"wrote {write_result(name, result)}")
    ok = (oversold == 0 and limit_violations == 0 and orders == expected_orders
          and purchases == args.buyers * args.rounds
          and result["refusals_alone"] == result["refusal_attempts"])
    return 0 if ok else 1


if __name__ == "__main__":
    main()
