"""Which orders a caller may open; shared by the ``order(s)`` queries and ``node(id:)``."""

from django.db.models import F, Q

from api.core.permissions import current_user, is_order_staff
from shop.models import Order, OrderLine


def viewable_orders(info):
    """Orders the caller may open: staff all; a buyer their own; a seller the orders
    holding its lines (their other sellers' lines stay hidden, see ``Order.lines``)."""
    user = current_user(info)
    qs = Order.objects.annotate(channel_slug=F("channel__slug"))
    if user is None:
        return qs.none()
    if is_order_staff(user):
        return qs
    orgs = user.organization_ids()
    condition = Q(user=user)
    if orgs:
        condition |= Q(pk__in=OrderLine.objects.filter(
            organization_id__in=orgs).values("order_id"))
    return qs.filter(condition)
