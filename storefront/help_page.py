"""购物帮助 (``/help/``, linked from every shop page's footer): how to buy and pay, how to
scan a package's trace code and read what it shows, and the after-sales rules, with the
figures the shop is set up with (the payment window, the return window, the goods sold
refund-only)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.models import Category


@require_GET
def shopping_help(request):
    refund_only = list(Category.objects.filter(slug__in=settings.RETURN_REFUND_ONLY_CATEGORIES)
                       .order_by("name").values_list("name", flat=True))
    return render(request, "storefront/help/shopping.html", {
        "pay_minutes": settings.ORDER_UNPAID_EXPIRY_MINUTES,
        "confirm_days": settings.ORDER_AUTO_CONFIRM_DAYS,
        "return_days": settings.RETURN_WINDOW_DAYS,
        "photos": settings.RETURN_PHOTOS_MAX,
        "refund_only": "、".join(refund_only),
    })
