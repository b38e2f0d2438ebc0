"""Saleor's payment and checkout-state types: the gateways a checkout can pay with, its
charge and authorisation status, its delivery and problems, gift cards (none are sold:
always an empty list), promo-code discounts on orders, and the address rules."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphene.types.generic import GenericScalar

from api.core.types import Money, money


class CheckoutChargeStatusEnum(graphene.Enum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"
    OVERCHARGED = "OVERCHARGED"


class CheckoutAuthorizeStatusEnum(graphene.Enum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"


class OrderAuthorizeStatusEnum(graphene.Enum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"


class PaymentChargeStatusEnum(graphene.Enum):
    NOT_CHARGED = "NOT_CHARGED"
    PENDING = "PENDING"
    PARTIALLY_CHARGED = "PARTIALLY_CHARGED"
    FULLY_CHARGED = "FULLY_CHARGED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    FULLY_REFUNDED = "FULLY_REFUNDED"
    REFUSED = "REFUSED"
    CANCELLED = "CANCELLED"


class TransactionActionEnum(graphene.Enum):
    CHARGE = "CHARGE"
    REFUND = "REFUND"
    CANCEL = "CANCEL"


class TransactionFlowStrategyEnum(graphene.Enum):
    AUTHORIZATION = "AUTHORIZATION"
    CHARGE = "CHARGE"


class TransactionEventTypeEnum(graphene.Enum):
    AUTHORIZATION_SUCCESS = "AUTHORIZATION_SUCCESS"
    AUTHORIZATION_FAILURE = "AUTHORIZATION_FAILURE"
    AUTHORIZATION_ADJUSTMENT = "AUTHORIZATION_ADJUSTMENT"
    AUTHORIZATION_REQUEST = "AUTHORIZATION_REQUEST"
    AUTHORIZATION_ACTION_REQUIRED = "AUTHORIZATION_ACTION_REQUIRED"
    CHARGE_ACTION_REQUIRED = "CHARGE_ACTION_REQUIRED"
    CHARGE_SUCCESS = "CHARGE_SUCCESS"
    CHARGE_FAILURE = "CHARGE_FAILURE"
    CHARGE_BACK = "CHARGE_BACK"
    CHARGE_REQUEST = "CHARGE_REQUEST"
    REFUND_SUCCESS = "REFUND_SUCCESS"
    REFUND_FAILURE = "REFUND_FAILURE"
    REFUND_REVERSE = "REFUND_REVERSE"
    REFUND_REQUEST = "REFUND_REQUEST"
    CANCEL_SUCCESS = "CANCEL_SUCCESS"
    CANCEL_FAILURE = "CANCEL_FAILURE"
    CANCEL_REQUEST = "CANCEL_REQUEST"
    INFO = "INFO"


# The event type a payment's or a checkout transaction's status stands for: the last thing
# that happened to it (a pending Alipay payment asks the buyer to act at the cashier).
EVENT_TYPES = {
    "pending": "CHARGE_ACTION_REQUIRED",
    "charged": "CHARGE_SUCCESS",
    "failed": "CHARGE_FAILURE",
    "refunding": "REFUND_REQUEST",
    "partially_refunded": "REFUND_SUCCESS",
    "refunded": "REFUND_SUCCESS",
    "cancelled": "CANCEL_SUCCESS",
}


class TransactionEvent(graphene.ObjectType):
    """What happened to a transaction last, named after its status (``EVENT_TYPES``)."""

    id = graphene.ID(required=True)
    message = graphene.String(required=True)
    amount = graphene.Field(Money, required=True)
    type = graphene.Field(TransactionEventTypeEnum)
    psp_reference = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def of(txn) -> TransactionEvent:
        status = str(txn.status)
        kind = EVENT_TYPES.get(status, "INFO")
        if kind == "REFUND_SUCCESS" and hasattr(txn, "refunded_amount"):
            amount = txn.refunded_amount
        elif kind in ("CHARGE_ACTION_REQUIRED", "CHARGE_FAILURE", "CANCEL_SUCCESS"):
            amount = txn.amount
        else:
            amount = txn.charged_amount
        return TransactionEvent(
            id=f"{txn.out_trade_no}:{status}", message=str(txn.get_status_display()),
            amount=money(amount, txn.currency), type=kind, psp_reference=txn.psp_reference,
            created_at=txn.charged_at or txn.created_at)


class GatewayConfigLine(graphene.ObjectType):
    field = graphene.String(required=True)
    value = graphene.String()


class PaymentGateway(graphene.ObjectType):
    name = graphene.String(required=True)
    id = graphene.ID(required=True)
    config = graphene.List(graphene.NonNull(GatewayConfigLine), required=True)
    currencies = graphene.List(graphene.NonNull(graphene.String), required=True)


def payment_gateways(currency: str) -> list[PaymentGateway]:
    """Alipay, the pavilion's gateway; it takes yuan only."""
    if currency != "CNY":
        return []
    return [PaymentGateway(id="alipay", name=_("Alipay"), currencies=["CNY"], config=[])]


class PaymentGatewayConfig(graphene.ObjectType):
    id = graphene.String(required=True)
    data = graphene.Field(lambda: JSON)
    errors = graphene.List(graphene.NonNull("api.shop.mutations.transactions."
                                            "PaymentGatewayConfigError"))


class GiftCard(graphene.ObjectType):
    """The pavilion sells no gift cards; the type exists for Saleor clients."""

    id = graphene.ID(required=True)
    display_code = graphene.String(required=True)
    code = graphene.String(required=True)
    current_balance = graphene.Field(Money, required=True)
    is_active = graphene.Boolean(required=True)


class Delivery(graphene.ObjectType):
    id = graphene.ID(required=True)
    shipping_method = graphene.Field("api.shop.types.ShippingMethod")


class CheckoutLineProblemInsufficientStock(graphene.ObjectType):
    available_quantity = graphene.Int()
    line = graphene.Field("api.shop.types.CheckoutLine", required=True)
    variant = graphene.Field("api.catalog.types.ProductVariant", required=True)


class CheckoutLineProblemVariantNotAvailable(graphene.ObjectType):
    line = graphene.Field("api.shop.types.CheckoutLine", required=True)


class CheckoutProblemDeliveryMethodStale(graphene.ObjectType):
    delivery = graphene.Field(Delivery, required=True)


class CheckoutProblemDeliveryMethodInvalid(graphene.ObjectType):
    delivery = graphene.Field(Delivery, required=True)


class CheckoutProblem(graphene.Union):
    class Meta:
        types = (CheckoutLineProblemInsufficientStock, CheckoutLineProblemVariantNotAvailable,
                 CheckoutProblemDeliveryMethodStale, CheckoutProblemDeliveryMethodInvalid)


class ChoiceValue(graphene.ObjectType):
    raw = graphene.String()
    verbose = graphene.String()


class AddressValidationData(graphene.ObjectType):
    """The address rules for a country: for China, the provinces (countryArea), their
    cities and districts from ``shop.addresses``; a mobile number is required."""

    country_code = graphene.String(required=True)
    country_name = graphene.String(required=True)
    address_format = graphene.String(required=True)
    address_latin_format = graphene.String(required=True)
    allowed_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    required_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    upper_fields = graphene.List(graphene.NonNull(graphene.String), required=True)
    country_area_type = graphene.String(required=True)
    country_area_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    city_type = graphene.String(required=True)
    city_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    city_area_type = graphene.String(required=True)
    city_area_choices = graphene.List(graphene.NonNull(ChoiceValue), required=True)
    postal_code_type = graphene.String(required=True)
    postal_code_matchers = graphene.List(graphene.NonNull(graphene.String), required=True)
    postal_code_examples = graphene.List(graphene.NonNull(graphene.String), required=True)
    postal_code_prefix = graphene.String(required=True)


class CheckoutAddressValidationRules(graphene.InputObjectType):
    check_required_fields = graphene.Boolean(default_value=True)
    check_fields_format = graphene.Boolean(default_value=True)
    enable_fields_normalization = graphene.Boolean(default_value=True)


class OrderDiscountType(graphene.Enum):
    SALE = "SALE"
    VOUCHER = "VOUCHER"
    MANUAL = "MANUAL"
    PROMOTION = "PROMOTION"
    ORDER_PROMOTION = "ORDER_PROMOTION"


class OrderDiscount(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.Field(OrderDiscountType, required=True)
    name = graphene.String()
    value = graphene.Float(required=True)
    amount = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)


class VoucherTypeEnum(graphene.Enum):
    SHIPPING = "SHIPPING"
    ENTIRE_ORDER = "ENTIRE_ORDER"
    SPECIFIC_PRODUCT = "SPECIFIC_PRODUCT"


class DiscountValueTypeEnum(graphene.Enum):
    FIXED = "fixed"
    PERCENTAGE = "percentage"


class Voucher(graphene.ObjectType):
    """A promo code as the buyer who used it sees it."""

    id = graphene.ID(required=True)
    name = graphene.String()
    code = graphene.String()
    currency = graphene.String()
    type = graphene.Field(VoucherTypeEnum, required=True)
    discount_value_type = graphene.Field(DiscountValueTypeEnum, required=True)
    discount_value = graphene.Float()
    start_date = graphene.DateTime(required=True)
    end_date = graphene.DateTime()
    apply_once_per_customer = graphene.Boolean(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)

    resolve_type = staticmethod(lambda _root, _info: "ENTIRE_ORDER")
    resolve_name = staticmethod(lambda root, _info: root.name or None)
    resolve_discount_value_type = staticmethod(lambda root, _info: root.discount_type)

    @classmethod
    def is_type_of(cls, root, _info):
        return type(root).__name__ == "Voucher" and hasattr(root, "discount_type")


def address_rules(country_code: str, country_area: str = "", city: str = ""):
    """Saleor's ``addressValidationRules`` for China from the division tree: the
    provinces, the cities of ``country_area`` and the districts of ``city``."""
    from shop.addresses import SUPPORTED_COUNTRY, division_tree

    code = (getattr(country_code, "value", country_code) or "").upper()
    tree = division_tree() if code == SUPPORTED_COUNTRY else {}
    cities = tree.get(country_area, {})
    districts = cities.get(city, [])

    def choices(names):
        return [ChoiceValue(raw=name, verbose=name) for name in names]

    return AddressValidationData(
        country_code=code, country_name="中国" if code == SUPPORTED_COUNTRY else code,
        address_format="%N%n%O%n%A%n%C%n%S%n%Z", address_latin_format="%N%n%O%n%A%n%C%n%S%n%Z",
        allowed_fields=["firstName", "lastName", "companyName", "streetAddress1",
                        "streetAddress2", "city", "cityArea", "countryArea", "postalCode",
                        "phone"] if tree else [],
        required_fields=["firstName", "streetAddress1", "city", "countryArea", "phone"]
        if tree else [],
        upper_fields=[], country_area_type="province", country_area_choices=choices(tree),
        city_type="city", city_choices=choices(cities), city_area_type="district",
        city_area_choices=choices(districts), postal_code_type="postal",
        postal_code_matchers=[r"^\d{6}$"] if tree else [], postal_code_examples=["100000"]
        if tree else [], postal_code_prefix="")


class JSON(GenericScalar):
    """Saleor's ``JSON``: any JSON value, sent and received as itself (an object stays an
    object, not a string holding one)."""
