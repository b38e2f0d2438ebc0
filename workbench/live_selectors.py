"""Read-only queries of the host's and the operator's pages: the week at a glance with its
clashes, the offers cooperatives agreed to for a line-up, the console's live figures, the
review's charts and the county coverage. Each is a fixed number of SQL queries whatever
the length of its list."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.models import Pavilion, ProductVariant, ProductVariantChannelListing
from livestream import services as live_services
from livestream.models import Broadcast, LineupItem, LiveOffer, LivePurchase, WeeklySchedule
from shop.models import Order, Stock

Status = Broadcast.Status
# The home page names a scheduled broadcast as the next one until this long after its
# planned start (it may go live late), and warns of empty line-ups this far ahead.
EARLY_LATE = timedelta(hours=1)
LINEUP_HORIZON = timedelta(days=14)


def local_midnight(day):
    return datetime.combine(day, time()).replace(tzinfo=live_services.local_zone())


def week_of(day):
    """The Monday of ``day``'s week (local time)."""
    return live_services.week_start(day)


def week_at_a_glance(monday, *, editable):
    """The seven days from ``monday``, each with its broadcasts (local times). A broadcast
    overlapping another one in time is marked as a clash (the database already refuses a
    host or a venue booked twice; two shows at once still split the audience)."""
    start = local_midnight(monday)
    broadcasts = list(Broadcast.objects.filter(starts_at__gte=start,
                                               starts_at__lt=start + timedelta(days=7))
                      .select_related("host", "venue").order_by("starts_at", "pk"))
    active = [b for b in broadcasts if b.status != Status.CANCELLED]
    for broadcast in broadcasts:
        broadcast.clashes = [other for other in active if other.pk != broadcast.pk
                             and broadcast.status != Status.CANCELLED
                             and other.starts_at < broadcast.ends_at
                             and broadcast.starts_at < other.ends_at]
        broadcast.editable = editable(broadcast)
    zone = live_services.local_zone()
    today = timezone.localdate(timezone=zone)
    days = []
    for i in range(7):
        day = monday + timedelta(days=i)
        days.append({"day": day, "today": day == today,
                     "broadcasts": [b for b in broadcasts
                                    if b.starts_at.astimezone(zone).date() == day]})
    return days, sum(1 for b in active), sum(1 for b in active if b.clashes)


WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
            (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))]


def schedules(host=None):
    """The weekly schedules, each with its next broadcast still to come (``next_pk``,
    ``next_at``): the way on to that broadcast's line-up."""
    upcoming = Broadcast.objects.filter(
        schedule=OuterRef("pk"), status__in=(Status.SCHEDULED, Status.LIVE),
        ends_at__gt=timezone.now()).order_by("starts_at")
    rows = WeeklySchedule.objects.select_related("host", "venue").annotate(
        next_pk=Subquery(upcoming.values("pk")[:1]),
        next_at=Subquery(upcoming.values("starts_at")[:1]),
    ).order_by("weekday", "start_time", "pk")
    if host is not None:
        rows = rows.filter(host=host)
    names = dict(WEEKDAYS)
    rows = list(rows)
    for schedule in rows:
        schedule.weekday_label = names.get(schedule.weekday, "")
    return rows


def _free_stock(variant_field):
    free = (Stock.objects.filter(product_variant=OuterRef(variant_field)).order_by()
            .values("product_variant")
            .annotate(n=Sum(F("quantity") - F("quantity_allocated"))).values("n"))
    return Coalesce(Subquery(free, output_field=IntegerField()), 0)


def _channel_price(channel, variant_field):
    price = ProductVariantChannelListing.objects.filter(
        variant=OuterRef(variant_field), channel=channel).values("price_amount")[:1]
    return Subquery(price, output_field=DecimalField(max_digits=12, decimal_places=2))


def _on_sale(channel, prefix=""):
    """Variants whose product shoppers can buy in ``channel`` now."""
    return Q(**{f"{prefix}product__channel_listings__channel": channel,
                f"{prefix}product__channel_listings__is_published": True,
                f"{prefix}product__channel_listings__available_for_purchase_at__lte":
                timezone.now()})


def offers(broadcast, limit: int = 200):
    """What cooperatives agreed to have sold live in this broadcast (their offers: a lowest
    live price and at most so many units, for this broadcast or any until a date), on sale
    in the broadcast's channel and not in the line-up yet, with the units still free under
    each offer and in stock."""
    now = timezone.now()
    taken = broadcast.lineup.values("variant_id")
    used = (LineupItem.objects.filter(offer=OuterRef("pk")).order_by().values("offer")
            .annotate(n=Sum(F("quantity_allocated") - F("quantity_returned"))).values("n"))
    rows = (LiveOffer.objects.filter(is_active=True)
            .filter(Q(broadcast__isnull=True) | Q(broadcast=broadcast))
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
            .filter(variant__in=ProductVariant.objects.filter(_on_sale(broadcast.channel)))
            .exclude(variant_id__in=taken)
            .select_related("organization", "variant__product__pavilion")
            .annotate(free=_free_stock("variant_id"),
                      price=_channel_price(broadcast.channel, "variant_id"),
                      used=Coalesce(Subquery(used, output_field=IntegerField()), 0))
            .order_by("organization__name", "variant__product__name", "-created_at")[:limit])
    result = []
    for offer in rows:
        offer.units_left = max(min(offer.max_quantity - offer.used, offer.free), 0)
        if offer.units_left and offer.price is not None:
            result.append(offer)
    return result


def own_goods(broadcast, limit: int = 200):
    """The host's own organisation's goods on sale in the channel: no offer needed."""
    organization_id = broadcast.host.organization_id
    if organization_id is None:
        return []
    taken = broadcast.lineup.values("variant_id")
    return list(ProductVariant.objects.filter(_on_sale(broadcast.channel),
                                              product__organization_id=organization_id)
                .exclude(pk__in=taken).select_related("product__pavilion")
                .annotate(free=_free_stock("pk"), price=_channel_price(broadcast.channel, "pk"))
                .filter(free__gt=0, price__isnull=False)
                .order_by("product__name", "sku")[:limit])


def offers_of(organization):
    """An organisation's offers, newest first, with the units lined up under each."""
    used = (LineupItem.objects.filter(offer=OuterRef("pk")).order_by().values("offer")
            .annotate(n=Sum(F("quantity_allocated") - F("quantity_returned"))).values("n"))
    return list(LiveOffer.objects.filter(organization=organization)
                .select_related("variant__product", "broadcast")
                .annotate(used=Coalesce(Subquery(used, output_field=IntegerField()), 0))
                .order_by("-is_active", "-created_at", "-pk"))


def lineup(broadcast):
    now = timezone.now()
    items = list(LineupItem.objects.filter(broadcast=broadcast)
                 .select_related("variant__product__organization")
                 .order_by("position", "pk"))
    for item in items:
        item.countdown = live_services.flash_sale_countdown(item, now)
        item.flash_running = item.countdown == 0
        item.live_active = live_services.live_price_applies(item, broadcast, now)
    return items


def purchases(broadcast, limit: int = 30):
    """The latest units bought at the live price, newest first."""
    return list(LivePurchase.objects.filter(item__broadcast=broadcast)
                .select_related("item__variant__product", "order_line__order")
                .order_by("-created_at", "-pk")[:limit])


def console_totals(broadcast) -> dict:
    rows = LineupItem.objects.filter(broadcast=broadcast).aggregate(
        sold=Coalesce(Sum("quantity_sold"), 0),
        amount=Sum(F("quantity_sold") * F("live_price_amount")))
    orders = (LivePurchase.objects.filter(item__broadcast=broadcast)
              .values("order_line__order_id").distinct().count())
    return {"sold": rows["sold"], "amount": rows["amount"] or Decimal("0.00"),
            "orders": orders}


def sales_over_time(broadcast, buckets: int = 12) -> dict:
    """Live-window sales in equal time slices (for the review's line chart) as labels,
    amounts and cumulative amounts."""
    start, end, _post = live_services.sales_window(broadcast)
    step = max((end - start) / buckets, timedelta(minutes=1))
    amounts = [Decimal(0)] * buckets
    lines = (live_services.attributed_lines(broadcast)
             .exclude(order__status=Order.Status.CANCELLED)
             .filter(order__created_at__lte=end)
             .values_list("order__created_at", "total_price_amount"))
    for created_at, total in lines:
        index = min(max(int((created_at - start) / step), 0), buckets - 1)
        amounts[index] += total
    zone = live_services.local_zone()
    labels = [(start + step * i).astimezone(zone).strftime("%H:%M") for i in range(buckets)]
    running, cumulative = Decimal(0), []
    for amount in amounts:
        running += amount
        cumulative.append(float(running))
    return {"labels": labels, "amounts": [float(a) for a in amounts], "cumulative": cumulative}


def coverage(weeks_before: int = 3, weeks_after: int = 4, today=None):
    """Broadcasts per county and week (Monday, local time) around this week, against the
    rule of one a week. A broadcast counts for a county when its line-up sells that
    county pavilion's goods or its venue belongs to an organisation of that county."""
    today = today or timezone.localdate(timezone=live_services.local_zone())
    first = week_of(today) - timedelta(weeks=weeks_before)
    mondays = [first + timedelta(weeks=i) for i in range(weeks_before + weeks_after + 1)]
    start = local_midnight(first)
    end = local_midnight(mondays[-1] + timedelta(weeks=1))
    counties = sorted({c for c in Pavilion.objects.values_list("county", flat=True) if c})
    rows = (Broadcast.objects.filter(starts_at__gte=start, starts_at__lt=end)
            .exclude(status=Status.CANCELLED)
            .values_list("pk", "starts_at", "lineup__variant__product__pavilion__county",
                         "venue__organization__county"))
    seen = defaultdict(set)
    zone = live_services.local_zone()
    for pk, starts_at, pavilion_county, venue_county in rows:
        monday = week_of(starts_at.astimezone(zone).date())
        for county in (pavilion_county, venue_county):
            if county:
                seen[(county, monday)].add(pk)
                if county not in counties:
                    counties.append(county)
    this_week = week_of(today)
    table = [{"county": county, "weeks": [
        {"monday": m, "count": len(seen[(county, m)]), "past": m < this_week,
         "current": m == this_week} for m in mondays]} for county in counties]
    return mondays, table


def broadcasts_to_review(host=None, limit: int = 20):
    rows = (Broadcast.objects.filter(status__in=[Status.ENDED, Status.REVIEWED, Status.LIVE])
            .select_related("host").order_by("-starts_at", "-pk"))
    if host is not None:
        rows = rows.filter(host=host)
    return list(rows[:limit])


def live_todo(host=None, now=None) -> list[dict]:
    """The host's (``host``: their own broadcasts) or the operators' (``None``: all) next
    jobs: the broadcast live now or coming next, coming broadcasts whose line-up is empty,
    and counties without a broadcast this week or next (the one-a-week rule). Each links
    to the page where it is done; four queries whatever the number of broadcasts."""
    now = now or timezone.now()
    zone = live_services.local_zone()
    todo = []
    mine = Broadcast.objects.all() if host is None else Broadcast.objects.filter(host=host)
    current = (mine.filter(Q(status=Status.LIVE) | Q(status=Status.SCHEDULED,
                                                     starts_at__gte=now - EARLY_LATE))
               .order_by(Case(When(status=Status.LIVE, then=0), default=1), "starts_at", "pk")
               .first())
    if current is not None and current.status == Status.LIVE:
        todo.append({"level": "warn", "url": reverse("workbench:live-console",
                                                     args=[current.pk]),
                     "text": _("%(title)s is live: open the console.")
                     % {"title": current.title}})
    elif current is not None:
        todo.append({"url": reverse("workbench:live-broadcast", args=[current.pk]),
                     "text": _("Next broadcast: %(title)s, %(when)s.") % {
                         "title": current.title,
                         "when": current.starts_at.astimezone(zone).strftime("%m-%d %H:%M")}})
    empty = list(mine.filter(status=Status.SCHEDULED, starts_at__gte=now,
                             starts_at__lt=now + LINEUP_HORIZON)
                 .annotate(items=Count("lineup")).filter(items=0)
                 .order_by("starts_at", "pk").values_list("pk", flat=True))
    if empty:
        url = (reverse("workbench:live-broadcast", args=[empty[0]]) if len(empty) == 1
               else reverse("workbench:live"))
        todo.append({"level": "warn", "url": url, "text": ngettext(
            "%(n)s broadcast of the next two weeks has no line-up yet.",
            "%(n)s broadcasts of the next two weeks have no line-up yet.", len(empty))
            % {"n": len(empty)}})
    weeks = live_services.weekly_coverage(weeks=2, today=now.astimezone(zone).date())
    for week, label in zip(weeks, (_("this week"), _("next week")), strict=True):
        if week["empty_counties"]:
            todo.append({"level": "bad", "url": reverse("workbench:live-broadcast-create"),
                         "text": _("No broadcast %(week)s for %(counties)s: book one.") % {
                             "week": label, "counties": "、".join(week["empty_counties"])}})
    return todo
