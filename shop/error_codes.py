"""Error codes of accounts and channels, Saleor's names."""

from enum import Enum


class AccountErrorCode(Enum):
    ACTIVATE_OWN_ACCOUNT = "activate_own_account"
    ACCOUNT_NOT_CONFIRMED = "account_not_confirmed"
    CODE_THROTTLED = "code_throttled"
    GRAPHQL_ERROR = "graphql_error"
    INACTIVE = "inactive"
    INVALID = "invalid"
    INVALID_CODE = "invalid_code"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_PASSWORD = "invalid_password"
    JWT_DECODE_ERROR = "jwt_decode_error"
    JWT_INVALID_TOKEN = "jwt_invalid_token"
    JWT_MISSING_TOKEN = "jwt_missing_token"
    JWT_SIGNATURE_EXPIRED = "jwt_signature_expired"
    LOGIN_ATTEMPT_DELAYED = "login_attempt_delayed"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"


class ChannelErrorCode(Enum):
    ALREADY_EXISTS = "already_exists"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"


class CheckoutErrorCode(Enum):
    BILLING_ADDRESS_NOT_SET = "billing_address_not_set"
    CHECKOUT_NOT_FULLY_PAID = "checkout_not_fully_paid"
    GRAPHQL_ERROR = "graphql_error"
    PRODUCT_NOT_PUBLISHED = "product_not_published"
    PRODUCT_UNAVAILABLE_FOR_PURCHASE = "product_unavailable_for_purchase"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    INVALID_SHIPPING_METHOD = "invalid_shipping_method"
    NOT_FOUND = "not_found"
    PAYMENT_ERROR = "payment_error"
    QUANTITY_GREATER_THAN_LIMIT = "quantity_greater_than_limit"
    REQUIRED = "required"
    SHIPPING_ADDRESS_NOT_SET = "shipping_address_not_set"
    SHIPPING_METHOD_NOT_APPLICABLE = "shipping_method_not_applicable"
    DELIVERY_METHOD_NOT_APPLICABLE = "delivery_method_not_applicable"
    SHIPPING_METHOD_NOT_SET = "shipping_method_not_set"
    SHIPPING_NOT_REQUIRED = "shipping_not_required"
    UNIQUE = "unique"
    UNAVAILABLE_VARIANT_IN_CHANNEL = "unavailable_variant_in_channel"
    EMAIL_NOT_SET = "email_not_set"
    NO_LINES = "no_lines"
    INACTIVE_PAYMENT = "inactive_payment"
    VOUCHER_NOT_APPLICABLE = "voucher_not_applicable"
    GIFT_CARD_NOT_APPLICABLE = "gift_card_not_applicable"


class OrderErrorCode(Enum):
    BILLING_ADDRESS_NOT_SET = "billing_address_not_set"
    CANNOT_CANCEL_FULFILLMENT = "cannot_cancel_fulfillment"
    CANNOT_CANCEL_ORDER = "cannot_cancel_order"
    CANNOT_FULFILL_UNPAID_ORDER = "cannot_fulfill_unpaid_order"
    CANNOT_REFUND = "cannot_refund"
    FULFILL_ORDER_LINE = "fulfill_order_line"
    GRAPHQL_ERROR = "graphql_error"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    INVALID_QUANTITY = "invalid_quantity"
    NOT_FOUND = "not_found"
    NOT_EDITABLE = "not_editable"
    ORDER_NO_SHIPPING_ADDRESS = "order_no_shipping_address"
    PAYMENT_ERROR = "payment_error"
    REQUIRED = "required"
    UNIQUE = "unique"


class PaymentErrorCode(Enum):
    BILLING_ADDRESS_NOT_SET = "billing_address_not_set"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NOT_SUPPORTED_GATEWAY = "not_supported_gateway"
    PARTIAL_PAYMENT_NOT_ALLOWED = "partial_payment_not_allowed"
    PAYMENT_ERROR = "payment_error"
    REQUIRED = "required"
    UNIQUE = "unique"
    CHECKOUT_COMPLETED = "checkout_completed"


class TransactionInitializeErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    UNIQUE = "unique"
    CHECKOUT_COMPLETION_IN_PROGRESS = "checkout_completion_in_progress"


class OrganizationMemberErrorCode(Enum):
    """Invitations and memberships (a county-pavilion extension, named as Saleor's)."""
    ALREADY_MEMBER = "already_member"
    ALREADY_REGISTERED = "already_registered"
    CODE_THROTTLED = "code_throttled"
    EXPIRED = "expired"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    INVALID_CODE = "invalid_code"
    LAST_ADMIN = "last_admin"
    NOT_FOUND = "not_found"
    NOT_INVITEE = "not_invitee"
    REQUIRED = "required"
    SMS_UNAVAILABLE = "sms_unavailable"
    USED = "used"
    WITHDRAWN = "withdrawn"
    WRONG_ORGANIZATION = "wrong_organization"


class OrganizationApplicationErrorCode(Enum):
    """Applications to join the pavilion (入驻申请)."""
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    INVALID_CREDIT_CODE = "invalid_credit_code"
    INVALID_STATUS = "invalid_status"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
