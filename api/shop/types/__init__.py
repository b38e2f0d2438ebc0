"""GraphQL types of the commerce core, in Saleor's names and shapes."""

from .accounts import (
    Channel,
    CountryDisplay,
    MembershipRoleEnum,
    Notification,
    NotificationCountableConnection,
    Organization,
    OrganizationKindEnum,
    OrganizationMembership,
    User,
)
from .checkout import Address, Checkout, CheckoutLine, ShippingMethod
from .orders import (
    Fulfillment,
    FulfillmentLine,
    FulfillmentStatus,
    Order,
    OrderChargeStatus,
    OrderCountableConnection,
    OrderEvent,
    OrderEventsEnum,
    OrderLine,
    OrderStatus,
    PaymentRefund,
    TransactionItem,
)

__all__ = [
    "Address", "Channel", "Checkout", "CheckoutLine", "CountryDisplay", "Fulfillment",
    "FulfillmentLine", "FulfillmentStatus", "MembershipRoleEnum", "Notification",
    "NotificationCountableConnection", "Order", "OrderChargeStatus",
    "OrderCountableConnection", "OrderEvent", "OrderEventsEnum", "OrderLine", "OrderStatus",
    "Organization", "OrganizationKindEnum", "OrganizationMembership", "PaymentRefund",
    "ShippingMethod", "TransactionItem", "User",
]
