"""One DataLoader per relation of the commerce core's models: organisations, users,
channels, stock, checkouts and orders (keys are primary keys)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Sum

from api.core.dataloaders import ByIdLoader, DataLoader, by_key
from shop.models import (
    Address,
    Channel,
    CheckoutLine,
    Fulfillment,
    FulfillmentLine,
    OrderEvent,
    OrderLine,
    Organization,
    Payment,
    Refund,
    ShippingMethod,
    Stock,
    User,
)
from shop.pickup import PICKUP_CARRIER


class AddressByIdLoader(ByIdLoader):
    model = Address


class ChannelByIdLoader(ByIdLoader):
    model = Channel


class UserByIdLoader(ByIdLoader):
    model = User


class DeliveryByShippingMethodIdLoader(DataLoader):
    """Key a shipping method's id -> ``(method, pick-up point or None)``: one query for the
    methods of a whole order list and the points they stand for."""

    def batch_load(self, keys):
        methods = ShippingMethod.objects.select_related(
            "pickup_point__warehouse__organization").in_bulk(keys)
        return [(methods[key], _pickup_point(methods[key])) if key in methods else (None, None)
                for key in keys]


def _pickup_point(method):
    if method.carrier != PICKUP_CARRIER:
        return None
    try:
        return method.pickup_point
    except ObjectDoesNotExist:
        return None


class OrganizationByIdLoader(ByIdLoader):
    model = Organization


class ChannelSlugByIdLoader(DataLoader):
    def batch_load(self, keys):
        slugs = dict(Channel.objects.filter(pk__in=keys).values_list("pk", "slug"))
        return [slugs.get(key) for key in keys]


class QuantityAvailableByVariantChannelLoader(DataLoader):
    """Key ``(variant_id, channel_slug)`` -> units on hand minus allocated, summed over the
    warehouses that serve the channel."""

    def batch_load(self, keys):
        rows = (
            Stock.objects.filter(
                product_variant_id__in={k[0] for k in keys},
                warehouse__channels__slug__in={k[1] for k in keys},
            )
            .values("product_variant_id", "warehouse__channels__slug")
            .annotate(total=Sum(F("quantity") - F("quantity_allocated")))
        )
        found = {(r["product_variant_id"], r["warehouse__channels__slug"]): r["total"]
                 for r in rows}
        return [max(found.get(key) or 0, 0) for key in keys]


class _ChildrenLoader(DataLoader):
    model = None
    parent = None

    def batch_load(self, keys):
        grouped = by_key(self.model.objects.filter(**{f"{self.parent}__in": keys}),
                         lambda row: getattr(row, self.parent))
        return [grouped.get(key, []) for key in keys]


class CheckoutLinesByCheckoutTokenLoader(_ChildrenLoader):
    model, parent = CheckoutLine, "checkout_id"


class OrderLinesByOrderIdLoader(_ChildrenLoader):
    model, parent = OrderLine, "order_id"


class OrderEventsByOrderIdLoader(_ChildrenLoader):
    model, parent = OrderEvent, "order_id"


class FulfillmentsByOrderIdLoader(_ChildrenLoader):
    model, parent = Fulfillment, "order_id"


class FulfillmentLinesByFulfillmentIdLoader(_ChildrenLoader):
    model, parent = FulfillmentLine, "fulfillment_id"


class PaymentsByOrderIdLoader(_ChildrenLoader):
    model, parent = Payment, "order_id"


class RefundsByOrderIdLoader(_ChildrenLoader):
    model, parent = Refund, "order_id"
