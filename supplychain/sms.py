"""The mobile numbers a recall notice is texted to (``shop.sms``): those on the affected
orders (shipped from the lot, or paid and waiting for its product) of the buyer the
notice is for, registered by ``SupplychainConfig.ready``."""

from __future__ import annotations

from shop.models import Order
from shop.sms import order_phones

from .models import Recall
from .services.recalls import recall_affected, waiting_orders


def recall_phones(message) -> list[str]:
    kind, _sep, pk = message.reference.partition(":")
    recall = Recall.objects.filter(pk=int(pk)).first() if kind == "recall" and pk.isdigit() \
        else None
    email = message.email or (message.recipient if isinstance(message.recipient, str)
                              else getattr(message.recipient, "email", ""))
    verified = getattr(message.recipient, "verified_phone", None)
    if recall is not None and not email and verified:
        return [verified]  # an account without an e-mail, told at its verified number
    if recall is None or not email:
        return []
    order_ids = {pk for pk, address in recall_affected(recall)["orders"] + waiting_orders(recall)
                 if address == email}
    phones = []
    for order in Order.objects.filter(pk__in=order_ids).select_related("shipping_address",
                                                                        "user"):
        phones += order_phones(order)
    return phones
