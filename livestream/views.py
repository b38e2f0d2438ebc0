"""Server-rendered pages: the public schedule ``/live/`` (a page of the shop, where a
shopper buys during a broadcast) and the sales detail list (销售明细清单) as CSV and XLSX
for the host and operators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shop import services as shop_services
from storefront import live as live_offers

from . import services
from .models import Broadcast, Host, LineupItem


@require_GET
def schedule_page(request):
    """``/live/``, in the shop's layout: each broadcast's line-up at the price it sells
    for now (the live price during the broadcast, struck-through regular price when lower),
    the live units left, flash-sale countdowns and a buy button while it is live."""
    now = timezone.now()
    broadcasts = list(services.upcoming_broadcasts(now))
    offers = {}
    by_pk = {b.pk: b for b in broadcasts}
    for item in (services.on_sale(LineupItem.objects.filter(broadcast__in=broadcasts))
                 .select_related("variant__product").order_by("position", "pk")):
        offers.setdefault(item.broadcast_id, []).append(
            live_offers.offer(item, by_pk[item.broadcast_id], now))
    for broadcast in broadcasts:
        broadcast.shop_offers = offers.get(broadcast.pk, [])
        broadcast.is_live_now = broadcast.is_open(now)
    return render(request, "livestream/schedule.html", {"broadcasts": broadcasts, "now": now})


def _user_from_request(request):
    user = request.user
    if user.is_authenticated:
        return user
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        try:
            return shop_services.user_from_token(header[7:].strip())
        except Exception:  # noqa: BLE001 - a bad token is simply no user
            return None
    return None


def _sales_reader(request, pk) -> tuple[Broadcast, set[int] | None]:
    """The broadcast and whose lines the caller may read: all of them for its host and
    operators, a co-selling cooperative's member its own organisations' lines only."""
    broadcast = get_object_or_404(Broadcast, pk=pk)
    user = _user_from_request(request)
    if user is not None and (user.is_operator
                             or Host.objects.filter(user=user, pk=broadcast.host_id).exists()):
        return broadcast, None
    own = services.co_seller_ids(broadcast, user)
    if not own:
        raise PermissionDenied
    return broadcast, own


@require_GET
def sales_csv(request, pk: int):
    broadcast, own = _sales_reader(request, pk)
    response = HttpResponse(services.sales_detail_csv(broadcast, own),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="broadcast-{pk}-sales.csv"'
    return response


@require_GET
def sales_xlsx(request, pk: int):
    broadcast, own = _sales_reader(request, pk)
    response = HttpResponse(
        services.sales_detail_xlsx(broadcast, own),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="broadcast-{pk}-sales.xlsx"'
    return response
