"""Saleor's older payment API on a checkout: ``checkoutPaymentCreate`` (``PaymentInput``),
answered with a ``Payment``, which is the checkout's transaction seen in that API's shape.
``checkoutComplete`` then answers ``confirmationNeeded`` with the Alipay cashier until the
payment is charged (``shop.services.legacy_payments``)."""

from __future__ import annotations

import graphene

from api.core.ids import to_global_id
from api.core.metadata import ObjectWithMetadata
from api.core.mutations import BaseMutation
from api.core.scalars import PositiveDecimal
from api.core.types import Money, error_type, money
from shop import services
from shop.error_codes import PaymentErrorCode as PaymentErrorCodeEnum
from shop.services import legacy_payments
from shop.transactions import CheckoutTransaction

from .. import types
from ..types.payments import PaymentChargeStatusEnum
from .checkout import _checkout
from .checkout_customer import MetadataInput

PaymentErrorCode = graphene.Enum.from_enum(PaymentErrorCodeEnum)
PaymentError = error_type(
    "PaymentError", PaymentErrorCode,
    variants=graphene.List(graphene.NonNull(graphene.ID),
                           description="List of variant IDs which causes the error."))

Status = CheckoutTransaction.Status
CHARGE_STATUS = {Status.PENDING: "NOT_CHARGED", Status.CHARGED: "FULLY_CHARGED",
                 Status.FAILED: "REFUSED", Status.REFUNDING: "FULLY_CHARGED",
                 Status.REFUNDED: "FULLY_REFUNDED", Status.CANCELLED: "CANCELLED"}


class StorePaymentMethodEnum(graphene.Enum):
    """Alipay keeps no payment method for later: every value is taken as NONE."""

    ON_SESSION = "on_session"
    OFF_SESSION = "off_session"
    NONE = "none"


class PaymentInput(graphene.InputObjectType):
    gateway = graphene.String(required=True, description='A gateway to use with that '
                                                          'payment: "alipay".')
    token = graphene.String(description="Client-side payment token (Alipay needs none).")
    amount = PositiveDecimal(description="The checkout's total; the total when omitted "
                                         "(partial payments are not allowed).")
    return_url = graphene.String(description="Where Alipay sends the buyer back after paying.")
    store_payment_method = StorePaymentMethodEnum(default_value="none",
                                                  description="Payment store type.")
    metadata = graphene.List(graphene.NonNull(MetadataInput),
                             description="Public metadata of the payment.")


class Payment(ObjectWithMetadata, graphene.ObjectType):
    """A payment of Saleor's older API: a checkout's Alipay transaction."""

    id = graphene.ID(required=True)
    gateway = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)
    created = graphene.DateTime(required=True)
    modified = graphene.DateTime(required=True)
    token = graphene.String(required=True)
    checkout = graphene.Field(types.Checkout)
    payment_method_type = graphene.String(required=True)
    charge_status = graphene.Field(PaymentChargeStatusEnum, required=True)
    total = graphene.Field(Money)
    captured_amount = graphene.Field(Money)
    psp_reference = graphene.String()

    resolve_id = staticmethod(lambda root, _info: to_global_id("Payment", root.token))
    resolve_is_active = staticmethod(
        lambda root, _info: root.status in (Status.PENDING, Status.CHARGED))
    resolve_created = staticmethod(lambda root, _info: root.created_at)
    resolve_modified = staticmethod(lambda root, _info: root.charged_at or root.created_at)
    resolve_token = staticmethod(lambda root, _info: root.out_trade_no)
    resolve_payment_method_type = staticmethod(lambda _root, _info: "alipay")
    resolve_charge_status = staticmethod(lambda root, _info: CHARGE_STATUS[root.status])
    resolve_total = staticmethod(lambda root, _info: money(root.amount, root.currency))
    resolve_captured_amount = staticmethod(
        lambda root, _info: money(root.charged_amount, root.currency))
    resolve_psp_reference = staticmethod(lambda root, _info: root.psp_reference or None)

    @staticmethod
    def resolve_checkout(root, _info):
        # Only reached through the mutation that found the checkout for its caller.
        return services.get_checkout(root.checkout_token) if root.order_id is None else None


class CheckoutPaymentCreate(BaseMutation):
    checkout = graphene.Field(types.Checkout, description="Related checkout object.")
    payment = graphene.Field(Payment, description="A newly created payment.")
    payment_errors = graphene.List(graphene.NonNull(PaymentError), required=True,
                                   deprecation_reason="Use `errors` field instead.")

    resolve_payment_errors = staticmethod(lambda root, _info: root.errors or [])

    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        token = graphene.UUID(description="Checkout token.")
        checkout_id = graphene.ID(description="The checkout's ID, as Saleor's older "
                                              "clients name it.")
        input = PaymentInput(required=True, description="Data required to create a new "
                                                        "payment.")

    class Meta:
        description = ("Creates a new payment for given checkout (Alipay, for the checkout's "
                       "total); checkoutComplete then answers the cashier URL in "
                       "confirmationData until it is paid.")
        error_type_class = PaymentError
        error_code_enum = PaymentErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, input, id=None, token=None, checkout_id=None):
        checkout = _checkout(info, id or checkout_id, token)
        payment = legacy_payments.create_payment(
            checkout, input["gateway"], amount=input.get("amount"),
            return_url=input.get("return_url") or "",
            metadata=[(item["key"], item["value"]) for item in input.get("metadata") or []])
        checkout.refresh_from_db()
        return cls(checkout=checkout, payment=payment)
