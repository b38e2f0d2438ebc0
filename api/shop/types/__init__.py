"""GraphQL types of the commerce core, in Saleor's names and shapes."""

from .accounts import (
    Channel,
    CountryDisplay,
    Notification,
    NotificationCountableConnection,
    Organization,
    OrganizationKindEnum,
)
from .checkout import Address, Checkout, CheckoutLine, DeliveryMethod, ShippingMethod
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
    PavilionOrderStatus,
    PaymentRefund,
    TransactionItem,
)
from .returns import (
    OrderReturnRequest,
    OrderReturnRequestReasonEnum,
    OrderReturnRequestStatusEnum,
    OrderReturnRequestTypeEnum,
)
from .users import MembershipRoleEnum, OrganizationMembership, User
from .warehouses import Warehouse, WarehouseClickAndCollectOptionEnum

__all__ = [
    "Address", "Channel", "Checkout", "CheckoutLine", "CountryDisplay", "DeliveryMethod",
    "Fulfillment",
    "FulfillmentLine", "FulfillmentStatus", "MembershipRoleEnum", "Notification",
    "NotificationCountableConnection", "Order", "OrderChargeStatus",
    "OrderCountableConnection", "OrderEvent", "OrderEventsEnum", "OrderLine",
    "OrderReturnRequest", "OrderReturnRequestReasonEnum", "OrderReturnRequestStatusEnum",
    "OrderReturnRequestTypeEnum",
    "Organization", "OrganizationKindEnum", "OrganizationMembership", "PavilionOrderStatus",
    "PaymentRefund",
    "ShippingMethod", "TransactionItem", "User", "Warehouse",
    "WarehouseClickAndCollectOptionEnum",
]
