"""Payments: start paying an order through a gateway (Alipay)."""

from __future__ import annotations

import graphene
from django.conf import settings
from django.utils.translation import gettext as _

from api.core.mutations import BaseMutation
from api.core.permissions import current_user, is_order_staff, require
from api.core.types import error_type
from shop import services
from shop.error_codes import PaymentErrorCode as PaymentErrorCodeEnum

from .. import types
from .order import get_order

PaymentErrorCode = graphene.Enum.from_enum(PaymentErrorCodeEnum)
PaymentError = error_type("PaymentError", PaymentErrorCode)


class PaymentMutation(BaseMutation):
    error_type_class = PaymentError
    error_code_enum = PaymentErrorCodeEnum

    class Meta:
        abstract = True


class PaymentGatewayToInitialize(graphene.InputObjectType):
    id = graphene.String(required=True, description='The gateway: "alipay".')
    data = graphene.JSONString(description='{"device": "PC" | "WAP", "returnUrl": ...}')


class TransactionInitialize(PaymentMutation):
    transaction = graphene.Field(types.TransactionItem)
    data = graphene.JSONString(description='{"url": signed Alipay cashier URL}')

    class Arguments:
        id = graphene.ID(required=True, description="The order to pay.")
        payment_gateway = PaymentGatewayToInitialize(required=True)

    class Meta:
        description = "Start paying an order with a payment gateway (Alipay)."

    @classmethod
    def perform_mutation(cls, _root, info, id, payment_gateway):
        order = get_order(id, PaymentErrorCodeEnum)
        viewer = current_user(info)
        require(not order.user_id or (viewer and (viewer.pk == order.user_id
                                                  or is_order_staff(viewer))),
                _("You can only pay your own orders"))
        data = payment_gateway.get("data") or {}
        return_url = str(data.get("returnUrl") or "")
        if return_url and not return_url.startswith(settings.PUBLIC_URL + "/"):
            return_url = ""
        payment, url = services.start_payment(
            order, payment_gateway["id"], device=str(data.get("device") or "PC"),
            return_url=return_url, user=viewer)
        return cls(transaction=payment, data={"url": url, "outTradeNo": payment.out_trade_no})
