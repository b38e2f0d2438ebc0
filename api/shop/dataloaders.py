"""One DataLoader per relation of checkouts and orders (keys are primary keys)."""

from __future__ import annotations

from api.core.dataloaders import ByIdLoader, DataLoader, by_key
from shop.models import (
    Address,
    Channel,
    CheckoutLine,
    Fulfillment,
    FulfillmentLine,
    OrderEvent,
    OrderLine,
    Payment,
    Refund,
    ShippingMethod,
    User,
)


class AddressByIdLoader(ByIdLoader):
    model = Address


class ChannelByIdLoader(ByIdLoader):
    model = Channel


class UserByIdLoader(ByIdLoader):
    model = User


class ShippingMethodByIdLoader(ByIdLoader):
    model = ShippingMethod


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
