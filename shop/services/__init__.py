"""The commerce core's operations, one module per concern:

``channels``    the channel a shopper buys in
``accounts``    registration, passwords, sign-in and JSON Web Tokens
``stock``       every change to ``Stock`` quantities (counts, allocation, live holds, shipping)
``shipping``    shipping prices
``checkout``    the cart: lines, addresses, delivery method, prices (``shop.hooks``), totals
``orders``      placing an order from a checkout, cancellation, expiry, the order's events
``fulfilment``  shipping a seller's lines and delivery
``payments``    Alipay payments, notices, queries and refunds
``receipt``     the buyer's confirmation of receipt, and the automatic one

Callers import from ``shop.services``; the names below are its interface."""

from ..errors import field_error
from ..money import CENT, money
from .accounts import (
    JWT_ALGORITHM,
    authenticate_user,
    change_password,
    create_access_token,
    create_refresh_token,
    user_from_token,
)
from .channels import get_channel
from .checkout import (
    MAX_LINE_QUANTITY,
    add_checkout_lines,
    assign_checkout_to_user,
    available_shipping_methods,
    checkout_totals,
    create_checkout,
    delete_checkout_lines,
    get_checkout,
    line_price,
    line_unit_price,
    purchasable_variants,
    update_checkout_address,
    update_checkout_delivery_method,
    update_checkout_email,
    update_checkout_lines,
    variant_weight,
)
from .fulfilment import fulfill_order_lines, mark_order_delivered
from .orders import (
    cancel_order,
    complete_checkout,
    expire_order,
    expire_unpaid_orders,
    locked_order,
    queue_order_notification,
    record_event,
    refuse_sold_out,
)
from .payments import (
    SUPPORTED_GATEWAYS,
    confirm_payment,
    handle_alipay_notice,
    query_pending_payments,
    refund_due_payments,
    refund_order,
    returned_payment,
    start_payment,
)
from .receipt import auto_confirm_at, confirm_overdue_receipts, confirm_receipt
from .shipping import shipping_price
from .stock import (
    allocate_reserved_stock,
    allocate_stock,
    available_quantity,
    deallocate_order_stock,
    increase_stock,
    release_reserved_stock,
    reserve_stock,
    set_stock,
    ship_allocated_stock,
    withdraw_stock,
)

__all__ = [
    "CENT", "JWT_ALGORITHM", "MAX_LINE_QUANTITY", "SUPPORTED_GATEWAYS",
    "add_checkout_lines", "allocate_reserved_stock", "allocate_stock",
    "assign_checkout_to_user", "authenticate_user", "auto_confirm_at", "available_quantity",
    "available_shipping_methods", "cancel_order", "change_password", "checkout_totals",
    "complete_checkout", "confirm_overdue_receipts", "confirm_payment", "confirm_receipt",
    "create_access_token", "create_checkout",
    "create_refresh_token", "deallocate_order_stock", "delete_checkout_lines",
    "expire_order", "expire_unpaid_orders", "field_error", "fulfill_order_lines",
    "get_channel", "get_checkout", "handle_alipay_notice", "increase_stock", "line_price",
    "line_unit_price", "locked_order", "mark_order_delivered", "money",
    "purchasable_variants", "query_pending_payments", "queue_order_notification",
    "record_event", "refuse_sold_out", "refund_due_payments", "refund_order",
    "release_reserved_stock", "reserve_stock", "returned_payment", "set_stock",
    "ship_allocated_stock", "shipping_price", "start_payment",
    "update_checkout_address", "update_checkout_delivery_method", "update_checkout_email",
    "update_checkout_lines", "user_from_token", "variant_weight", "withdraw_stock",
]
