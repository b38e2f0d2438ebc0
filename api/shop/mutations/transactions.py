"""Paying with a gateway, Saleor's way (``transactionInitialize``, ``transactionProcess``,
``paymentGatewayInitialize``).

``transactionInitialize`` takes an **order** ID (the order-first flow: pay an order placed
earlier; an order charged in part pays exactly its balance) or a **checkout** ID (Saleor's
flow: pay first, then ``checkoutComplete`` yields a paid order). Either way ``data`` is
``{"url": Alipay's signed cashier URL, "outTradeNo": …}``, a JSON object; the gateway's
``data`` may carry ``device`` (PC or WAP) and ``returnUrl`` (on our own site)."""

from __future__ import annotations

import graphene
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import resolve_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import current_user, is_order_staff, require
from api.core.scalars import PositiveDecimal
from api.core.types import error_type
from shop import services
from shop.error_codes import PaymentErrorCode as PaymentErrorCodeEnum
from shop.error_codes import TransactionInitializeErrorCode as InitializeCodeEnum
from shop.services import transactions as checkout_payments
from shop.transactions import CheckoutTransaction

from .. import types
from ..types import payments as payment_types
from ..types.payments import JSON, PaymentGatewayConfig, TransactionEvent
from .checkout import _checkout
from .order import get_order

TransactionInitializeErrorCode = graphene.Enum.from_enum(InitializeCodeEnum)
TransactionInitializeError = error_type("TransactionInitializeError",
                                        TransactionInitializeErrorCode)
TransactionProcessErrorCode = graphene.Enum.from_enum(InitializeCodeEnum,
                                                      name="TransactionProcessErrorCode")
TransactionProcessError = error_type("TransactionProcessError", TransactionProcessErrorCode)
PaymentGatewayInitializeErrorCode = graphene.Enum.from_enum(
    PaymentErrorCodeEnum, name="PaymentGatewayInitializeErrorCode")
PaymentGatewayInitializeError = error_type("PaymentGatewayInitializeError",
                                           PaymentGatewayInitializeErrorCode)
PaymentGatewayConfigErrorCode = graphene.Enum.from_enum(
    PaymentErrorCodeEnum, name="PaymentGatewayConfigErrorCode")
PaymentGatewayConfigError = error_type("PaymentGatewayConfigError",
                                       PaymentGatewayConfigErrorCode)


class PaymentGatewayToInitialize(graphene.InputObjectType):
    id = graphene.String(required=True, description='The gateway: "alipay".')
    data = graphene.Field(JSON, description='{"device": "PC" | "WAP", "returnUrl": ...}')


def _not_found(id):
    return ValidationError({"id": ValidationError(
        _("Couldn't resolve to a node: %(id)s") % {"id": id},
        code=InitializeCodeEnum.NOT_FOUND.value)})


def _target(info, id):
    """``("order", Order)`` or ``("checkout", Checkout)`` for a global ID the caller may pay."""
    try:
        type_name, _pk = resolve_global_id(id)
    except Exception:  # noqa: BLE001 - a malformed ID is a field error
        raise _not_found(id) from None
    if type_name == "Checkout":
        return "checkout", _checkout(info, id=id)
    if type_name != "Order":
        raise _not_found(id)
    order = get_order(id, InitializeCodeEnum)
    viewer = current_user(info)
    require(not order.user_id or (viewer and (viewer.pk == order.user_id
                                              or is_order_staff(viewer))),
            _("You can only pay your own orders"))
    return "order", order


def _gateway_options(payment_gateway):
    data = payment_gateway.get("data") or {}
    if not isinstance(data, dict):
        data = {}
    return_url = str(data.get("returnUrl") or "")
    if return_url and not return_url.startswith(settings.PUBLIC_URL + "/"):
        return_url = ""
    return str(data.get("device") or "PC"), return_url


class TransactionInitialize(BaseMutation):
    transaction = graphene.Field(types.TransactionItem)
    transaction_event = graphene.Field(TransactionEvent)
    data = graphene.Field(JSON, description='{"url": signed Alipay cashier URL, '
                                            '"outTradeNo": our trade number}')

    class Arguments:
        id = graphene.ID(required=True, description="The checkout or order to pay.")
        payment_gateway = PaymentGatewayToInitialize(required=True)
        action = graphene.Argument(
            "api.shop.types.payments.TransactionFlowStrategyEnum",
            description="Alipay charges at once: AUTHORIZATION is taken as CHARGE.")
        amount = PositiveDecimal(description="What to pay; what is still owed if omitted. "
                                             "An order is paid its balance, in one payment.")
        customer_ip_address = graphene.String()
        idempotency_key = graphene.String()

    class Meta:
        description = "Start paying a checkout or an order with a payment gateway (Alipay)."
        error_type_class = TransactionInitializeError
        error_code_enum = InitializeCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id, payment_gateway, amount=None, **_options):
        kind, target = _target(info, id)
        device, return_url = _gateway_options(payment_gateway)
        if kind == "checkout":
            txn, url = checkout_payments.initialize(
                target, payment_gateway["id"], amount=amount, device=device,
                return_url=return_url)
        else:
            txn, url = services.start_payment(target, payment_gateway["id"], device=device,
                                              return_url=return_url, user=current_user(info),
                                              amount=amount)
        return cls(transaction=txn, transaction_event=TransactionEvent.of(txn),
                   data={"url": url, "outTradeNo": txn.out_trade_no})


class TransactionProcess(BaseMutation):
    transaction = graphene.Field(types.TransactionItem)
    transaction_event = graphene.Field(TransactionEvent)
    data = graphene.Field(JSON)

    class Arguments:
        id = graphene.ID(required=True, description="The ID of the transaction to process.")
        data = graphene.Argument(JSON)
        customer_ip_address = graphene.String()

    class Meta:
        description = ("Ask the gateway about a checkout's transaction whose notice has not "
                       "come yet (the buyer is back from the cashier first).")
        error_type_class = TransactionProcessError
        error_code_enum = InitializeCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id, **_options):
        try:
            _type, token = resolve_global_id(id, "TransactionItem")
            txn = CheckoutTransaction.objects.filter(token=token).first()
        except Exception:  # noqa: BLE001 - malformed or of another type
            txn = None
        if txn is None:
            raise _not_found(id)
        if txn.order_id is None:
            checkout = services.get_checkout(txn.checkout_token)
            if checkout is not None:
                _checkout(info, token=checkout.token)  # the owner, as for the checkout
        txn = checkout_payments.process(txn)
        return cls(transaction=txn, transaction_event=TransactionEvent.of(txn),
                   data={"status": str(txn.status).upper()})


class PaymentGatewayInitialize(BaseMutation):
    gateway_configs = graphene.List(graphene.NonNull(PaymentGatewayConfig))

    class Arguments:
        id = graphene.ID(required=True, description="The checkout or order.")
        amount = PositiveDecimal()
        payment_gateways = graphene.List(graphene.NonNull(PaymentGatewayToInitialize))

    class Meta:
        description = "Lists the gateways the checkout can pay with and their settings."
        error_type_class = PaymentGatewayInitializeError
        error_code_enum = PaymentErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id, payment_gateways=None, **_options):
        kind, target = _target(info, id)
        currency = target.channel.currency_code if kind == "checkout" else target.currency
        wanted = {g["id"] for g in payment_gateways or []}
        available = payment_types.payment_gateways(currency)
        configs = [PaymentGatewayConfig(id=g.id, data={"name": g.name}, errors=[])
                   for g in available if not wanted or g.id in wanted]
        configs += [PaymentGatewayConfig(id=gid, data=None, errors=[PaymentGatewayConfigError(
            field="id", message=_("The payment gateway %(gateway)s is not available.")
            % {"gateway": gid}, code=PaymentErrorCodeEnum.NOT_SUPPORTED_GATEWAY)])
            for gid in sorted(wanted - {c.id for c in configs})]
        return cls(gateway_configs=configs)
